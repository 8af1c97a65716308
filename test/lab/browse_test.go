//go:build linux

package lab_test

import (
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// browsePattern is one shape of the user's traffic to a server beyond the router, as a browser
// makes it; start begins it and returns a wait that holds until it flows, and a stop.
type browsePattern struct {
	name  string
	start func(tb testing.TB, l *lab.Lab) (flowing func() error, stop func())
}

// The browsing patterns: a new connection every 0.3 s, a request every 0.3 s over one kept-alive
// connection, and a download in flight. A request waits up to 5 s for its answer before giving
// up and connecting afresh; a download waits for its next bytes as long as a browser does, so
// that only its silence can tell of the loss (no new connection's SYN does).
var browsePatterns = []browsePattern{
	{"new connections", func(_ testing.TB, l *lab.Lab) (func() error, func()) {
		t := l.StartShortConnections(browseEvery, browseTimeout)
		return func() error { return t.WaitAnswered(3, 15*time.Second) }, t.Stop
	}},
	{"keep-alive", func(_ testing.TB, l *lab.Lab) (func() error, func()) {
		t := l.StartTraffic(browseEvery, browseTimeout)
		return func() error { return t.WaitAnswered(3, 15*time.Second) }, t.Stop
	}},
	{"download", func(tb testing.TB, l *lab.Lab) (func() error, func()) {
		d, err := l.StartDownload(8<<20, downloadPatience)
		if err != nil {
			tb.Fatal(err)
		}
		return func() error { return d.WaitReceived(1<<20, 15*time.Second) }, d.Stop
	}},
}

const (
	browseEvery   = 300 * time.Millisecond
	browseTimeout = 5 * time.Second
	// downloadPatience is how long a stalled download waits before it starts again.
	downloadPatience = 2 * time.Minute
	// healthyWindow is how long healthy browsing must go unremarked.
	healthyWindow = 20 * time.Second
)

// TestWatchUpstreamLossWhileBrowsing runs each browsing pattern under `apuri watch --json` with
// the default timeouts and the periodic probe an hour away, so that only the stall trigger can
// start a probe. Healthy, for 20 s, the trigger must start none and nothing may be reported;
// then the router drops everything beyond it, and the watcher must say lost with
// internet_unreachable, diagnose the same, and say restored once the path is back.
func TestWatchUpstreamLossWhileBrowsing(t *testing.T) {
	need(t)
	for _, p := range browsePatterns {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			l, w := startWatchWith(t, lab.ProfileOptions{}, time.Hour)
			flowing, stop := p.start(t, l)
			defer stop()
			if err := flowing(); err != nil {
				t.Fatal(err)
			}
			probes := l.Probe.Hits()
			time.Sleep(healthyWindow)
			if err := flowing(); err != nil {
				t.Fatalf("healthy: %v", err)
			}
			if n := l.Probe.Hits() - probes; n != 0 {
				t.Errorf("healthy browsing started %d probe(s)", n)
			}
			for _, line := range w.Seen() {
				if line.Event != "started" {
					t.Errorf("healthy browsing reported %s", line.Raw)
				}
			}

			blackholeUntilLost(t, l, w)
			if err := l.UnblackholeUpstream(); err != nil {
				t.Fatalf("undo fault: %v", err)
			}
			if _, err := w.Next(restoreTimeout, isEvent("restored")); err != nil {
				t.Errorf("waiting for restored: %v", err)
			}
			if err := flowing(); err != nil {
				t.Errorf("after the repair: %v", err)
			}
		})
	}
}
