package cli

import (
	"flag"
	"strings"

	"github.com/apuri-project/apuri/i18n"
)

// valueFlags are the options every command takes that carry a value in the next word; the
// command's name is never that value (`apuri --profile x.toml diagnose`).
var valueFlags = map[string]bool{"profile": true, "lang": true}

// splitCommand finds the command's name among the arguments: the first word that is neither an
// option nor the value of --profile or --lang. The rest, options before it included, goes to
// the command, whose flag set takes options anywhere.
func splitCommand(args []string) (name string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if flagName, _, hasValue, ok := optionOf(a); ok {
			if valueFlags[flagName] && !hasValue {
				i++
			}
			continue
		}
		return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
	}
	return "", args
}

// optionOf splits "-name", "--name" or "--name=value"; ok is false for a word that is no option.
func optionOf(arg string) (name, value string, hasValue, ok bool) {
	if len(arg) < 2 || arg[0] != '-' || arg == "--" {
		return "", "", false, false
	}
	name = strings.TrimPrefix(arg[1:], "-")
	name, value, hasValue = strings.Cut(name, "=")
	return name, value, hasValue, true
}

// langOf is the language the arguments ask for, wherever --lang stands and whatever else is
// wrong with them, so that even the error about them is in that language. The last one counts,
// as in the flag package; an unknown or missing value gives "".
func langOf(args []string) string {
	lang := ""
	for i := 0; i < len(args); i++ {
		if args[i] == "--" {
			break
		}
		name, value, hasValue, ok := optionOf(args[i])
		if !ok || name != "lang" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			i++
			value = args[i]
		}
		if i18n.Supported(value) {
			lang = value
		}
	}
	return lang
}

// flagProblem is what is wrong with the options, found by walking them as the flag package
// does: its own error text is English, so Apuri says it again in the user's language.
func flagProblem(fs *flag.FlagSet, tr *i18n.Translator, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, value, hasValue, ok := optionOf(a)
		if !ok || a == "-" {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || name == "" || strings.HasPrefix(name, "-") {
			return tr.F("cli.flag_unknown", "flag", a)
		}
		if isBool(f) {
			if hasValue && f.Value.Set(value) != nil {
				return tr.F("cli.flag_bad_value", "flag", "--"+name, "value", value)
			}
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return tr.F("cli.flag_needs_value", "flag", "--"+name)
			}
			i++
			value = args[i]
		}
		if err := f.Value.Set(value); err != nil {
			return tr.F("cli.flag_bad_value", "flag", "--"+name, "value", value)
		}
	}
	return tr.T("cli.bad_flag", nil)
}

// isBool reports a flag that takes no value, as the flag package decides it.
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
