package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/apuri-project/apuri/profile"
)

// problemJSON is one profile problem as `apuri profile check --json` prints it for scripts.
type problemJSON struct {
	File    string         `json:"file"`
	Line    int            `json:"line"`
	Key     string         `json:"key"`
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

func runProfile(env Env, _ Options, args []string) int {
	f := newFlags("profile")
	asJSON := f.Bool("json", false, "print the result as JSON")
	pos, ok := f.parse(env, args)
	if !ok {
		return ExitUsage
	}
	if len(pos) != 2 || pos[0] != "check" {
		fmt.Fprintln(env.Stderr, f.opts.tr.T("cli.usage", nil))
		return ExitUsage
	}
	file := pos[1]
	_, err := profile.Load(file)
	problems := problemsOf(err)
	if *asJSON {
		out := checkJSON{File: file, Valid: err == nil, Problems: []problemJSON{}}
		for _, pr := range problems {
			out.Problems = append(out.Problems, problemJSON{
				File: pr.File, Line: pr.Line, Key: pr.Key, Code: pr.Code, Args: pr.Args,
				Message: problemText(f.opts, pr),
			})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
	} else if err == nil {
		fmt.Fprintln(env.Stdout, f.opts.tr.F("profile.check_ok", "file", file))
	} else {
		printProfileError(env, f.opts, err)
	}
	if err != nil {
		return ExitUsage
	}
	return ExitOK
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

// problemText renders one problem as "file:line: key: message" in the user's language.
func problemText(opts Options, pr profile.Problem) string {
	msg := opts.tr.T("profile.err."+pr.Code, pr.Args)
	loc := pr.File
	if pr.Line > 0 {
		loc = fmt.Sprintf("%s:%d", pr.File, pr.Line)
	}
	if pr.Key != "" {
		return fmt.Sprintf("%s: %s: %s", loc, pr.Key, msg)
	}
	return fmt.Sprintf("%s: %s", loc, msg)
}

func printProfileError(env Env, opts Options, err error) {
	problems := problemsOf(err)
	fmt.Fprintln(env.Stderr, opts.tr.F("profile.invalid", "count", len(problems)))
	for _, pr := range problems {
		fmt.Fprintln(env.Stderr, "  "+problemText(opts, pr))
	}
}

// sourceText names where a profile came from, in the user's language.
func sourceText(opts Options, s profile.Source) string {
	name := opts.tr.T("profile.source."+s.Kind, nil)
	if s.Path != "" {
		return name + " (" + s.Path + ")"
	}
	return name
}
