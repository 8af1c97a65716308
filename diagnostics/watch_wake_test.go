package diagnostics

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestWatchMachineAfterWaking: a network that rejoins within WakeGrace of waking was never lost;
// one that has not rejoined by then is, from when it first failed; a failure that began well
// before the waking, or long after it, keeps the usual grace.
func TestWatchMachineAfterWaking(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name  string
		woke  time.Duration // after t0
		steps []step
	}{
		{"rejoined within the wake grace: no event", 60 * s, []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(60*s, CauseNoLink), nil, 499 * time.Millisecond},
			{fail(60*s+500*time.Millisecond, CauseNoLink), nil, 20*s - 501*time.Millisecond},
			{ok(66 * s), nil, 30 * s},
		}},
		{"still failing when the wake grace is up: lost since the first failure", 60 * s, []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(60*s, CauseNoLink), nil, 499 * time.Millisecond},
			{fail(60*s+500*time.Millisecond, CauseNoLink), nil, 20*s - 501*time.Millisecond},
			{fail(80*s, CauseNoLink), []WatchEventKind{WatchLost}, 1 * s},
		}},
		{"the OS said it woke a moment after the first failure", 61 * s, []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(60*s, CauseNoLink), nil, 499 * time.Millisecond},
			{fail(60*s+500*time.Millisecond, CauseNoLink), nil, 21*s - 501*time.Millisecond},
		}},
		{"a failure long after waking has the usual grace", 10 * s, []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(60*s, CauseNoLink), nil, 499 * time.Millisecond},
			{fail(60*s+500*time.Millisecond, CauseNoLink), []WatchEventKind{WatchLost}, 1 * s},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMachine()
			m.wakeGrace = DefaultWakeGrace
			m.woke(t0.Add(tt.woke))
			for i, st := range tt.steps {
				events, wait := m.observe(st.probe)
				var kinds []WatchEventKind
				for _, e := range events {
					kinds = append(kinds, e.Event)
					if e.Event == WatchLost && !e.Since.Equal(t0.Add(60*s)) {
						t.Errorf("step %d: lost since %v, want the first failure's start", i, e.Since)
					}
				}
				if !slices.Equal(kinds, st.events) {
					t.Fatalf("step %d: events %v, want %v", i, kinds, st.events)
				}
				if wait != st.wait {
					t.Fatalf("step %d: next probe in %v, want %v", i, wait, st.wait)
				}
			}
		})
	}
}

// TestWatcherHearsTheWaking: Run hands the OS's word of waking to the machine and probes at
// once; a failure then is not lost while the computer rejoins its network.
func TestWatcherHearsTheWaking(t *testing.T) {
	probe := &scriptedProbe{statuses: []Status{StatusOK, StatusFail, StatusFail}, called: make(chan int, 10)}
	wakeCh := make(chan func(), 1)
	events := make(chan WatchEventKind, 10)
	w := &Watcher{
		Interval: time.Hour, Grace: 0, HoldDown: 0, Backoff: time.Hour, MaxBackoff: time.Hour,
		WakeGrace: time.Hour, Debounce: time.Millisecond,
		Probe: probe.run,
		Wakes: func(ctx context.Context, woke func()) error {
			wakeCh <- woke
			<-ctx.Done()
			return nil
		},
		Emit: func(e WatchEvent) { events <- e.Event },
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	woke := <-wakeCh
	if e := <-events; e != WatchStarted {
		t.Fatalf("first event %v", e)
	}
	<-probe.called
	woke()
	if n := <-probe.called; n != 2 {
		t.Fatalf("probe %d after waking, want the second", n)
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	close(events)
	for e := range events {
		t.Errorf("event %v while the computer rejoins its network", e)
	}
}
