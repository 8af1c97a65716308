package diagnostics

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// EventKind says what a progress event reports.
type EventKind string

// The progress events: a check started, or a check finished with its result.
const (
	EventStarted  EventKind = "started"
	EventFinished EventKind = "finished"
)

// Event is live progress, for the details window and the tray.
type Event struct {
	Kind   EventKind `json:"kind"`
	ID     string    `json:"id"`
	Group  Group     `json:"group"`
	Result *Result   `json:"result,omitempty"`
	// Title is what people call what is checked, as Result.Title: a row shows it while the
	// check still runs.
	Title map[string]string `json:"title,omitempty"`
}

// titled is a check of something people call by a name of their own: a service.
type titled interface {
	Title() map[string]string
}

// timed is a check with a deadline of its own: a command the organisation wrote may need
// longer than Apuri's probes.
type timed interface {
	Timeout() time.Duration
}

// timeoutOf is how long a check may run: its own timeout when it has one, else perCheck;
// never longer than the whole run.
func timeoutOf(c Check, perCheck, total time.Duration) time.Duration {
	if t, ok := c.(timed); ok && t.Timeout() > 0 {
		return min(t.Timeout(), total)
	}
	return perCheck
}

// titleOf is a check's title, or nil when it has none.
func titleOf(c Check) map[string]string {
	if t, ok := c.(titled); ok {
		return t.Title()
	}
	return nil
}

// Runner owns parallelism, per-check deadlines, timing and log capture.
type Runner struct {
	// CheckTimeout bounds one check; Total bounds the whole run.
	CheckTimeout time.Duration
	Total        time.Duration
	// Now is the clock; tests inject a fake one.
	Now func() time.Time
}

// finished is what a check goroutine hands back.
type finished struct {
	index  int
	result Result
}

// Run starts every check at once and returns their results in the order given. A check that
// has not returned when its deadline passes is reported as a failed timeout and abandoned, so a
// dead network or a stuck check can never hold the run past Total. progress may be nil.
func (r Runner) Run(ctx context.Context, checks []Check, progress func(Event)) []Result {
	now := r.Now
	if now == nil {
		now = time.Now
	}
	if progress == nil {
		progress = func(Event) {}
	}
	total := r.Total
	if total <= 0 {
		total = 10 * time.Second
	}
	perCheck := r.CheckTimeout
	if perCheck <= 0 || perCheck > total {
		perCheck = total
	}
	ctx, cancel := context.WithTimeout(ctx, total)
	defer cancel()

	done := make(chan finished, len(checks))
	starts := make([]time.Time, len(checks))
	logs := make([]*checkLog, len(checks))
	timeouts := make([]time.Duration, len(checks))
	longest := perCheck
	for i, c := range checks {
		timeouts[i] = timeoutOf(c, perCheck, total)
		longest = max(longest, timeouts[i])
	}
	for i, c := range checks {
		starts[i] = now()
		logs[i] = &checkLog{}
		progress(Event{Kind: EventStarted, ID: c.ID(), Title: titleOf(c), Group: c.Group()})
		go func() {
			cctx, ccancel := context.WithTimeout(context.WithValue(ctx, logKey{}, logs[i]), timeouts[i])
			defer ccancel()
			done <- finished{index: i, result: runSafely(cctx, c)}
		}()
	}

	results := make([]Result, len(checks))
	have := make([]bool, len(checks))
	// Each check gets its own deadline, plus a little for the check to notice and return.
	const grace = 150 * time.Millisecond
	deadline := time.NewTimer(longest + grace)
	defer deadline.Stop()
	for pending := len(checks); pending > 0; {
		select {
		case f := <-done:
			res := r.complete(checks[f.index], f.result, now().Sub(starts[f.index]), logs[f.index])
			results[f.index], have[f.index] = res, true
			pending--
			progress(Event{Kind: EventFinished, ID: res.ID, Title: res.Title, Group: res.Group, Result: &res})
		case <-deadline.C:
			pending = 0
		case <-ctx.Done():
			pending = 0
		}
	}
	for i, c := range checks {
		if have[i] {
			continue
		}
		res := Fail(i18n.Msg("check.timeout", "seconds", timeouts[i].Seconds())).Because(ReasonTimeout)
		res = r.complete(c, res, now().Sub(starts[i]), logs[i])
		results[i] = res
		progress(Event{Kind: EventFinished, ID: res.ID, Title: res.Title, Group: res.Group, Result: &res})
	}
	return results
}

// complete stamps identity, timing and logs onto a check's result, and cleans its texts.
func (r Runner) complete(c Check, res Result, took time.Duration, log *checkLog) Result {
	res.ID, res.Title, res.Group = c.ID(), titleOf(c), c.Group()
	res.Duration, res.DurationMS = took, took.Milliseconds()
	res.Log = log.snapshot()
	if res.Status == "" {
		res.Status = StatusFail
	}
	if res.Details == nil {
		res.Details = map[string]any{}
	}
	return safeResult(res)
}

// runSafely turns a panicking check into a failed result: one broken check must never take the
// whole diagnosis (or the tray agent) down with it.
func runSafely(ctx context.Context, c Check) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			Logf(ctx, "panic: %v\n%s", p, debug.Stack())
			res = Fail(i18n.Msg("check.crashed", "error", fmt.Sprint(p))).Because(ReasonCrashed)
		}
	}()
	return c.Run(ctx)
}
