//go:build linux

// Package lab_test runs the apuri binary inside a closed network of namespaces
// (internal/testsupport/lab), breaks one layer at a time with a real fault, and checks that the
// diagnosis names that layer.
// It needs root, iproute2 and dnsmasq; without them it skips, and with CI=true it fails.
package lab_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

var (
	// apuriBin is the binary built once for the whole run.
	apuriBin string
	// buildErr is why it could not be built.
	buildErr error
	// binDir holds the binary and every run's private HOME.
	binDir string
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse()
	if lab.Missing() != "" || testing.Short() {
		return m.Run() // each test says why it skips
	}
	lab.CleanStaleAndSay("lab")
	var err error
	if binDir, err = os.MkdirTemp("", "apuri-lab-bin-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(binDir)
	apuriBin = filepath.Join(binDir, "apuri")
	buildErr = lab.Build(apuriBin, "github.com/apuri-project/apuri")
	return m.Run()
}

// need skips a test that cannot run here and says what is missing; in CI (CI=true) a missing
// requirement fails instead, so the lab cannot silently stop running.
func need(tb testing.TB) {
	tb.Helper()
	lab.Need(tb)
	if buildErr != nil {
		tb.Fatalf("cannot build apuri: %v", buildErr)
	}
}

// newLab builds a healthy lab that is removed when the test ends, whatever happens.
func newLab(tb testing.TB) *lab.Lab {
	tb.Helper()
	need(tb)
	l, err := lab.New(context.Background(), lab.Options{Logf: tb.Logf})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := l.Close(); err != nil {
			tb.Errorf("remove lab: %v", err)
		}
	})
	return l
}

func apuri() lab.Apuri { return lab.Apuri{Bin: apuriBin, Dir: binDir} }

// diagnose runs `apuri diagnose --json --profile` in the lab's client namespace. When the test
// fails, its log gets the report and the client's network state.
func diagnose(tb testing.TB, l *lab.Lab, o lab.ProfileOptions) *lab.Run {
	tb.Helper()
	return diagnoseEnv(tb, l, o, nil)
}

// diagnoseEnv is diagnose with env added to apuri's environment (a proxy, a desktop's settings).
func diagnoseEnv(tb testing.TB, l *lab.Lab, o lab.ProfileOptions, env []string) *lab.Run {
	tb.Helper()
	path, err := l.WriteProfile(o)
	if err != nil {
		tb.Fatal(err)
	}
	// A bound far above any profile's total, so a hung binary fails the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := apuri()
	a.Env = env
	r, err := a.Diagnose(ctx, l.Client, path)
	if err != nil {
		tb.Fatalf("%v\n%s", err, l.Describe())
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("report (exit %d, %v):\n%s\nstderr: %s\n%s", r.ExitCode, r.Wall, r.Stdout, r.Stderr, l.Describe())
		}
	})
	return r
}

// details renders a check's details as JSON, for matching an address in them.
func details(c lab.CheckResult) string {
	b, _ := json.Marshal(c.Details)
	return string(b)
}

// decodeDetails decodes a check's details into v.
func decodeDetails(tb testing.TB, c lab.CheckResult, v any) {
	tb.Helper()
	b, err := json.Marshal(c.Details)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("%s details: %v", c.ID, err)
	}
}
