package cli

import (
	"fmt"
	"path/filepath"

	"github.com/apuri-project/apuri/internal/atomicfile"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/selfhelp/webpage"
)

// runReport is `apuri report`: a fresh diagnosis with the support guide's ladder, as the
// accessible web page with --html (selfhelp/webpage), else as the text `apuri diagnose` prints;
// to the file -o names, or to standard output. Its exit code is the diagnosis's, as for diagnose.
func runReport(env Env, _ program.Options, args []string) int {
	f := newFlags("report")
	asHTML := f.Bool("html", false, "write the report as an accessible web page")
	out := f.String("o", "", "the file to write; standard output without it")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	tr := f.opts.Tr()
	report, p, ok := freshReport(env, f.opts)
	if !ok {
		return program.ExitUsage
	}

	var data []byte
	if *asHTML {
		var err error
		if data, err = webpage.Bytes(webpage.Page{Report: report, Profile: p}, tr); err != nil {
			fmt.Fprintln(env.Stderr, tr.F("cli.write_failed", "error", err.Error()))
			return program.ExitFailed
		}
	} else {
		report.Localize(tr)
		data = []byte(report.Text(tr))
	}
	if *out == "" || *out == "-" {
		if _, err := env.Stdout.Write(data); err != nil {
			fmt.Fprintln(env.Stderr, tr.F("cli.write_failed", "error", err.Error()))
			return program.ExitFailed
		}
	} else {
		// Readable by the user alone: the report names the computer's addresses and services.
		if err := atomicfile.Write(*out, data, 0o600); err != nil {
			fmt.Fprintln(env.Stderr, tr.F("cli.write_failed", "error", err.Error()))
			return program.ExitFailed
		}
		fmt.Fprintln(env.Stdout, tr.F("cli.report.written", "file", filepath.Clean(*out)))
	}
	if report.Failed() {
		return program.ExitFailed
	}
	return program.ExitOK
}
