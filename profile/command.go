package profile

import (
	"path"
	"strings"
)

// What is wrong with a command line of a custom check (run) or its remedy (fix).
const (
	CommandEmpty       = "empty"        // no program
	CommandRelative    = "relative"     // a relative path: what it runs depends on the folder Apuri starts in
	CommandElevates    = "elevates"     // sudo, pkexec, runas…: Apuri never runs anything as another user
	CommandInlineShell = "inline_shell" // sh -c, cmd /c, powershell -Command: a shell reading a line of code
	CommandControl     = "control"      // a control character in an argument
)

// elevators are programs that run a command as another user (root, an administrator).
var elevators = map[string]bool{
	"sudo": true, "sudoedit": true, "pkexec": true, "doas": true, "su": true, "runuser": true,
	"gksu": true, "gksudo": true, "kdesu": true, "kdesudo": true, "beesu": true, "lxsudo": true,
	"runas": true, "gsudo": true, "psexec": true, "psexec64": true, "osascript": true,
}

// shells are programs that read a line of code from their arguments; with a script file they
// are fine, with an inline command they are a shell in all but name.
var shells = map[string][]string{
	"sh": {"-c"}, "bash": {"-c"}, "dash": {"-c"}, "zsh": {"-c"}, "ksh": {"-c"}, "fish": {"-c", "--command"},
	"csh": {"-c"}, "tcsh": {"-c"}, "busybox": {"sh", "ash"},
	"cmd":        {"/c", "/k", "/r"},
	"powershell": {"-c", "-command", "-encodedcommand", "-ec", "-e", "-enc"},
	"pwsh":       {"-c", "-command", "-encodedcommand", "-ec", "-e", "-enc"},
}

// programName is a program's name without folder, .exe and case: what the lists above hold.
func programName(prog string) string {
	name := strings.ToLower(path.Base(strings.ReplaceAll(prog, `\`, "/")))
	return strings.TrimSuffix(name, ".exe")
}

// CommandProblem says what keeps a command line from being run, or "" when nothing does. A
// program is a bare name looked up in PATH or an absolute path. The profile's validation and
// the code that runs the command both ask, so a profile built in code is held to it too.
func CommandProblem(argv []string) string {
	if len(argv) == 0 || argv[0] == "" {
		return CommandEmpty
	}
	for _, a := range argv {
		if strings.ContainsFunc(a, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return CommandControl
		}
	}
	prog := argv[0]
	if strings.ContainsAny(prog, `/\`) && !absolute(prog) {
		return CommandRelative
	}
	name := programName(prog)
	if elevators[name] {
		return CommandElevates
	}
	for _, a := range argv[1:] {
		// powershell Start-Process … -Verb RunAs
		if strings.EqualFold(a, "runas") {
			return CommandElevates
		}
	}
	if flags, ok := shells[name]; ok {
		for _, a := range argv[1:] {
			for _, f := range flags {
				if strings.EqualFold(a, f) {
					return CommandInlineShell
				}
			}
		}
	}
	if name == "env" && len(argv) > 1 {
		// env runs its first non-option argument: judge that one as the program.
		for i, a := range argv[1:] {
			if !strings.HasPrefix(a, "-") && !strings.Contains(a, "=") {
				return CommandProblem(argv[i+1:])
			}
		}
	}
	return ""
}

// absolute accepts /usr/bin/x, C:\Program Files\x.exe and \\server\share\x.exe on every
// system: a profile is written once for all of them.
func absolute(p string) bool {
	if strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}
