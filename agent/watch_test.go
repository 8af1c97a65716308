package agent

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/timeline"
)

var wt0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// fakeWatch is a watcher the test drives: each call of run hands the test its emit and sample.
type fakeWatch struct {
	started chan watchHandle
	calls   atomic.Int32
}

type watchHandle struct {
	ctx    context.Context
	p      *profile.Profile
	emit   func(diagnostics.WatchEvent)
	sample func(diagnostics.WatchSample)
}

func newFakeWatch() *fakeWatch { return &fakeWatch{started: make(chan watchHandle, 4)} }

func (f *fakeWatch) run(ctx context.Context, p *profile.Profile, emit func(diagnostics.WatchEvent), sample func(diagnostics.WatchSample)) error {
	f.calls.Add(1)
	f.started <- watchHandle{ctx, p, emit, sample}
	<-ctx.Done()
	return nil
}

func watchEvent(kind diagnostics.WatchEventKind, cause diagnostics.Cause, at time.Duration) diagnostics.WatchEvent {
	return diagnostics.WatchEvent{
		Time: wt0.Add(at), Event: kind, Cause: cause, Message: i18n.Msg("watch." + string(kind)),
		Verdict: &diagnostics.Verdict{Cause: cause, Message: i18n.Msg("verdict." + string(cause))},
	}
}

// untilWatch skips updates until the next watch event.
func untilWatch(t *testing.T, updates <-chan Update) diagnostics.WatchEvent {
	t.Helper()
	for {
		if u := next(t, updates); u.Kind == UpdateWatch {
			if u.Watch == nil {
				t.Fatal("an UpdateWatch without its event")
			}
			return *u.Watch
		}
	}
}

func TestWatchLostDiagnosesRecordsAndRestores(t *testing.T) {
	fw := newFakeWatch()
	store := timeline.Open(filepath.Join(t.TempDir(), "timeline.db"))
	diag := &fakeDiagnosis{steps: threeChecks, status: diagnostics.StatusFail}
	a := newTestAgent(t, Config{Watch: fw.run, Timeline: store, Diagnose: diag.diagnose})
	var restoredHooks atomic.Int32
	hooked := make(chan struct{}, 4)
	remove := a.OnRestored(func() { restoredHooks.Add(1); hooked <- struct{}{} })
	defer remove()
	updates, cancel := a.Subscribe()
	defer cancel()

	if s := a.State(); s.Watch.State != ConnOff {
		t.Errorf("before StartWatch the watch state is %q", s.Watch.State)
	}
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	h := <-fw.started
	h.sample(diagnostics.WatchSample{Time: wt0, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK, Cause: diagnostics.CauseHealthy})
	<-hooked // the first working probe: what waits in the outbox may go
	if s := a.State(); s.Watch.State != diagnostics.ConnOnline {
		t.Errorf("after a working probe the watch state is %+v", s.Watch)
	}

	lost := watchEvent(diagnostics.WatchLost, diagnostics.CauseNoLink, time.Minute)
	lost.Since = wt0.Add(59 * time.Second)
	h.emit(lost)
	if ev := untilWatch(t, updates); ev.Event != diagnostics.WatchLost || ev.Cause != diagnostics.CauseNoLink {
		t.Fatalf("first watch update %+v", ev)
	}
	ev := untilWatch(t, updates)
	if ev.Event != diagnostics.WatchDiagnosis || ev.Trigger != diagnostics.WatchLost || ev.Run == 0 || ev.Verdict == nil {
		t.Fatalf("automatic diagnosis update %+v", ev)
	}
	if s := a.State(); s.Watch.State != diagnostics.ConnLost || s.Watch.Cause != diagnostics.CauseNoLink || s.Report == nil {
		t.Errorf("state while lost: %+v, report %v", s.Watch, s.Report != nil)
	}

	restored := watchEvent(diagnostics.WatchRestored, diagnostics.CauseNoLink, 4*time.Minute)
	restored.Ended, restored.Since, restored.DurationS = diagnostics.WatchLost, lost.Since, 180
	h.emit(restored)
	if ev := untilWatch(t, updates); ev.Event != diagnostics.WatchRestored {
		t.Fatalf("watch update %+v, want restored", ev)
	}
	<-hooked
	if ev := untilWatch(t, updates); ev.Event != diagnostics.WatchDiagnosis || ev.Trigger != diagnostics.WatchRestored {
		t.Fatalf("watch update %+v, want the diagnosis after the restore", ev)
	}
	if n := restoredHooks.Load(); n != 2 {
		t.Errorf("OnRestored ran %d times, want 2 (first probe, restore)", n)
	}

	tl, err := a.Timeline(wt0, wt0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Incidents) != 1 || len(tl.Samples) != 1 {
		t.Fatalf("timeline %+v", tl)
	}
	inc := tl.Incidents[0]
	if inc.Cause != diagnostics.CauseNoLink || inc.Diagnosis != diagnostics.CauseHealthy || inc.Ongoing() ||
		!inc.End.Equal(wt0.Add(59*time.Second+180*time.Second)) {
		t.Errorf("incident %+v", inc)
	}
}

func TestWatchOffByProfile(t *testing.T) {
	fw := newFakeWatch()
	p := profile.Default()
	p.Monitor.Enabled = false
	a := newTestAgent(t, Config{
		Watch: fw.run, Timeline: timeline.Open(filepath.Join(t.TempDir(), "t.db")),
		Profile: profile.Loaded{Profile: p, Source: profile.Source{Kind: profile.SourceEmbedded}},
	})
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	if s := a.State(); s.Watch.State != ConnOff {
		t.Errorf("watch state %q with monitor.enabled = false", s.Watch.State)
	}
	// Turning it on in a new profile starts the watcher.
	on := profile.Default()
	a.SetProfile(profile.Loaded{Profile: on, Source: profile.Source{Kind: profile.SourceUser}})
	h := <-fw.started
	if h.p != on {
		t.Error("the watcher did not get the new profile")
	}
}

func TestWatchFollowsTheProfile(t *testing.T) {
	fw := newFakeWatch()
	a := newTestAgent(t, Config{Watch: fw.run, Timeline: timeline.Open(filepath.Join(t.TempDir(), "t.db"))})
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	first := <-fw.started
	p := profile.Default()
	p.Monitor.Interval.Duration = time.Minute
	a.SetProfile(profile.Loaded{Profile: p, Source: profile.Source{Kind: profile.SourceUser}})
	second := <-fw.started
	<-first.ctx.Done() // the old watcher is stopped
	// What the old watcher still reports is ignored.
	first.emit(watchEvent(diagnostics.WatchLost, diagnostics.CauseNoLink, 0))
	if s := a.State(); s.Watch.State != diagnostics.ConnUnknown {
		t.Errorf("a stopped watcher's event changed the state: %+v", s.Watch)
	}
	if second.p != p || fw.calls.Load() != 2 {
		t.Errorf("watcher runs: %d", fw.calls.Load())
	}
	a.Close()
	<-second.ctx.Done()
	if err := a.StartWatch(); err != ErrClosed {
		t.Errorf("StartWatch after Close: %v", err)
	}
}

func TestTimelineEndpoint(t *testing.T) {
	store := timeline.Open(filepath.Join(t.TempDir(), "t.db"))
	now := wt0.Add(48 * time.Hour)
	for _, at := range []time.Time{wt0, now.Add(-2 * time.Hour), now.Add(-time.Minute)} {
		if err := store.AddSample(diagnostics.WatchSample{Time: at, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK}); err != nil {
			t.Fatal(err)
		}
	}
	a := newTestAgent(t, Config{Timeline: store, Now: func() time.Time { return now }})
	h := NewServer(a).Handler()
	tests := []struct {
		name    string
		query   string
		code    int
		samples int
	}{
		{"the last 24 hours by default", "", http.StatusOK, 2},
		{"the last hour", "?hours=1", http.StatusOK, 1},
		{"since a time", "?since=" + wt0.Format(time.RFC3339), http.StatusOK, 3},
		{"a bad time", "?since=yesterday", http.StatusBadRequest, 0},
		{"bad hours", "?hours=-3", http.StatusBadRequest, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, PathTimeline+tt.query, nil))
			if rec.Code != tt.code {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if tt.code != http.StatusOK {
				if !strings.Contains(rec.Body.String(), KeyBadRequest) {
					t.Errorf("error body %s", rec.Body)
				}
				return
			}
			var tl timeline.Timeline
			if err := json.Unmarshal(rec.Body.Bytes(), &tl); err != nil {
				t.Fatal(err)
			}
			if tl.Schema != timeline.Schema || len(tl.Samples) != tt.samples {
				t.Errorf("schema %q, %d samples, want %d", tl.Schema, len(tl.Samples), tt.samples)
			}
		})
	}
}

func TestClientTimeline(t *testing.T) {
	store := timeline.Open(filepath.Join(t.TempDir(), "t.db"))
	if err := store.AddSample(diagnostics.WatchSample{Time: wt0, State: diagnostics.ConnOnline}); err != nil {
		t.Fatal(err)
	}
	a := newTestAgent(t, Config{Timeline: store, Now: func() time.Time { return wt0.Add(time.Hour) }})
	c, _ := serve(t, a)
	tl, err := c.Timeline(context.Background(), wt0.Add(-time.Minute))
	if err != nil || len(tl.Samples) != 1 {
		t.Fatalf("Timeline: %v %+v", err, tl)
	}
}
