package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

func runDiagnose(env Env, _ program.Options, args []string) int {
	f := newFlags("diagnose")
	asJSON := f.Bool("json", false, "print the report as JSON")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	report, _, ok := freshReport(env, f.opts)
	if !ok {
		return program.ExitUsage
	}
	report.Localize(f.opts.Tr())
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintln(env.Stderr, f.opts.Tr().F("cli.write_failed", "error", err.Error()))
			return program.ExitFailed
		}
	} else {
		fmt.Fprint(env.Stdout, report.Text(f.opts.Tr()))
	}
	if report.Failed() {
		return program.ExitFailed
	}
	return program.ExitOK
}

// freshReport runs one diagnosis with the command's profile, noting the known disruptions; an
// interrupt ends it early with what was found. ok is false when the profile named cannot be used.
func freshReport(env Env, opts program.Options) (*diagnostics.Report, *profile.Profile, bool) {
	p, ok := loadProfile(env, opts)
	if !ok {
		return nil, nil, false
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return diagnoseNotingDisruptions(ctx, env, opts, p, nil), p, true
}

// loadProfile finds the profile for a command. An explicitly named profile must be valid (the
// command exits 2 otherwise, so scripts notice); without one, broken user or system profiles are
// skipped with a warning and the next source is used, as the tray does.
func loadProfile(env Env, opts program.Options) (*profile.Profile, bool) {
	if opts.Profile != "" {
		p, err := profile.Load(opts.Profile)
		if err != nil {
			printProfileError(env, opts, err)
			return nil, false
		}
		return p, true
	}
	loaded := profile.Resolve("")
	for _, pr := range loaded.Problems {
		fmt.Fprintln(env.Stderr, problemText(opts, pr))
	}
	if len(loaded.Problems) > 0 {
		fmt.Fprintln(env.Stderr, opts.Tr().F("profile.fell_back", "source", sourceText(opts, loaded.Source)))
	}
	return loaded.Profile, true
}
