//go:build linux

// Package winlab_test runs the Windows build of apuri (apuri.exe) under Wine inside the
// network fault lab (internal/testsupport/lab): Wine answers Windows' IP Helper API from the
// Linux kernel of the lab's client namespace, so the Windows code reads real adapters, routes,
// neighbours and resolvers. Each fault must give the cause the Linux build gives. It needs
// root, iproute2, dnsmasq, Wine and mingw-w64; without them it skips, and with CI=true it fails.
package winlab_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

var (
	// wine holds apuri.exe and the Wine prefix, made once for the whole run.
	wine    *lab.Wine
	wineErr error
	// diagnosticsTest is the diagnostics package's Windows test binary.
	diagnosticsTest string
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse()
	if missing() != "" || testing.Short() {
		return m.Run() // each test says why it skips
	}
	lab.CleanStaleAndSay("winlab")
	dir, err := os.MkdirTemp("", "apuri-winlab-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The build and wineboot run before m.Run, outside the test timeout; the tests report a
	// failure.
	start := time.Now()
	wine, wineErr = lab.NewWine(dir)
	if wine != nil {
		defer wine.Close()
	}
	if wineErr == nil {
		diagnosticsTest = filepath.Join(dir, "diagnostics.test.exe")
		wineErr = lab.BuildWindows(diagnosticsTest, "test:./diagnostics")
	}
	fmt.Fprintf(os.Stderr, "winlab: apuri.exe and the Wine prefix made in %v\n", time.Since(start).Round(100*time.Millisecond))
	return m.Run()
}

func missing() string {
	var m []string
	for _, s := range []string{lab.Missing(), lab.WineMissing()} {
		if s != "" {
			m = append(m, s)
		}
	}
	return strings.Join(m, "; ")
}

// need skips a test that cannot run here and says what is missing; under CI=true a missing
// requirement fails instead, so the Wine lab cannot silently stop running.
func need(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("Wine lab skipped in -short mode")
	}
	if m := missing(); m != "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("Wine lab needs %s", m)
		}
		tb.Skipf("Wine lab needs %s (run as root: sudo go test ./test/winlab/)", m)
	}
	if wineErr != nil {
		tb.Fatalf("cannot prepare apuri.exe under Wine: %v", wineErr)
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

// diagnose runs `apuri.exe diagnose --json --profile` under Wine in the lab's client namespace.
// When the test fails, its log gets the report and the client's network state.
func diagnose(tb testing.TB, l *lab.Lab, o lab.ProfileOptions) *lab.Run {
	tb.Helper()
	return diagnoseEnv(tb, l, o, nil)
}

// diagnoseEnv is diagnose with env added to apuri.exe's environment.
func diagnoseEnv(tb testing.TB, l *lab.Lab, o lab.ProfileOptions, env []string) *lab.Run {
	tb.Helper()
	path, err := l.WriteProfile(o)
	if err != nil {
		tb.Fatal(err)
	}
	// Far above any profile's total plus Wine's start, so a hung run fails instead of hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := wine.Diagnose(ctx, l.Client, path, env)
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
