//go:build linux

package lab_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/timeline"
)

// watchProfile is the lab profile for the watcher: the shortest periodic probe the profile
// allows, and timeouts short enough that a black-holed probe gives up within a second.
var watchProfile = lab.ProfileOptions{CheckTimeout: time.Second, Total: 2 * time.Second}

const watchInterval = 5 * time.Second

// Bounds far above what the watcher needs (see the benchmarks), so a test fails rather than
// hangs when an event never comes.
const (
	startTimeout   = 20 * time.Second
	lostTimeout    = 30 * time.Second
	restoreTimeout = 45 * time.Second
)

// startWatch builds a healthy lab and starts `apuri watch --json` in its client namespace,
// returning once the watcher has said it starts healthy. The process is stopped and, when the
// test failed, everything it printed logged.
func startWatch(tb testing.TB) (*lab.Lab, *lab.WatchProc) {
	tb.Helper()
	return startWatchEvery(tb, watchInterval)
}

// startWatchEvery is startWatch with the periodic probe every interval.
func startWatchEvery(tb testing.TB, interval time.Duration) (*lab.Lab, *lab.WatchProc) {
	tb.Helper()
	return startWatchWith(tb, watchProfile, interval)
}

// startWatchWith is startWatch with the profile's options o and the periodic probe every
// interval. The watcher runs with --verbose, so its stderr tells why it probed when.
func startWatchWith(tb testing.TB, o lab.ProfileOptions, interval time.Duration) (*lab.Lab, *lab.WatchProc) {
	tb.Helper()
	l := newLab(tb)
	path, err := l.WriteWatchProfile(o, interval)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	w, err := apuri().Watch(ctx, l.Client, path, "--verbose")
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		w.Close()
		cancel()
		if tb.Failed() {
			var b strings.Builder
			for _, line := range w.Seen() {
				fmt.Fprintf(&b, "%s  %s\n", line.Read.Format("15:04:05.000"), line.Raw)
			}
			tb.Logf("apuri watch printed:\n%sstderr: %s\n%s", b.String(), w.Stderr(), l.Describe())
		}
	})
	started, err := w.Next(startTimeout, isEvent("started"))
	if err != nil {
		tb.Fatalf("waiting for the started line: %v", err)
	}
	if started.Cause != "healthy" || started.Status != "ok" {
		tb.Fatalf("the watch starts %s/%s in a healthy lab: %s", started.Cause, started.Status, started.Raw)
	}
	return l, w
}

func isEvent(event string) func(lab.WatchLine) bool {
	return func(l lab.WatchLine) bool { return l.Event == event }
}

func isDiagnosis(trigger string) func(lab.WatchLine) bool {
	return func(l lab.WatchLine) bool { return l.Event == "diagnosis" && l.Trigger == trigger }
}

type watchCase struct {
	name  string
	fault func(*lab.Lab) error
	undo  func(*lab.Lab) error
	// cause is what the lost event and the automatic diagnosis both name.
	cause string
	// minBounces is how often the connection must have come back and broken again.
	minBounces int
}

// TestWatchFaults injects one real fault per case under a running `apuri watch --json`, and
// checks that exactly one incident follows: lost with the broken layer, the automatic diagnosis
// naming the same layer, and once the fault is undone restored and a healthy diagnosis. The
// timeline the watcher kept must hold that one incident. Every stop is by signal and exits 0.
func TestWatchFaults(t *testing.T) {
	need(t)
	cases := []watchCase{
		{name: "link down: adapter switched off", fault: (*lab.Lab).ClientLinkDown, undo: (*lab.Lab).ClientLinkUp, cause: "no_link"},
		{name: "address removed", fault: (*lab.Lab).RemoveClientAddress, undo: (*lab.Lab).RestoreClientAddress, cause: "no_address"},
		{name: "default route removed", fault: (*lab.Lab).DeleteDefaultRoute, undo: (*lab.Lab).RestoreDefaultRoute, cause: "no_route"},
		{name: "gateway black-holed: nothing answers ARP", fault: (*lab.Lab).RemoveGateway, undo: (*lab.Lab).RestoreGateway,
			cause: "gateway_unreachable"},
		{name: "DNS killed", fault: (*lab.Lab).KillAllDNS, undo: (*lab.Lab).RestartAllDNS, cause: "dns_failure"},
		{name: "internet black-holed", fault: (*lab.Lab).BlackholeProbe, undo: (*lab.Lab).UnblackholeProbe, cause: "internet_unreachable"},
		{name: "VPN interface removed", fault: (*lab.Lab).DeleteTunnel, undo: (*lab.Lab).RestoreTunnel, cause: "vpn_down"},
		{
			// Three bounces, each down longer than the grace period and up shorter than the
			// hold-down: one incident, restored once, the bounces counted in it.
			name: "flapping cable: one incident per burst",
			fault: func(l *lab.Lab) error {
				return l.FlapCable(3, 3*diagnostics.DefaultWatchGrace, diagnostics.DefaultWatchHoldDown/4)
			},
			undo:  func(*lab.Lab) error { return nil },
			cause: "no_link", minBounces: 1,
		},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, w := startWatch(t)
			if err := tc.fault(l); err != nil {
				t.Fatalf("inject fault: %v", err)
			}
			lost, err := w.Next(lostTimeout, isEvent("lost"))
			if err != nil {
				t.Fatalf("waiting for lost: %v", err)
			}
			if lost.Cause != tc.cause || lost.Status != "fail" || lost.Since.IsZero() || lost.Summary == "" {
				t.Errorf("lost: %s", lost.Raw)
			}
			diag, err := w.Next(lostTimeout, isDiagnosis("lost"))
			if err != nil {
				t.Fatalf("waiting for the automatic diagnosis: %v", err)
			}
			if diag.Cause != tc.cause || diag.Verdict == nil || len(diag.Verdict.Advice) == 0 {
				t.Errorf("diagnosis after the loss: %s", diag.Raw)
			}
			if err := tc.undo(l); err != nil {
				t.Fatalf("undo fault: %v", err)
			}
			restored, err := w.Next(restoreTimeout, isEvent("restored"))
			if err != nil {
				t.Fatalf("waiting for restored: %v", err)
			}
			if restored.Ended != "lost" || restored.Cause != tc.cause || restored.DurationS <= 0 ||
				restored.Bounces < tc.minBounces || !restored.Since.Equal(lost.Since) {
				t.Errorf("restored: %s", restored.Raw)
			}
			if d, err := w.Next(lostTimeout, isDiagnosis("restored")); err != nil || d.Cause != "healthy" {
				t.Errorf("diagnosis after the restore: %v %s", err, d.Raw)
			}
			// Alternate the two signals that must end the watch cleanly.
			sig := []os.Signal{syscall.SIGTERM, syscall.SIGINT}[i%2]
			if code, err := w.Stop(sig); err != nil || code != 0 {
				t.Errorf("stopped by %v: exit %d, %v", sig, code, err)
			}
			counts := map[string]int{}
			for _, line := range w.Seen() {
				counts[line.Event]++
				if line.Time.IsZero() || line.Event == "" || line.Cause == "" {
					t.Errorf("line lacks time, event or cause: %s", line.Raw)
				}
			}
			if counts["lost"] != 1 || counts["restored"] != 1 || counts["started"] != 1 || counts["unparsable"] != 0 {
				t.Errorf("events %v, want one incident", counts)
			}
			checkTimeline(t, w.TimelinePath(), tc.cause)
		})
	}
}

// TestWatchBlackholeUnderTraffic black-holes everything beyond the router while the user's own
// requests to a server there flow, with the periodic probe an hour away and no local change for
// the OS to report: only the user's stalled connections can start the probe that finds the
// loss. One incident must follow, lost with internet_unreachable, then restored.
func TestWatchBlackholeUnderTraffic(t *testing.T) {
	need(t)
	t.Parallel()
	l, w := startWatchEvery(t, time.Hour)
	traffic := l.StartTraffic(userRequestEvery, userRequestTimeout)
	defer traffic.Stop()
	if err := traffic.WaitAnswered(5, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	lost := blackholeUntilLost(t, l, w)
	if err := l.UnblackholeUpstream(); err != nil {
		t.Fatalf("undo fault: %v", err)
	}
	restored, err := w.Next(restoreTimeout, isEvent("restored"))
	if err != nil {
		t.Fatalf("waiting for restored: %v", err)
	}
	if restored.Ended != "lost" || restored.Cause != "internet_unreachable" || !restored.Since.Equal(lost.Since) {
		t.Errorf("restored: %s", restored.Raw)
	}
	if d, err := w.Next(lostTimeout, isDiagnosis("restored")); err != nil || d.Cause != "healthy" {
		t.Errorf("diagnosis after the restore: %v %s", err, d.Raw)
	}
	if err := traffic.WaitAnswered(3, 10*time.Second); err != nil {
		t.Errorf("after the repair: %v", err)
	}
	if code, err := w.Stop(syscall.SIGTERM); err != nil || code != 0 {
		t.Errorf("stopped: exit %d, %v", code, err)
	}
	counts := map[string]int{}
	for _, line := range w.Seen() {
		counts[line.Event]++
	}
	if counts["lost"] != 1 || counts["restored"] != 1 || counts["degraded"] != 0 {
		t.Errorf("events %v, want one incident", counts)
	}
}

// The user's traffic in the lab: a request every quarter second, as a web application that
// polls sends, each given up after 2 s.
const (
	userRequestEvery   = 250 * time.Millisecond
	userRequestTimeout = 2 * time.Second
)

// checkTimeline reads the watcher's timeline: one lost incident with the cause and the
// diagnosis, over, and samples with the gateway's and the internet probe's quality.
func checkTimeline(t *testing.T, path, cause string) {
	t.Helper()
	tl, err := timeline.Open(path).Query(time.Now().Add(-time.Hour), time.Now())
	if err != nil {
		t.Fatalf("timeline: %v", err)
	}
	var lost []timeline.Incident
	for _, i := range tl.Incidents {
		if i.Kind == timeline.KindLost {
			lost = append(lost, i)
		}
	}
	if len(lost) != 1 {
		t.Fatalf("timeline has %d lost incidents: %+v", len(lost), tl.Incidents)
	}
	if i := lost[0]; string(i.Cause) != cause || string(i.Diagnosis) != cause || i.Ongoing() {
		t.Errorf("timeline incident %+v", i)
	}
	measured := 0
	for _, s := range tl.Samples {
		// A veth answers in well under 0.1 ms, so the latency may round to zero; the loss may not.
		if s.Status == diagnostics.StatusOK && s.Gateway != nil && s.Gateway.LossPercent < 100 &&
			s.Internet != nil && s.Internet.LatencyMS > 0 && s.VPN != nil && s.VPN.LossPercent == 0 {
			measured++
		}
	}
	if measured == 0 {
		t.Errorf("no healthy sample measured the gateway, the internet and the VPN: %d samples", len(tl.Samples))
	}
}

// blackholeUntilLost black-holes the internet beyond the router and waits until the watcher
// reports the connection lost and its diagnosis names the internet; it returns the lost event.
func blackholeUntilLost(t *testing.T, l *lab.Lab, w *lab.WatchProc) lab.WatchLine {
	t.Helper()
	if err := l.BlackholeUpstream(); err != nil {
		t.Fatalf("inject fault: %v", err)
	}
	lost, err := w.Next(lostTimeout, isEvent("lost"))
	if err != nil {
		t.Fatalf("waiting for lost: %v", err)
	}
	if lost.Cause != "internet_unreachable" || lost.Status != "fail" {
		t.Errorf("lost: %s", lost.Raw)
	}
	if d, err := w.Next(lostTimeout, isDiagnosis("lost")); err != nil || d.Cause != "internet_unreachable" {
		t.Errorf("diagnosis after the loss: %v %s", err, d.Raw)
	}
	return lost
}
