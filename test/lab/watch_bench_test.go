//go:build linux

package lab_test

import (
	"context"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// The watcher's benchmarks run `apuri watch --json` in the lab and time its lines as the test
// reads them. Each iteration breaks the network, waits for lost, repairs it and waits until the
// watcher has said restored and diagnosed, so every iteration starts from a healthy watcher:
//
//	sudo go test ./test/lab/ -run '^$' -bench Watch -benchtime 5x
//
//	lost-ms/op      from the fault to the lost line (goal: link ≤ 1000, black hole ≤ 5000)
//	max-lost-ms     the slowest iteration

// BenchmarkWatchLinkDown times a link going down: switched off (the kernel tells at once) and
// the carrier lost at the far end (the kernel batches carrier changes for up to a second).
func BenchmarkWatchLinkDown(b *testing.B) {
	for _, bb := range []struct {
		name        string
		fault, undo func(*lab.Lab) (time.Time, error)
	}{
		{"adapter off", timed((*lab.Lab).ClientLinkDown), timed((*lab.Lab).ClientLinkUp)},
		{"carrier lost", (*lab.Lab).CarrierDown, timed((*lab.Lab).PlugCable)},
	} {
		b.Run(bb.name, func(b *testing.B) {
			benchLost(b, lostBench{fault: bb.fault, undo: bb.undo, interval: watchInterval})
		})
	}
}

// BenchmarkWatchBlackhole times an upstream loss that no local event shows: the router drops
// everything to the internet. While the user's requests flow (to a server beyond the router,
// four a second) their stalled connections start a probe at once, whatever the interval; the
// fault comes at five points of the one-second sampling period. Without traffic only the
// periodic probe can notice, so there the fault comes at five points of its cycle: the
// profile's shortest interval (5 s) and the default (30 s).
func BenchmarkWatchBlackhole(b *testing.B) {
	for _, bb := range []lostBench{
		{name: "traffic, 30 s interval", traffic: true, interval: 30 * time.Second, cycle: time.Second,
			fault: timed((*lab.Lab).BlackholeUpstream), undo: timed((*lab.Lab).UnblackholeUpstream)},
		{name: "no traffic, 5 s interval", interval: watchInterval, cycle: watchInterval,
			fault: timed((*lab.Lab).BlackholeProbe), undo: timed((*lab.Lab).UnblackholeProbe)},
		{name: "no traffic, 30 s interval", interval: 30 * time.Second, cycle: 30 * time.Second,
			fault: timed((*lab.Lab).BlackholeProbe), undo: timed((*lab.Lab).UnblackholeProbe)},
	} {
		b.Run(bb.name, func(b *testing.B) { benchLost(b, bb) })
	}
}

func timed(f func(*lab.Lab) error) func(*lab.Lab) (time.Time, error) {
	return func(l *lab.Lab) (time.Time, error) {
		t := time.Now()
		return t, f(l)
	}
}

// lostBench is one way of losing the connection: fault and undo, the watcher's periodic
// interval, whether the user's traffic flows, and the cycle over which the fault's moment is
// spread (none: at once).
type lostBench struct {
	name            string
	fault, undo     func(*lab.Lab) (time.Time, error)
	interval, cycle time.Duration
	traffic         bool
}

// benchLost injects the fault, times the lost line, and undoes it. With a cycle, the fault
// comes at a different point of it in each iteration.
func benchLost(b *testing.B, bb lostBench) {
	l, w := startWatchEvery(b, bb.interval)
	if bb.traffic {
		traffic := l.StartTraffic(userRequestEvery, userRequestTimeout)
		b.Cleanup(traffic.Stop)
		if err := traffic.WaitAnswered(5, 10*time.Second); err != nil {
			b.Fatal(err)
		}
	}
	var total, worst time.Duration
	causes := map[string]int{}
	b.ResetTimer()
	for i := range b.N {
		if bb.cycle > 0 {
			time.Sleep(bb.cycle * time.Duration(2*(i%5)+1) / 10)
		}
		t0, err := bb.fault(l)
		if err != nil {
			b.Fatalf("fault: %v", err)
		}
		lost, err := w.Next(max(lostTimeout, 2*bb.interval), isEvent("lost"))
		if err != nil {
			b.Fatalf("waiting for lost: %v", err)
		}
		d := lost.Read.Sub(t0)
		total += d
		worst = max(worst, d)
		causes[lost.Cause]++
		if _, err := bb.undo(l); err != nil {
			b.Fatalf("undo: %v", err)
		}
		if _, err := w.Next(restoreTimeout, isDiagnosis("restored")); err != nil {
			b.Fatalf("waiting for the connection to come back: %v", err)
		}
	}
	b.StopTimer()
	b.ReportMetric(msOf(total)/float64(b.N), "lost-ms/op")
	b.ReportMetric(msOf(worst), "max-lost-ms")
	b.Logf("lost causes: %v", causes)
}

// idleResult is a minute of a healthy watcher, measured once per run of the benchmarks.
type idleResult struct {
	once                            sync.Once
	probes, switches, quiet, events float64
	err                             error
}

// idleCases are the healthy watchers measured: alone, under the user's traffic, and under
// traffic on a path that loses 5 % of its packets (the probe's own path is not lossy).
var idleCases = []struct {
	name          string
	traffic       bool
	lossPercent   int
	res           *idleResult
	needsNFTables bool
}{
	{name: "no traffic", res: &idleResult{}},
	{name: "traffic", traffic: true, res: &idleResult{}},
	{name: "lossy traffic", traffic: true, lossPercent: 5, res: &idleResult{}, needsNFTables: true},
}

// idleWindow is how long the healthy watcher is observed.
const idleWindow = time.Minute

// BenchmarkWatchIdle measures what a healthy watcher costs with the default interval (30 s):
// alone it should wake only for its periodic probe and the stall trigger's sample every 10 s;
// while the user's traffic flows the trigger samples every second; on a lossy path the
// stalls it sees may add probes, at most one per 10 s and fewer as they keep finding nothing.
// Measured once over a minute, whatever b.N, by reading the process's counters every second
// (reading /proc does not wake it).
//
//	probes/min          requests to the internet probe (one per probe run)
//	wakeups/min         context switches of the apuri watch process, all threads (/proc)
//	idle-wakeups/min    the same, counting only seconds with no probe in or just before them
//	events/min          lines other than started (lost, degraded, ...): none, healthy
func BenchmarkWatchIdle(b *testing.B) {
	for _, c := range idleCases {
		b.Run(c.name, func(b *testing.B) {
			if c.needsNFTables {
				if _, err := exec.LookPath("nft"); err != nil {
					b.Skip("needs nft for a lossy path")
				}
			}
			r := c.res
			r.once.Do(func() { r.err = measureIdle(b, r, c.traffic, c.lossPercent) })
			if r.err != nil {
				b.Fatal(r.err)
			}
			b.ReportMetric(r.probes, "probes/min")
			b.ReportMetric(r.switches, "wakeups/min")
			b.ReportMetric(r.quiet, "idle-wakeups/min")
			b.ReportMetric(r.events, "events/min")
		})
	}
}

func measureIdle(b *testing.B, r *idleResult, traffic bool, lossPercent int) error {
	l := newLab(b)
	path, err := l.WriteWatchProfile(watchProfile, 30*time.Second)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	w, err := apuri().Watch(ctx, l.Client, path)
	if err != nil {
		return err
	}
	defer w.Close()
	if _, err := w.Next(startTimeout, isEvent("started")); err != nil {
		return err
	}
	if lossPercent > 0 {
		if err := l.LoseToService(lossPercent); err != nil {
			return err
		}
	}
	if traffic {
		t := l.StartTraffic(userRequestEvery, userRequestTimeout)
		defer func() {
			t.Stop()
			b.Logf("user requests: %d answered, %d failed", t.Answered(), t.Failed())
		}()
	}
	// Let the start-up settle: the first probe, and the one the initial netlink listing asks for.
	time.Sleep(2 * time.Second)
	hits0 := l.Probe.Hits()
	sw0, err := w.ContextSwitches()
	if err != nil {
		return err
	}
	var quiet int64
	prevHits, prevSw, busy := hits0, sw0, false
	for range int(idleWindow / time.Second) {
		time.Sleep(time.Second)
		sw, err := w.ContextSwitches()
		if err != nil {
			return err
		}
		hits := l.Probe.Hits()
		probed := hits != prevHits
		if !probed && !busy {
			quiet += sw - prevSw
		}
		prevHits, prevSw, busy = hits, sw, probed
	}
	perMin := float64(time.Minute) / float64(idleWindow)
	r.probes = float64(prevHits-hits0) * perMin
	r.switches = float64(prevSw-sw0) * perMin
	r.quiet = float64(quiet) * perMin
	events := 0
	for _, line := range w.Seen() {
		if line.Event != "started" {
			events++
			b.Logf("unexpected line while healthy: %s", line.Raw)
		}
	}
	r.events = float64(events) * perMin
	return nil
}
