//go:build linux

package lab_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/lab"
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
		b.Run(bb.name, func(b *testing.B) { benchLost(b, bb.fault, bb.undo, 0) })
	}
}

// BenchmarkWatchBlackhole times an upstream loss that no local event shows: the router drops
// everything to the internet probe. Only the periodic probe (the profile's shortest interval,
// 5 s) can notice, so the fault is injected at five points spread over the probe's cycle.
func BenchmarkWatchBlackhole(b *testing.B) {
	benchLost(b, timed((*lab.Lab).BlackholeProbe), timed((*lab.Lab).UnblackholeProbe), watchInterval)
}

func timed(f func(*lab.Lab) error) func(*lab.Lab) (time.Time, error) {
	return func(l *lab.Lab) (time.Time, error) {
		t := time.Now()
		return t, f(l)
	}
}

// benchLost injects fault, times the lost line, and undoes it. With a cycle, the fault comes
// at a different point of the periodic probe's cycle in each iteration.
func benchLost(b *testing.B, fault, undo func(*lab.Lab) (time.Time, error), cycle time.Duration) {
	l, w := startWatch(b)
	var total, worst time.Duration
	causes := map[string]int{}
	b.ResetTimer()
	for i := range b.N {
		if cycle > 0 {
			time.Sleep(cycle * time.Duration(2*(i%5)+1) / 10)
		}
		t0, err := fault(l)
		if err != nil {
			b.Fatalf("fault: %v", err)
		}
		lost, err := w.Next(lostTimeout, isEvent("lost"))
		if err != nil {
			b.Fatalf("waiting for lost: %v", err)
		}
		d := lost.Read.Sub(t0)
		total += d
		worst = max(worst, d)
		causes[lost.Cause]++
		if _, err := undo(l); err != nil {
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

// idle is measured once per run of the benchmarks: a minute of a healthy watcher.
var idle struct {
	once                    sync.Once
	probes, switches, quiet float64
	err                     error
}

// idleWindow is how long the healthy watcher is observed.
const idleWindow = time.Minute

// BenchmarkWatchIdle measures what a healthy watcher costs: with the default interval (30 s)
// it should wake only for its periodic probe. Measured once over a minute, whatever b.N, by
// reading the process's counters every second (reading /proc does not wake it).
//
//	probes/min          requests to the internet probe (one per probe run)
//	wakeups/min         context switches of the apuri watch process, all threads (/proc)
//	idle-wakeups/min    the same, counting only seconds with no probe in or just before them
func BenchmarkWatchIdle(b *testing.B) {
	idle.once.Do(func() { idle.err = measureIdle(b) })
	if idle.err != nil {
		b.Fatal(idle.err)
	}
	b.ReportMetric(idle.probes, "probes/min")
	b.ReportMetric(idle.switches, "wakeups/min")
	b.ReportMetric(idle.quiet, "idle-wakeups/min")
}

func measureIdle(b *testing.B) error {
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
	idle.probes = float64(prevHits-hits0) * perMin
	idle.switches = float64(prevSw-sw0) * perMin
	idle.quiet = float64(quiet) * perMin
	for _, line := range w.Seen() {
		if line.Event != "started" {
			b.Logf("unexpected line while healthy: %s", line.Raw)
		}
	}
	return nil
}
