//go:build linux

// Package fleet_test proves the organisation's side of the fleet (packaging/fleet) with the
// real parts: an OpenTelemetry Collector built from the pinned upstream modules (./collector,
// a module of its own), Debian's prometheus and prometheus-alertmanager, all on loopback with
// temporary data directories. Simulated computers, each one Apuri's own exporter
// (fleet.Exporter), send the fleet contract's metrics and records over OTLP/HTTP; the tests read
// what Prometheus stored and what Alertmanager holds, and Apuri's agent reads the alerts back as
// known disruptions. One test has real computers instead: the built apuri binary watching in
// three network-namespace labs, each sending through a relay in its lab (labs_test.go). Without
// the Debian packages (or, for that test, root) the tests skip, and with CI=true they fail.
package fleet_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// programs are the Debian packages' programs the tests run, and the package of each.
var programs = map[string]string{
	"prometheus":              "prometheus",
	"promtool":                "prometheus",
	"prometheus-alertmanager": "prometheus-alertmanager",
	"amtool":                  "prometheus-alertmanager",
}

var (
	missing      string // a program that is not installed, with its package
	collectorBin string
	collectorErr error
)

// TestMain builds the collector once for the whole run (or finds it built by an earlier run).
func TestMain(m *testing.M) {
	flag.Parse()
	for prog, pkg := range programs {
		if _, err := exec.LookPath(prog); err != nil {
			missing = fmt.Sprintf("%s (package %s)", prog, pkg)
		}
	}
	// Without the Debian packages every test that needs the collector skips (or fails under
	// CI=true) before it would run it: the minutes of a first build would be for nothing.
	if !testing.Short() && missing == "" {
		collectorBin, collectorErr = collectorBinary()
	}
	os.Exit(m.Run())
}

// needPrograms skips, or fails under CI=true, when a Debian package is missing.
func needPrograms(t testing.TB) {
	t.Helper()
	if missing == "" {
		return
	}
	msg := fmt.Sprintf("%s is not installed; scripts/deps.sh test installs it", missing)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// needStack starts the collector, Prometheus and Alertmanager for one test, stopped at its end.
func needStack(t testing.TB, opt stackOptions) *stack {
	t.Helper()
	if testing.Short() {
		t.Skip("the fleet stack is skipped in -short mode")
	}
	needPrograms(t)
	if collectorErr != nil {
		t.Fatalf("the OpenTelemetry Collector: %v", collectorErr)
	}
	s, err := startStack(collectorBin, t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("what the stack wrote:\n%s", s.logs())
		}
	})
	return s
}
