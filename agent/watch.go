package agent

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/timeline"
	"github.com/shirou/gopsutil/v4/process"
)

// WatchFunc runs a connectivity watcher for a profile until ctx ends, reporting through emit
// and sample; diagnostics.Watch is the real one.
type WatchFunc func(ctx context.Context, p *profile.Profile, emit func(diagnostics.WatchEvent), sample func(diagnostics.WatchSample)) error

// ConnOff is WatchStatus.State while the agent does not watch (StartWatch not called, or the
// profile's [monitor] enabled = false).
const ConnOff diagnostics.ConnState = "off"

// WatchStatus is the connection as the agent's watcher last saw it (State.Watch).
type WatchStatus struct {
	// State is "off", "unknown" (no probe yet), "online", "degraded" or "lost".
	State diagnostics.ConnState `json:"state"`
	// Cause is why it is lost or degraded.
	Cause diagnostics.Cause `json:"cause,omitempty"`
	// Since is when the state began.
	Since time.Time `json:"since,omitzero"`
}

// watching is the agent's watcher; guarded by Agent.mu.
type watching struct {
	status   WatchStatus
	cancel   context.CancelFunc // stops the running watcher; nil when none runs
	gen      uint64             // which watcher's reports count: a restarted one's only
	recorder *timeline.Recorder
	hooks    map[int]func()
	nextHook int

	storeOnce sync.Once
	store     *timeline.Store
}

// timelineStore is Config.Timeline, else the store at timeline.DefaultPath(); nil when there
// is nowhere to keep one. Opening it touches no file.
func (a *Agent) timelineStore() *timeline.Store {
	a.watch.storeOnce.Do(func() {
		a.watch.store = a.cfg.Timeline
		if a.watch.store == nil {
			if path := timeline.DefaultPath(); path != "" {
				a.watch.store = timeline.Open(path)
			}
		}
	})
	return a.watch.store
}

// StartWatch starts the connectivity watcher (docs/architecture.md) with the profile in use, unless its
// [monitor] enabled is false. The watcher runs until Close, follows SetProfile, and records the
// timeline. When the connection is lost the agent runs a diagnosis by itself and publishes it
// as an UpdateWatch; so it does when the connection is restored. Calling it again does nothing.
func (a *Agent) StartWatch() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrClosed
	}
	if a.watch.cancel != nil {
		return nil
	}
	a.watch.status = WatchStatus{State: ConnOff}
	a.startWatchLocked()
	a.startFleetLocked()
	a.publishStateLocked()
	return nil
}

// startWatchLocked starts a watcher for the profile in use, if it asks for one.
func (a *Agent) startWatchLocked() {
	p := a.loaded.Profile
	if !p.Monitor.Enabled {
		a.watch.status = WatchStatus{State: ConnOff, Since: a.cfg.Now()}
		a.watch.cancel = func() {} // started, and off on purpose
		return
	}
	ctx, cancel := context.WithCancel(a.ctx)
	a.watch.cancel = cancel
	a.watch.gen++
	gen := a.watch.gen
	a.watch.status = WatchStatus{State: diagnostics.ConnUnknown, Since: a.cfg.Now()}
	store := a.timelineStore()
	if store != nil && a.watch.recorder == nil {
		a.watch.recorder = timeline.NewRecorder(store)
	}
	watch := a.cfg.Watch
	if watch == nil {
		watch = diagnostics.Watch
	}
	rec := a.watch.recorder
	a.goroutines.Go("watcher", func() {
		if store != nil {
			if _, err := store.CloseAbandoned(pidAlive); err != nil {
				slog.Warn("timeline: closing incidents of ended processes failed", "error", err)
			}
		}
		err := watch(ctx, p,
			func(ev diagnostics.WatchEvent) { a.onWatchEvent(gen, ev) },
			func(s diagnostics.WatchSample) { a.onWatchSample(gen, s) })
		if err != nil && ctx.Err() == nil {
			slog.Warn("the connectivity watcher stopped", "error", err)
		}
		if rec != nil {
			if err := rec.Flush(); err != nil {
				slog.Warn("timeline: writing the last samples failed", "error", err)
			}
		}
	})
}

// restartWatchLocked gives a running watcher the new profile.
func (a *Agent) restartWatchLocked() {
	if a.watch.cancel == nil || a.closed {
		return
	}
	a.watch.cancel()
	a.startWatchLocked()
	a.startFleetLocked()
}

func pidAlive(pid int) bool {
	ok, err := process.PidExists(int32(pid))
	return ok || err != nil // when unsure, leave the incident alone
}

// watchStatusLocked is State.Watch.
func (a *Agent) watchStatusLocked() WatchStatus {
	if a.watch.status.State == "" {
		return WatchStatus{State: ConnOff}
	}
	return a.watch.status
}

// onWatchEvent publishes a watcher's event, keeps the status and the timeline, and starts the
// automatic diagnosis.
func (a *Agent) onWatchEvent(gen uint64, ev diagnostics.WatchEvent) {
	a.mu.Lock()
	if a.closed || gen != a.watch.gen {
		a.mu.Unlock()
		return
	}
	restored := ev.Event == diagnostics.WatchRestored && ev.Ended == diagnostics.WatchLost
	switch {
	case ev.Event == diagnostics.WatchLost:
		a.watch.status = WatchStatus{State: diagnostics.ConnLost, Cause: ev.Cause, Since: ev.Since}
	case ev.Event == diagnostics.WatchDegraded:
		a.watch.status = WatchStatus{State: diagnostics.ConnDegraded, Cause: ev.Cause, Since: ev.Since}
	case ev.Event == diagnostics.WatchRestored:
		a.watch.status = WatchStatus{State: diagnostics.ConnOnline, Since: ev.Time}
	}
	a.publishLocked(Update{Kind: UpdateWatch, Watch: &ev})
	if ev.Event != diagnostics.WatchStarted {
		a.publishStateLocked()
	}
	rec := a.watch.recorder
	hooks := a.hooksLocked(restored)
	exp := a.fleet.exp
	a.mu.Unlock()
	exp.Event(ev)

	if rec != nil {
		if err := rec.Event(ev); err != nil {
			slog.Warn("timeline: recording an event failed", "event", ev.Event, "error", err)
		}
	}
	a.runHooks(hooks)
	if ev.Event == diagnostics.WatchLost || restored {
		a.goroutines.Go("automatic diagnosis", func() { a.autoDiagnose(gen, ev.Event) })
	}
}

// onWatchSample records a probe's measurements; the first working probe also settles the
// status and counts as the connection becoming usable.
func (a *Agent) onWatchSample(gen uint64, s diagnostics.WatchSample) {
	a.mu.Lock()
	if a.closed || gen != a.watch.gen {
		a.mu.Unlock()
		return
	}
	var hooks []func()
	if a.watch.status.State == diagnostics.ConnUnknown && s.Status != diagnostics.StatusFail {
		a.watch.status = WatchStatus{State: s.State, Since: s.Time}
		if s.State == diagnostics.ConnDegraded {
			a.watch.status.Cause = s.Cause
		}
		a.publishStateLocked()
		hooks = a.hooksLocked(true)
	}
	rec := a.watch.recorder
	exp := a.fleet.exp
	a.mu.Unlock()
	exp.Sample(s)
	if rec != nil {
		if err := rec.Sample(s); err != nil {
			slog.Warn("timeline: recording a sample failed", "error", err)
		}
	}
	a.runHooks(hooks)
}

// autoDiagnose runs the diagnosis the watcher asked for and publishes its verdict. A diagnosis
// already running is joined, except after a restore: one that began while the connection was
// down would report the loss, so a fresh one follows it.
func (a *Agent) autoDiagnose(gen uint64, trigger diagnostics.WatchEventKind) {
	for attempt := 0; ; attempt++ {
		r, joined, err := a.startRun()
		if err != nil {
			return
		}
		<-r.done
		if joined && trigger == diagnostics.WatchRestored && attempt == 0 {
			continue
		}
		if r.report == nil {
			return
		}
		ev := diagnostics.DiagnosisEvent(r.report, trigger, a.cfg.Now())
		ev.Run = r.id
		a.mu.Lock()
		if a.closed || gen != a.watch.gen {
			a.mu.Unlock()
			return
		}
		a.publishLocked(Update{Kind: UpdateWatch, Run: r.id, Watch: &ev})
		rec := a.watch.recorder
		exp := a.fleet.exp
		a.mu.Unlock()
		exp.NoteReport(r.report)
		exp.Event(ev)
		if rec != nil {
			if err := rec.Event(ev); err != nil {
				slog.Warn("timeline: recording a diagnosis failed", "error", err)
			}
		}
		return
	}
}

// OnRestored registers fn to be called whenever the connection becomes usable: at the first
// probe that finds it working, and each time a lost connection is restored. The support
// outbox sends what waits in it then. fn runs on its own goroutine, which Close waits for, so
// fn must not call Close. The returned func removes it.
func (a *Agent) OnRestored(fn func()) (remove func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.watch.hooks == nil {
		a.watch.hooks = map[int]func(){}
	}
	id := a.watch.nextHook
	a.watch.nextHook++
	a.watch.hooks[id] = fn
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		delete(a.watch.hooks, id)
	}
}

func (a *Agent) hooksLocked(fire bool) []func() {
	if !fire {
		return nil
	}
	out := make([]func(), 0, len(a.watch.hooks))
	for _, h := range a.watch.hooks {
		out = append(out, h)
	}
	return out
}

func (a *Agent) runHooks(hooks []func()) {
	for _, h := range hooks {
		a.goroutines.Go("restored hook", h)
	}
}

// Timeline returns the connection's history between since and until.
func (a *Agent) Timeline(since, until time.Time) (*timeline.Timeline, error) {
	store := a.timelineStore()
	if store == nil {
		return nil, newProblem(KeyUnavailable)
	}
	t, err := store.Query(since, until)
	if err != nil {
		return nil, newProblem(KeyInternal, "error", err.Error())
	}
	return t, nil
}

// PathTimeline serves the connection's history:
//
//	GET /v1/timeline[?since=RFC3339|?hours=N] → timeline.Timeline (schema apuri.timeline/v1)
//
// The default is the last 24 hours, what the details window draws.
const PathTimeline = "/v1/timeline"

// DefaultTimelineSpan is what GET /v1/timeline returns without a since or hours.
const DefaultTimelineSpan = 24 * time.Hour

func (s *Server) getTimeline(w http.ResponseWriter, r *http.Request) {
	now := s.agent.cfg.Now()
	since := now.Add(-DefaultTimelineSpan)
	q := r.URL.Query()
	switch {
	case q.Get("since") != "":
		t, err := time.Parse(time.RFC3339, q.Get("since"))
		if err != nil {
			writeError(w, http.StatusBadRequest, newProblem(KeyBadRequest, "error", "since: "+err.Error()))
			return
		}
		since = t
	case q.Get("hours") != "":
		h, err := strconv.ParseFloat(q.Get("hours"), 64)
		if err != nil || h <= 0 || h > 24*365 {
			writeError(w, http.StatusBadRequest, newProblem(KeyBadRequest, "error", "hours: want a number of hours"))
			return
		}
		since = now.Add(-time.Duration(h * float64(time.Hour)))
	}
	t, err := s.agent.Timeline(since, now)
	if err != nil {
		writeAgentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// Timeline returns the agent's connection history since the given time (zero: the last 24 hours).
func (c *Client) Timeline(ctx context.Context, since time.Time) (*timeline.Timeline, error) {
	path := PathTimeline
	if !since.IsZero() {
		path += "?since=" + url.QueryEscape(since.UTC().Format(time.RFC3339))
	}
	var t timeline.Timeline
	if err := c.do(ctx, http.MethodGet, path, nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}
