// Package cli implements Apuri's command line (docs/report.md): flags, text and JSON output, exit
// codes. It never imports Fyne; main.go hands it the tray and window entry points.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// exitUnknown is the exit code of an unknown subcommand.
const exitUnknown = program.ExitUsage

// Env is what a command may touch: its streams and the entry points that need a display.
type Env struct {
	Stdout, Stderr io.Writer
	// Tray runs the tray agent (no subcommand); nil where this build has none.
	Tray func(opts program.Options) int
	// Window runs one Fyne window ("details", "help", "request", "settings").
	Window func(name string, opts program.Options) int
	// Diagnose runs a whole diagnosis; tests give a fake so that no real network is probed.
	Diagnose func(ctx context.Context, p *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report
}

// command is one subcommand.
type command struct {
	name string
	run  func(env Env, opts program.Options, args []string) int
}

func commands() []command {
	return []command{
		{"diagnose", runDiagnose},
		{"watch", runWatch},
		{"report", runReport},
		{"bundle", runBundle},
		{"request", runRequest},
		{"profile", runProfile},
		{"version", runVersion},
		{"window", runWindow},
		{"help", runHelp},
	}
}

// Main runs the command line and returns the exit code.
func Main(env Env, args []string) int {
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.Diagnose == nil {
		env.Diagnose = diagnostics.Diagnose
	}
	name, rest := splitCommand(args)
	if name == "" {
		return runTray(env, args)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(env, program.Options{}, rest)
		}
	}
	tr := i18n.New(i18n.Detect(langOf(args)))
	fmt.Fprintln(env.Stderr, tr.F("cli.unknown_command", "name", name))
	fmt.Fprintln(env.Stderr, tr.T("cli.usage", nil))
	return exitUnknown
}

// flags is a flag set with the common options, translated errors and interspersed flags, so
// that `apuri profile check FILE --json` works as people type it.
type flags struct {
	*flag.FlagSet
	opts program.Options
}

func newFlags(name string) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.SetOutput(io.Discard)
	f.StringVar(&f.opts.Profile, "profile", "", "organisation profile file")
	f.StringVar(&f.opts.Lang, "lang", "", "language: fi, sv or en")
	return f
}

// parse parses flags anywhere among the arguments and returns the positional ones. On a usage
// error it prints a translated message and returns ok=false.
func (f *flags) parse(env Env, args []string) (positional []string, ok bool) {
	all := args
	for {
		if err := f.Parse(args); err != nil {
			// --lang may stand after the word that is wrong, where Parse never reached it.
			f.opts = f.opts.WithTranslator(i18n.New(i18n.Detect(langOf(all))))
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(env.Stdout, f.opts.Tr().T("cli.usage", nil))
				return nil, false
			}
			fmt.Fprintln(env.Stderr, flagProblem(f.FlagSet, f.opts.Tr(), all))
			fmt.Fprintln(env.Stderr, f.opts.Tr().T("cli.usage", nil))
			return nil, false
		}
		if f.NArg() == 0 {
			break
		}
		positional = append(positional, f.Arg(0))
		args = f.Args()[1:]
	}
	if f.opts.Lang != "" && !i18n.Supported(f.opts.Lang) {
		f.opts = f.opts.WithTranslator(i18n.New(i18n.Detect("")))
		fmt.Fprintln(env.Stderr, f.opts.Tr().F("cli.bad_lang", "lang", f.opts.Lang))
		return nil, false
	}
	f.opts = f.opts.WithTranslator(i18n.New(i18n.Detect(f.opts.Lang)))
	return positional, true
}

func runVersion(env Env, _ program.Options, args []string) int {
	f := newFlags("version")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	fmt.Fprintf(env.Stdout, "apuri %s\n", program.Version)
	return program.ExitOK
}

func runHelp(env Env, _ program.Options, args []string) int {
	f := newFlags("help")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	fmt.Fprintln(env.Stdout, f.opts.Tr().T("cli.usage", nil))
	return program.ExitOK
}

func runTray(env Env, args []string) int {
	f := newFlags("apuri")
	details := f.Bool("details", false, "also show the details window")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	if env.Tray == nil {
		// No tray in this build: the diagnosis is what Apuri can do.
		return runDiagnose(env, f.opts, args)
	}
	opts := f.opts
	opts.Details = *details
	return env.Tray(opts)
}

func runWindow(env Env, _ program.Options, args []string) int {
	f := newFlags("window")
	pos, ok := f.parse(env, args)
	if !ok {
		return program.ExitUsage
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, f.opts.Tr().T("cli.window.need_name", nil))
		fmt.Fprintln(env.Stderr, f.opts.Tr().T("cli.usage", nil))
		return program.ExitUsage
	}
	if env.Window == nil {
		// This program is the agent's: the windows live in their own binary beside it.
		return runWindowBinary(env, f.opts, args)
	}
	return env.Window(pos[0], f.opts)
}
