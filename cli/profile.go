package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// problemJSON is one profile problem as `apuri profile check --json` prints it for scripts.
type problemJSON struct {
	File    string         `json:"file"`
	Line    int            `json:"line"`
	Key     string         `json:"key"`
	Check   string         `json:"check,omitempty"` // the custom check's ID, for a problem in [[checks]]
	Code    string         `json:"code"`
	Args    map[string]any `json:"args,omitempty"`
	Message string         `json:"message"`
}

// checkJSON is the whole answer of `apuri profile check --json`.
type checkJSON struct {
	File     string        `json:"file"`
	Valid    bool          `json:"valid"`
	Problems []problemJSON `json:"problems"`
}

func runProfile(env Env, _ program.Options, args []string) int {
	f := newFlags("profile")
	asJSON := f.Bool("json", false, "print the result as JSON")
	pos, ok := f.parse(env, args)
	if !ok {
		return program.ExitUsage
	}
	if len(pos) == 1 && pos[0] == "show" {
		return runProfileShow(env, f.opts, *asJSON)
	}
	if len(pos) != 2 || pos[0] != "check" {
		fmt.Fprintln(env.Stderr, f.opts.Tr().T("cli.profile.need_subcommand", nil))
		fmt.Fprintln(env.Stderr, f.opts.Tr().T("cli.usage", nil))
		return program.ExitUsage
	}
	file := pos[1]
	_, err := profile.Load(file)
	problems := problemsOf(err)
	if *asJSON {
		out := checkJSON{File: file, Valid: err == nil, Problems: problemsJSON(f.opts, problems)}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else if err == nil {
		fmt.Fprintln(env.Stdout, f.opts.Tr().F("profile.check_ok", "file", file))
	} else {
		printProfileError(env, f.opts, err)
	}
	if err != nil {
		return program.ExitUsage
	}
	return program.ExitOK
}

// problemsOf unpacks a profile error into its problems; a foreign error becomes one problem.
func problemsOf(err error) []profile.Problem {
	if err == nil {
		return nil
	}
	var errs profile.Errors
	if errors.As(err, &errs) {
		return errs
	}
	var one profile.Problem
	if errors.As(err, &one) {
		return []profile.Problem{one}
	}
	return []profile.Problem{{Code: "unreadable", Args: map[string]any{"error": err.Error()}}}
}

// problemText renders one problem as "file:line: key: message" in the user's language; a
// problem in [[checks]] names the check too: "checks[0].url (custom.news)".
func problemText(opts program.Options, pr profile.Problem) string {
	msg := opts.Tr().Message(pr.Message())
	loc := pr.File
	if pr.Line > 0 {
		loc = fmt.Sprintf("%s:%d", pr.File, pr.Line)
	}
	key := pr.Key
	if pr.Check != "" {
		key += " (custom." + pr.Check + ")"
	}
	if key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, key, msg)
	}
	return fmt.Sprintf("%s: %s", loc, msg)
}

func printProfileError(env Env, opts program.Options, err error) {
	problems := problemsOf(err)
	fmt.Fprintln(env.Stderr, opts.Tr().F("profile.invalid", "count", len(problems)))
	for _, pr := range problems {
		fmt.Fprintln(env.Stderr, "  "+problemText(opts, pr))
	}
}

// sourceText names where a profile came from, in the user's language.
func sourceText(opts program.Options, s profile.Source) string {
	name := opts.Tr().T("profile.source."+s.Kind, nil)
	if s.Path != "" {
		return name + " (" + s.Path + ")"
	}
	return name
}

// valueJSON is one effective value as `apuri profile show --json` prints it.
type valueJSON struct {
	Key    string `json:"key"`            // services[0].url
	Value  any    `json:"value"`          // string, number, bool or list of strings; durations as "2s"
	Origin string `json:"origin"`         // the source kind (flag, user, system, embedded) or "default"
	File   string `json:"file,omitempty"` // for values set in a file
	Line   int    `json:"line,omitempty"` //
}

// sourceJSON says which profile is in use.
type sourceJSON struct {
	Kind string `json:"kind"`
	Path string `json:"path,omitempty"`
}

// showJSON is the whole answer of `apuri profile show --json`.
type showJSON struct {
	Source   sourceJSON    `json:"source"`
	Values   []valueJSON   `json:"values"`
	Problems []problemJSON `json:"problems"` // of the sources passed over
}

// originDefault marks a value the profile file left out.
const originDefault = "default"

// runProfileShow prints the effective profile after the look-up order and where each value
// came from, so an administrator can see what a computer really uses. A --profile file that
// cannot be used exits 2, as for the other commands; skipped user or system files do not.
func runProfileShow(env Env, opts program.Options, asJSON bool) int {
	loaded := profile.Resolve(opts.Profile)
	values := showValues(loaded)
	if asJSON {
		out := showJSON{Source: sourceJSON{Kind: loaded.Source.Kind, Path: loaded.Source.Path},
			Values: values, Problems: problemsJSON(opts, loaded.Problems)}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else {
		if len(loaded.Problems) > 0 {
			fmt.Fprintln(env.Stderr, opts.Tr().F("profile.show.skipped", "count", len(loaded.Problems)))
			for _, pr := range loaded.Problems {
				fmt.Fprintln(env.Stderr, "  "+problemText(opts, pr))
			}
		}
		fmt.Fprintln(env.Stdout, opts.Tr().F("profile.show.source", "source", sourceText(opts, loaded.Source)))
		fmt.Fprintln(env.Stdout)
		def := opts.Tr().T("profile.show.default", nil)
		for _, v := range values {
			from := def
			if v.Origin != originDefault {
				from = fmt.Sprintf("%s:%d", v.File, v.Line)
			}
			fmt.Fprintf(env.Stdout, "%s = %s  # %s\n", v.Key, tomlText(v.Value), from)
		}
	}
	if opts.Profile != "" && loaded.Source.Kind != profile.SourceFlag {
		return program.ExitUsage
	}
	return program.ExitOK
}

func problemsJSON(opts program.Options, problems []profile.Problem) []problemJSON {
	out := []problemJSON{}
	for _, pr := range problems {
		out = append(out, problemJSON{File: pr.File, Line: pr.Line, Key: pr.Key, Check: pr.Check, Code: pr.Code,
			Args: pr.Args, Message: problemText(opts, pr)})
	}
	return out
}

// showValues lists every key of the effective profile, in the order of the Profile struct, with
// the line of the file that set it or "default".
func showValues(l profile.Loaded) []valueJSON {
	lines, _ := l.Source.KeyLines()
	file := l.Source.Path
	if l.Source.Kind == profile.SourceEmbedded {
		file = profile.DefaultName
	}
	var out []valueJSON
	flatten("", reflect.ValueOf(l.Profile).Elem(), func(key string, value any) {
		v := valueJSON{Key: key, Value: value, Origin: originDefault}
		line, ok := lines[key]
		if list, isList := value.([]any); isList && len(list) > 0 && lines[key+"[0]"] == 0 {
			ok = false // the file gave an empty list, and the default list took its place
		}
		if ok {
			v.Origin, v.File, v.Line = l.Source.Kind, file, line
		}
		out = append(out, v)
	})
	return out
}

var (
	durationType = reflect.TypeFor[profile.Duration]()
	titleType    = reflect.TypeFor[profile.Title]()
)

// flatten walks a profile value by its TOML tags and calls emit for each leaf: scalars, lists of
// strings and durations. An empty list of tables is emitted as one empty list, so it still shows.
func flatten(prefix string, v reflect.Value, emit func(key string, value any)) {
	switch {
	case v.Type() == durationType:
		emit(prefix, v.Interface().(profile.Duration).String())
	case v.Type() == titleType:
		emit(prefix, v.Interface().(profile.Title).Value())
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("toml"), ",")
			if name == "" || name == "-" {
				continue
			}
			key := name
			if prefix != "" {
				key = prefix + "." + name
			}
			flatten(key, v.Field(i), emit)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		if v.Len() == 0 {
			emit(prefix, []any{})
		}
		for i := range v.Len() {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), v.Index(i), emit)
		}
	case v.Kind() == reflect.Slice:
		list := make([]any, v.Len())
		for i := range v.Len() {
			list[i] = v.Index(i).Interface()
		}
		emit(prefix, list)
	default:
		emit(prefix, v.Interface())
	}
}

// tomlText writes a value as it would stand in a profile file.
func tomlText(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = tomlText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]string:
		parts := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, k+" = "+strconv.Quote(x[k]))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	default:
		return fmt.Sprint(x)
	}
}
