package diagnostics

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// funcCheck is a check made of a function, for runner tests.
type funcCheck struct {
	id  string
	run func(ctx context.Context) Result
}

func (c funcCheck) ID() string                     { return c.id }
func (c funcCheck) Group() Group                   { return GroupNetwork }
func (c funcCheck) Run(ctx context.Context) Result { return c.run(ctx) }

func TestRunnerRunsChecksConcurrently(t *testing.T) {
	// Every check waits until all of them have started: a runner that ran them one by one
	// would leave the first one waiting until its deadline.
	const n = 5
	var started sync.WaitGroup
	started.Add(n)
	checks := make([]Check, n)
	for i := range checks {
		checks[i] = funcCheck{id: string(rune('a' + i)), run: func(ctx context.Context) Result {
			started.Done()
			done := make(chan struct{})
			go func() { started.Wait(); close(done) }()
			select {
			case <-done:
				return OK(i18n.Msg("ok"))
			case <-ctx.Done():
				return Fail(i18n.Msg("alone"))
			}
		}}
	}
	results := Runner{CheckTimeout: 5 * time.Second, Total: 5 * time.Second}.Run(context.Background(), checks, nil)
	for i, r := range results {
		if r.Status != StatusOK {
			t.Errorf("check %d: status %s (%s), want ok: checks did not run at the same time", i, r.Status, r.Message.Key)
		}
		if r.ID != checks[i].ID() {
			t.Errorf("result %d has ID %q, want %q (results must keep the order given)", i, r.ID, checks[i].ID())
		}
	}
}

func TestRunnerAbandonsStuckCheck(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	checks := []Check{
		funcCheck{id: "stuck", run: func(context.Context) Result { <-release; return OK(i18n.Msg("late")) }},
		funcCheck{id: "quick", run: func(context.Context) Result { return OK(i18n.Msg("fine")) }},
	}
	results := Runner{CheckTimeout: 50 * time.Millisecond, Total: time.Second}.Run(context.Background(), checks, nil)
	assertContract(t, results[0])
	if got := results[0]; got.Status != StatusFail || got.Reason != "timeout" {
		t.Errorf("stuck check: status %s reason %q, want fail/timeout", got.Status, got.Reason)
	}
	if got := results[1]; got.Status != StatusOK {
		t.Errorf("quick check: status %s, want ok", got.Status)
	}
}

func TestRunnerTurnsPanicIntoFailure(t *testing.T) {
	checks := []Check{funcCheck{id: "boom", run: func(ctx context.Context) Result {
		Logf(ctx, "about to fail")
		panic("broken")
	}}}
	r := Runner{Total: time.Second}.Run(context.Background(), checks, nil)[0]
	assertContract(t, r)
	if r.Status != StatusFail || r.Reason != "crashed" {
		t.Fatalf("status %s reason %q, want fail/crashed", r.Status, r.Reason)
	}
	if len(r.Log) < 2 || r.Log[0] != "about to fail" {
		t.Errorf("log = %q, want the check's own line then the panic", r.Log)
	}
}

func TestRunnerReportsProgressAndTiming(t *testing.T) {
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	checks := []Check{funcCheck{id: "slow", run: func(ctx context.Context) Result {
		Logf(ctx, "asked %s", "server")
		advance(1500 * time.Millisecond)
		return Warn(i18n.Msg("slow")).Detail("ms", 1500)
	}}}
	var events []Event
	r := Runner{Total: time.Second, Now: now}.Run(context.Background(), checks, func(e Event) { events = append(events, e) })[0]
	if r.DurationMS != 1500 {
		t.Errorf("duration %d ms, want 1500 from the injected clock", r.DurationMS)
	}
	if len(r.Log) != 1 || r.Log[0] != "asked server" {
		t.Errorf("log = %q", r.Log)
	}
	if len(events) != 2 || events[0].Kind != EventStarted || events[1].Kind != EventFinished || events[1].Result.Status != StatusWarn {
		t.Errorf("events = %+v, want started then finished(warn)", events)
	}
}

func TestLogfIsBounded(t *testing.T) {
	checks := []Check{funcCheck{id: "chatty", run: func(ctx context.Context) Result {
		for i := 0; i < maxLogLines*3; i++ {
			Logf(ctx, "line %d", i)
		}
		return OK(i18n.Msg("ok"))
	}}}
	r := Runner{Total: time.Second}.Run(context.Background(), checks, nil)[0]
	if len(r.Log) != maxLogLines {
		t.Errorf("kept %d log lines, want %d", len(r.Log), maxLogLines)
	}
}
