package agent

import (
	"context"
	"errors"
	"time"

	"github.com/apuri-project/apuri/support"
)

// Driving the outbox: flushes in the background (after a start, on the back-off timer, when the
// connection returns), and the attempts a submit or a retry makes while the caller waits.

// firstAttemptWait bounds how long a submit waits for the first attempt before answering
// with the request's pending state; the attempt goes on.
const firstAttemptWait = 20 * time.Second

// kick flushes the outbox in the background: force sends every waiting request now (the
// connection returned). Flushes never overlap; one asked for meanwhile runs after.
func (r *requests) kick(force bool) {
	if r == nil || r.outbox == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if r.flushing {
		r.again, r.force = true, r.force || force
		return
	}
	r.flushing = r.a.goroutines.Go("outbox flush", func() { r.flushLoop(force) })
}

func (r *requests) flushLoop(force bool) {
	for {
		next := r.outbox.Flush(r.a.ctx, force)
		r.mu.Lock()
		if r.timer != nil {
			r.timer.Stop()
			r.timer = nil
		}
		if r.closed || r.a.ctx.Err() != nil {
			r.flushing = false
			r.mu.Unlock()
			return
		}
		if r.again {
			force, r.again, r.force = r.force, false, false
			r.mu.Unlock()
			continue
		}
		// One timer, and only while a request waits: an idle agent has none.
		if !next.IsZero() {
			r.timer = time.AfterFunc(max(next.Sub(r.a.cfg.Now()), time.Second), func() { r.kick(false) })
		}
		r.flushing = false
		r.mu.Unlock()
		return
	}
}

// FlushOutbox sends what waits in the outbox now, in the background: the watcher's
// OnRestored does this by itself; the tray may offer it too.
func (a *Agent) FlushOutbox() { a.requests.kick(true) }

// close stops the back-off timer and refuses new flushes and attempts. Agent.Close then waits for
// the flush or attempt in flight, which its cancelled context cuts short: a request cut short
// stays in the outbox for next time.
func (r *requests) close() {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.mu.Unlock()
}

// RetryRequest attempts a request of the outbox now: the user's "try again".
func (a *Agent) RetryRequest(ctx context.Context, ref string) (SubmitResult, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return SubmitResult{}, err
	}
	for _, e := range r.outbox.Pending() {
		if e.Ref == ref {
			return r.attempt(ctx, ref, e)
		}
	}
	return SubmitResult{}, newProblem(KeyRequestUnknown, "ref", ref)
}

// attempt runs one attempt under the agent's lifetime and waits for it as long as the caller
// does (at most firstAttemptWait).
func (r *requests) attempt(ctx context.Context, ref string, entry support.Entry) (SubmitResult, error) {
	type outcome struct {
		e       support.Entry
		receipt support.Receipt
		err     error
	}
	done := make(chan outcome, 1)
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	started := !closed && r.a.goroutines.Go("outbox attempt", func() {
		e, receipt, err := r.outbox.Attempt(r.a.ctx, ref)
		done <- outcome{e, receipt, err}
		// A failed first attempt waits for its back-off timer, or for the connection.
		r.kick(false)
	})
	if !started {
		return SubmitResult{}, ErrClosed
	}
	wait := time.NewTimer(firstAttemptWait)
	defer wait.Stop()
	select {
	case o := <-done:
		res := SubmitResult{Entry: o.e}
		if o.e.Done() {
			receipt := o.receipt
			res.Receipt = &receipt
		}
		if o.err != nil && o.e.Ref == "" {
			if errors.Is(o.err, support.ErrUnknownRequest) {
				return SubmitResult{}, newProblem(KeyRequestUnknown, "ref", ref)
			}
			return SubmitResult{}, newProblem(KeyRequestStore, "error", o.err.Error())
		}
		return res, nil
	case <-ctx.Done():
		entry.State = support.StateSending
		return SubmitResult{Entry: entry, Pending: true}, nil
	case <-wait.C:
		entry.State = support.StateSending
		return SubmitResult{Entry: entry, Pending: true}, nil
	}
}

// current is the state of a request already handed to the outbox.
func (r *requests) current(ref string) (SubmitResult, error) {
	for _, e := range r.outbox.Pending() {
		if e.Ref == ref {
			return SubmitResult{Entry: e, Pending: e.State == support.StateSending || e.State == support.StateQueued}, nil
		}
	}
	for _, e := range r.outbox.History() {
		if e.Ref == ref {
			return SubmitResult{Entry: e, Receipt: e.Receipt}, nil
		}
	}
	return SubmitResult{}, newProblem(KeyRequestUnknown, "ref", ref)
}

// DiscardRequest removes a request the user no longer wants sent.
func (a *Agent) DiscardRequest(ctx context.Context, ref string) error {
	r := a.requests
	if err := r.available(); err != nil {
		return err
	}
	if err := r.outbox.Discard(ctx, ref); err != nil {
		if errors.Is(err, support.ErrUnknownRequest) {
			return newProblem(KeyRequestUnknown, "ref", ref)
		}
		return newProblem(KeyRequestStore, "error", err.Error())
	}
	return nil
}

// Outbox lists the requests not yet delivered and the history.
func (a *Agent) Outbox() (OutboxList, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return OutboxList{}, err
	}
	l := OutboxList{Pending: r.outbox.Pending(), History: r.outbox.History()}
	if l.Pending == nil {
		l.Pending = []support.Entry{}
	}
	if l.History == nil {
		l.History = []support.Entry{}
	}
	return l, nil
}
