package selfhelp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// windowsPlatform restarts and signs out through the Windows API (session_windows.go) and
// opens addresses with the commands every Windows has. The logic lives outside a _windows.go
// file so that its reading of the API's errors and of the registry is tested everywhere.
type windowsPlatform struct{}

func (windowsPlatform) restart(_ context.Context, r *Remedies) error {
	s := r.session()
	if s == nil {
		return ErrUnsupported
	}
	return windowsError(s.Restart())
}

func (windowsPlatform) logOut(_ context.Context, r *Remedies) error {
	s := r.session()
	if s == nil {
		return ErrUnsupported
	}
	return windowsError(s.SignOut())
}

// The Windows errors that say more than "it failed" (winerror.h).
const (
	errAccessDenied       = syscall.Errno(5)
	errCallNotImplemented = syscall.Errno(120)
	errProcNotFound       = syscall.Errno(127)
	errShutdownInProgress = syscall.Errno(1115)
	errNotAllAssigned     = syscall.Errno(1300)
	errPrivilegeNotHeld   = syscall.Errno(1314)
)

// windowsError names what the user can do about a failed restart or sign-out: a right the
// organisation withholds (the "Shut down the system" user right) is ErrPolicy, a Windows
// without the call (Wine, say) ErrUnsupported. A shutdown already under way is done.
func windowsError(err error) error {
	var errno syscall.Errno
	if err == nil || !errors.As(err, &errno) {
		return err
	}
	switch errno {
	case errAccessDenied, errNotAllAssigned, errPrivilegeNotHeld:
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	case errCallNotImplemented, errProcNotFound:
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	case errShutdownInProgress:
		return nil
	}
	return err
}

// openURL hands the URL to the shell's protocol handler.
func (windowsPlatform) openURL(ctx context.Context, r *Remedies, u string) error {
	argv := shellOpen(u)
	return r.start(ctx, argv[0], argv[1:]...)
}

// shellOpen is the command that hands a URI to the shell's protocol handler, which opens it
// with whatever the user's Windows has registered for its scheme. Unlike `cmd /c start`,
// rundll32 does not read & and ^ in it as shell syntax.
func shellOpen(uri string) []string {
	return []string{"rundll32", "url.dll,FileProtocolHandler", uri}
}

func (windowsPlatform) browsers(_ context.Context, r *Remedies) []Browser {
	return registryBrowsers(r.registry())
}

// startMenuInternet are where browsers register themselves, per user first.
var startMenuInternet = []string{
	`HKCU\Software\Clients\StartMenuInternet`,
	`HKLM\SOFTWARE\Clients\StartMenuInternet`,
	`HKLM\SOFTWARE\WOW6432Node\Clients\StartMenuInternet`,
}

// userChoiceHTTPS holds the ProgId of the user's default https handler.
const userChoiceHTTPS = `HKCU\Software\Microsoft\Windows\Shell\Associations\UrlAssociations\https\UserChoice`

// registryBrowsers lists the registered browsers; the default is the one whose https ProgId is
// the user's choice.
func registryBrowsers(reg Registry) []Browser {
	if reg == nil {
		return nil
	}
	var out []Browser
	progIDs := map[string]string{}
	seen := map[string]bool{}
	for _, root := range startMenuInternet {
		keys, err := reg.SubKeys(root)
		if err != nil {
			continue
		}
		for _, k := range keys {
			lk := strings.ToLower(k)
			// Internet Explorer is retired; starting it only opens Edge.
			if seen[lk] || lk == "iexplore.exe" {
				continue
			}
			seen[lk] = true
			key := root + `\` + k
			line, err := reg.Value(key+`\shell\open\command`, "")
			if err != nil {
				continue
			}
			exe := exeFromCommand(line)
			if exe == "" {
				continue
			}
			name, _ := reg.Value(key, "")
			if name == "" {
				name = k
			}
			progIDs[k], _ = reg.Value(key+`\Capabilities\URLAssociations`, "https")
			out = append(out, Browser{ID: k, Name: name, cmd: []string{exe, urlArg}})
		}
	}
	def, err := reg.Value(userChoiceHTTPS, "ProgId")
	if err != nil || def == "" {
		return out
	}
	return markDefault(out, func(b Browser) bool { return strings.EqualFold(progIDs[b.ID], def) })
}

// exeFromCommand takes the program out of a registry command line such as
// `"C:\Program Files\Mozilla Firefox\firefox.exe" -osint -url "%1"`.
func exeFromCommand(line string) string {
	line = strings.TrimSpace(line)
	if rest, ok := strings.CutPrefix(line, `"`); ok {
		exe, _, ok := strings.Cut(rest, `"`)
		if !ok {
			return ""
		}
		return exe
	}
	if i := strings.Index(strings.ToLower(line), ".exe"); i > 0 {
		return line[:i+len(".exe")]
	}
	return ""
}
