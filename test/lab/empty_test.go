//go:build linux

package lab_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// contractIDs are the checks every report has, whatever the profile (docs/report.md).
var contractIDs = []string{
	"network.interfaces", "network.gateway", "network.dns", "network.internet",
	"vpn.tunnel", "vpn.internal",
	"system.cpu", "system.memory", "system.disk", "system.reboot", "system.updates", "system.uptime", "system.clock",
	"account.password", "account.certificates",
}

// TestDefaultProfileInEmptyNamespace runs `apuri diagnose` with the embedded default profile in
// a namespace that has only loopback, as a computer with no network at all: nothing it tries can
// leave. The report must be complete and the verdict a low layer. How long it took is logged
// (the goals are benchmarks, not assertions); the one-minute bound only stops a hang.
func TestDefaultProfileInEmptyNamespace(t *testing.T) {
	need(t)
	if _, err := os.Stat("/etc/apuri/profile.toml"); err == nil {
		t.Log("note: /etc/apuri/profile.toml exists and is used instead of the embedded default")
	}
	ns := lab.EmptyNamespaceFor(t, "empty")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := apuri().Diagnose(ctx, ns, "")
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Report
	t.Logf("default profile, no network: verdict %s, report %d ms, wall %v, slowest check %s %d ms",
		rep.Verdict.Cause, rep.DurationMS, r.Wall.Round(time.Millisecond), rep.Slowest().ID, rep.Slowest().DurationMS)
	defer func() {
		if t.Failed() {
			t.Logf("report:\n%s\nstderr: %s", r.Stdout, r.Stderr)
		}
	}()

	if low := []string{"no_link", "no_address", "no_route"}; !slices.Contains(low, rep.Verdict.Cause) {
		t.Errorf("verdict.cause = %q, want one of %v: there is no network at all", rep.Verdict.Cause, low)
	}
	if rep.Verdict.Status != "fail" || rep.Verdict.Summary == "" || len(rep.Verdict.Advice) == 0 {
		t.Errorf("verdict status %q summary %q advice %v: want fail, a summary and advice",
			rep.Verdict.Status, rep.Verdict.Summary, rep.Verdict.Advice)
	}
	if r.ExitCode != 1 {
		t.Errorf("exit code %d, want 1", r.ExitCode)
	}
	checkComplete(t, rep)
}

// checkComplete checks the report's shape: the schema, every contract check exactly once with
// a valid status and a translated summary, and evidence that points at failing checks.
func checkComplete(t *testing.T, rep *lab.Report) {
	t.Helper()
	if rep.Schema != "apuri.report/v1" {
		t.Errorf("schema = %q", rep.Schema)
	}
	if _, err := time.Parse(time.RFC3339Nano, rep.StartedAt); err != nil {
		t.Errorf("started_at %q: %v", rep.StartedAt, err)
	}
	if rep.Host.OS != "linux" {
		t.Errorf("host.os = %q", rep.Host.OS)
	}
	seen := map[string]int{}
	for _, c := range rep.Checks {
		seen[c.ID]++
		if !slices.Contains([]string{"ok", "warn", "fail", "skip"}, c.Status) {
			t.Errorf("%s status %q", c.ID, c.Status)
		}
		if c.Summary == "" || strings.HasPrefix(c.Summary, "check.") {
			t.Errorf("%s summary %q is not translated", c.ID, c.Summary)
		}
		if c.Group == "" || !strings.HasPrefix(c.ID, c.Group+".") {
			t.Errorf("%s group %q", c.ID, c.Group)
		}
	}
	for _, id := range contractIDs {
		if seen[id] != 1 {
			t.Errorf("%s appears %d times, want once", id, seen[id])
		}
	}
	if len(rep.Verdict.Evidence) == 0 {
		t.Error("verdict has no evidence")
	}
	for _, id := range rep.Verdict.Evidence {
		if c, ok := rep.Check(id); !ok || c.Status != rep.Verdict.Status {
			t.Errorf("evidence %s is %q, want a %s check", id, c.Status, rep.Verdict.Status)
		}
	}
}
