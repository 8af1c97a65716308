package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// supportEnv is what `apuri bundle` and `apuri request` touch beyond Env; tests replace it.
type supportEnv struct {
	// DataDir holds the outbox and the remembered contact; default support.DefaultDataDir().
	DataDir string
	// SaveDir is where the portal and e-mail channels save files; default support.DefaultSaveDir().
	SaveDir string
	Secrets support.Secrets
	Client  *http.Client
	Open    support.Opener
	Run     support.CommandRunner
	// Identity is redacted and names the contact; nil: support.OSIdentity().
	Identity *support.Identity
	// Timeline is the recorded connectivity timeline; nil: none.
	Timeline func() ([]byte, error)
	Stdin    io.Reader
	Now      func() time.Time
}

var supportDeps = supportEnv{
	Secrets: support.Keyring{},
	Timeline: func() ([]byte, error) {
		path := timeline.DefaultPath()
		if path == "" {
			return nil, nil
		}
		if _, err := os.Stat(path); err != nil {
			return nil, nil // the watcher has recorded nothing here
		}
		return agent.BundleTimeline(timeline.Open(path), time.Now())
	},
	Stdin: os.Stdin,
	Now:   time.Now,
}

// diagnoseForSupport runs the diagnosis a bundle or a request is made from, stopping at ^C.
func diagnoseForSupport(env Env, opts program.Options, p *profile.Profile) *diagnostics.Report {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return diagnoseNotingDisruptions(ctx, env, opts, p, nil)
}

// profileSource names where the profile in use came from, for the bundle.
func profileSource(opts program.Options) string {
	if opts.Profile != "" {
		return profile.SourceFlag
	}
	return profile.Resolve("").Source.Kind
}

func buildBundle(env Env, opts program.Options, p *profile.Profile, report *diagnostics.Report) (*support.Bundle, error) {
	return support.BuildBundle(support.BundleInput{
		Report: report, Profile: p, ProfileSource: profileSource(opts), Lang: opts.Tr().Lang(),
		Timeline: supportDeps.Timeline, Identity: supportDeps.Identity, Now: supportDeps.Now,
	})
}

func runBundle(env Env, _ program.Options, args []string) int {
	f := newFlags("bundle")
	out := f.String("o", "", "the zip file to write; - for standard output")
	if _, ok := f.parse(env, args); !ok {
		return program.ExitUsage
	}
	tr := f.opts.Tr()
	if *out == "" {
		fmt.Fprintln(env.Stderr, tr.T("cli.bundle.need_output", nil))
		return program.ExitUsage
	}
	p, ok := loadProfile(env, f.opts)
	if !ok {
		return program.ExitUsage
	}
	b, err := buildBundle(env, f.opts, p, diagnoseForSupport(env, f.opts, p))
	if err != nil {
		fmt.Fprintln(env.Stderr, tr.F("cli.bundle.failed", "error", err.Error()))
		return program.ExitFailed
	}
	if *out == "-" {
		if _, err := env.Stdout.Write(b.Data); err != nil {
			fmt.Fprintln(env.Stderr, tr.F("cli.bundle.failed", "error", err.Error()))
			return program.ExitFailed
		}
		return program.ExitOK
	}
	path := *out
	if !strings.HasSuffix(strings.ToLower(path), ".zip") {
		path += ".zip"
	}
	if err := os.WriteFile(path, b.Data, 0o600); err != nil {
		fmt.Fprintln(env.Stderr, tr.F("cli.bundle.failed", "error", err.Error()))
		return program.ExitFailed
	}
	total := 0
	for _, n := range b.Redactions {
		total += n
	}
	fmt.Fprintln(env.Stdout, tr.F("cli.bundle.written", "file", filepath.Clean(path), "size", b.Size(),
		"files", len(b.Files), "redactions", total))
	printRedactions(env.Stdout, b.Redactions)
	return program.ExitOK
}

// printRedactions lists what was removed, by kind, for people to check.
func printRedactions(w io.Writer, counts map[string]int) {
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %s: %d\n", k, counts[k])
	}
}
