package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

// run is one diagnosis; everyone who asks while it runs waits on the same one.
type run struct {
	id     uint64
	done   chan struct{}
	report *diagnostics.Report
	err    error
}

// StartDiagnosis starts a diagnosis, or joins the one already running, and returns at once
// with the run's number. joined says whether one was already running.
func (a *Agent) StartDiagnosis() (id uint64, joined bool, err error) {
	r, joined, err := a.startRun()
	if err != nil {
		return 0, false, err
	}
	return r.id, joined, nil
}

// RunDiagnosis runs a diagnosis and returns its report. It is single-flight: a call while one
// runs joins it. The run belongs to the agent, so a caller giving up (ctx done) stops only
// its own wait; Close stops the run.
func (a *Agent) RunDiagnosis(ctx context.Context) (*diagnostics.Report, error) {
	r, _, err := a.startRun()
	if err != nil {
		return nil, err
	}
	select {
	case <-r.done:
		return cloneReport(r.report), r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (a *Agent) startRun() (*run, bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, false, ErrClosed
	}
	if a.run != nil {
		return a.run, true, nil
	}
	a.runs++
	r := &run{id: a.runs, done: make(chan struct{})}
	a.run = r
	a.startedAt = a.cfg.Now()
	a.progress = nil
	a.progressIdx = map[string]int{}
	p := a.loaded.Profile
	a.kickFeedLocked()
	a.publishStateLocked()
	// Never refused: Close marks the agent closed (checked above, under a.mu) before it stops
	// the goroutines.
	a.goroutines.Go("diagnosis", func() { a.execute(r, p) })
	return r, false, nil
}

// execute runs the diagnosis of r and records its outcome.
func (a *Agent) execute(r *run, p *profile.Profile) {
	report, err := a.diagnoseSafely(r, p)
	a.mu.Lock()
	if report != nil {
		report.NoteDisruptions(a.activeDisruptionsLocked(), p)
		a.report = report
	}
	r.report, r.err = report, err
	a.run = nil
	a.finishedAt = a.cfg.Now()
	a.progress, a.progressIdx = nil, nil
	if !a.closed {
		a.publishStateLocked()
	}
	a.mu.Unlock()
	close(r.done)
}

// diagnoseSafely keeps the agent alive whatever the diagnosis does.
func (a *Agent) diagnoseSafely(r *run, p *profile.Profile) (report *diagnostics.Report, err error) {
	defer func() {
		if v := recover(); v != nil {
			report, err = nil, fmt.Errorf("diagnosis crashed: %v", v)
		}
	}()
	report = a.cfg.Diagnose(a.ctx, p, func(ev diagnostics.Event) { a.onProgress(r, ev) })
	if report == nil {
		if a.ctx.Err() != nil {
			return nil, ErrClosed
		}
		return nil, errors.New("diagnosis returned no report")
	}
	return report, nil
}

// onProgress records one event of run r and passes it on. Events may come from any goroutine.
func (a *Agent) onProgress(r *run, ev diagnostics.Event) {
	if ev.Result != nil {
		res := *ev.Result
		ev.Result = &res
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run != r || a.closed {
		return // a late event of a run that is over
	}
	if i, ok := a.progressIdx[ev.ID]; ok {
		a.progress[i] = ev
	} else {
		a.progressIdx[ev.ID] = len(a.progress)
		a.progress = append(a.progress, ev)
	}
	a.publishLocked(Update{Kind: UpdateProgress, Run: r.id, Event: &ev})
}
