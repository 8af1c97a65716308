package agent

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// goroutineTrace follows the agent's goroutines and API calls by name (Config.traceGoroutine).
type goroutineTrace struct {
	mu      sync.Mutex
	running map[string]int
	seen    map[string]bool
}

func newGoroutineTrace() *goroutineTrace {
	return &goroutineTrace{running: map[string]int{}, seen: map[string]bool{}}
}

func (g *goroutineTrace) note(name string, running bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if running {
		g.running[name]++
		g.seen[name] = true
	} else {
		g.running[name]--
	}
}

// TestCloseWaitsForEveryGoroutine closes an agent while each of its kinds of goroutine is
// busy: a watcher, a feed reading, a diagnosis, an outbox attempt, the API's Serve loop and an
// event stream. When Close returns, none may still run.
func TestCloseWaitsForEveryGoroutine(t *testing.T) {
	// A webhook that holds every request until the sender gives up.
	h := newHook(t)
	h.mu.Lock()
	h.hold = make(chan struct{})
	h.mu.Unlock()
	// A feed that never answers until the reader gives up.
	feedAsked := make(chan struct{}, 1)
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case feedAsked <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	t.Cleanup(feed.Close)

	loaded := hookProfile(h.URL)
	loaded.Profile.Monitor.Enabled = true
	loaded.Profile.Disruptions.FeedURL = feed.URL
	loaded.Profile.Disruptions.Refresh.Duration = time.Hour
	loaded.Profile.Disruptions.Timeout.Duration = time.Hour

	// A diagnosis that runs until the agent stops it.
	diagnosing := make(chan struct{})
	var diagnosisReturned atomic.Bool
	diagnose := func(ctx context.Context, _ *profile.Profile, _ func(diagnostics.Event)) *diagnostics.Report {
		close(diagnosing)
		<-ctx.Done()
		diagnosisReturned.Store(true)
		return nil
	}
	fw := newFakeWatch()
	var watchReturned atomic.Bool
	watch := func(ctx context.Context, p *profile.Profile, emit func(diagnostics.WatchEvent), sample func(diagnostics.WatchSample)) error {
		err := fw.run(ctx, p, emit, sample)
		watchReturned.Store(true)
		return err
	}

	trace := newGoroutineTrace()
	id := testIdentity
	a := newTestAgent(t, Config{
		Profile: loaded, Diagnose: diagnose, Watch: watch,
		Timeline: timeline.Open(filepath.Join(t.TempDir(), "timeline.db")),
		Requests: RequestsConfig{Dir: t.TempDir(), Secrets: &support.MemorySecrets{}, Identity: &id},
		Feed:     FeedConfig{CachePath: filepath.Join(t.TempDir(), "feed.json")},

		traceGoroutine: trace.note,
	})
	c, _ := serve(t, a)
	stream := collect(t, c)
	if u, ok := <-stream; !ok || u.Kind != UpdateState {
		t.Fatalf("the event stream began with %+v", u)
	}

	// An attempt in flight: the submit answers "pending" once its caller stops waiting.
	info, err := a.RequestDraft()
	if err != nil {
		t.Fatal(err)
	}
	info.Draft.Summary, info.Draft.Attach = "Mail does not open", false
	submitCtx, stopWaiting := context.WithCancel(context.Background())
	submitted := make(chan error, 1)
	go func() {
		_, err := a.SubmitRequest(submitCtx, SubmitRequest{Draft: info.Draft})
		submitted <- err
	}()
	<-h.seen
	stopWaiting()
	if err := <-submitted; err != nil {
		t.Fatal(err)
	}

	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	<-fw.started
	if err := a.StartDisruptions(); err != nil {
		t.Fatal(err)
	}
	<-feedAsked
	if _, _, err := a.StartDiagnosis(); err != nil {
		t.Fatal(err)
	}
	<-diagnosing

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	trace.mu.Lock()
	for name, n := range trace.running {
		if n != 0 {
			t.Errorf("Close returned while %d %q still ran", n, name)
		}
	}
	for _, name := range []string{"watcher", "disruptions", "diagnosis", "outbox attempt", "serve", "api"} {
		if !trace.seen[name] {
			t.Errorf("no %q ran: the test no longer covers it", name)
		}
	}
	trace.mu.Unlock()
	if !watchReturned.Load() || !diagnosisReturned.Load() {
		t.Errorf("Close returned before the watcher (%v) or the diagnosis (%v) did",
			watchReturned.Load(), diagnosisReturned.Load())
	}
	select {
	case <-a.Done():
	default:
		t.Error("Done is open after Close")
	}
	if err := a.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// An API call that arrives once the agent is closed is refused, and a Serve begun then returns
// at once.
func TestClosedAgentServesNothing(t *testing.T) {
	a := newTestAgent(t, Config{})
	a.Close()
	rec := httptest.NewRecorder()
	NewServer(a).Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, PathState, nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET %s after Close: %d, want %d", PathState, rec.Code, http.StatusServiceUnavailable)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := NewServer(a).Serve(ln); err != nil {
		t.Errorf("Serve after Close: %v", err)
	}
	if _, err := ln.Accept(); err == nil {
		t.Error("Serve after Close left its listener open")
	}
}
