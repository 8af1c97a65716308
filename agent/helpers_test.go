package agent

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// childEnv makes the test binary, started as a window process by the launcher tests, exit at once.
const childEnv = "APURI_AGENT_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// step is one progress event the fake diagnosis emits: a check starting or finishing.
type step struct {
	kind diagnostics.EventKind
	id   string
}

// fakeDiagnosis emits its steps as progress, optionally waits for release, and returns a report
// whose verdict has the given status.
type fakeDiagnosis struct {
	steps   []step
	status  diagnostics.Status
	release chan struct{} // nil: finish at once
	detail  string        // put into every result, to make events large
	calls   atomic.Int32
}

func (f *fakeDiagnosis) diagnose(ctx context.Context, _ *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report {
	f.calls.Add(1)
	var results []diagnostics.Result
	for i, s := range f.steps {
		if f.release != nil && i == len(f.steps)/2 {
			select {
			case <-f.release:
			case <-ctx.Done():
				return nil
			}
		}
		ev := diagnostics.Event{Kind: s.kind, ID: s.id, Group: diagnostics.GroupNetwork}
		if s.kind == diagnostics.EventFinished {
			r := diagnostics.OK(i18n.Msg("check.fake")).Detail("blob", f.detail)
			r.ID, r.Group = s.id, diagnostics.GroupNetwork
			results = append(results, r)
			ev.Result = &r
		}
		progress(ev)
	}
	status := f.status
	if status == "" {
		status = diagnostics.StatusOK
	}
	return &diagnostics.Report{
		Schema:  diagnostics.ReportSchema,
		Checks:  results,
		Verdict: diagnostics.Verdict{Cause: diagnostics.CauseHealthy, Status: status},
	}
}

// threeChecks starts and finishes three checks, interleaved as a real run would.
var threeChecks = []step{
	{diagnostics.EventStarted, "network.interfaces"},
	{diagnostics.EventStarted, "network.dns"},
	{diagnostics.EventFinished, "network.dns"},
	{diagnostics.EventStarted, "system.disk"},
	{diagnostics.EventFinished, "network.interfaces"},
	{diagnostics.EventFinished, "system.disk"},
}

// manySteps starts and finishes n checks.
func manySteps(n int) []step {
	var steps []step
	for i := range n {
		id := fmt.Sprintf("service.s%04d", i)
		steps = append(steps, step{diagnostics.EventStarted, id}, step{diagnostics.EventFinished, id})
	}
	return steps
}

// fakeAutostart is a login item in memory.
type fakeAutostart struct {
	mu  sync.Mutex
	on  bool
	err error
	set []bool
}

func (f *fakeAutostart) Enabled() (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.on, nil
}

func (f *fakeAutostart) SetEnabled(on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.on = on
	f.set = append(f.set, on)
	return nil
}

// shortTempDir is a temporary directory with a short path: Unix socket paths are limited to
// about 100 bytes, and t.TempDir() names can be long.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "ap")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// newTestAgent builds an agent with fakes for every side effect; cfg's non-zero fields win.
func newTestAgent(t *testing.T, cfg Config) *Agent {
	t.Helper()
	if cfg.Diagnose == nil {
		cfg.Diagnose = (&fakeDiagnosis{steps: threeChecks}).diagnose
	}
	if cfg.SettingsPath == "" {
		cfg.SettingsPath = filepath.Join(t.TempDir(), "settings.json")
	}
	if cfg.Feed.CachePath == "" {
		cfg.Feed.CachePath = filepath.Join(t.TempDir(), "disruptions.json")
	}
	if cfg.Autostart == nil {
		cfg.Autostart = &fakeAutostart{}
	}
	if cfg.DetectLang == nil {
		cfg.DetectLang = func(explicit string) string {
			if explicit != "" {
				return explicit
			}
			return "en"
		}
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }
	}
	a := New(cfg)
	t.Cleanup(func() { a.Close() })
	return a
}

// next is the next update, failing the test when the stream ends.
func next(t *testing.T, updates <-chan Update) Update {
	t.Helper()
	u, ok := <-updates
	if !ok {
		t.Fatal("the event stream ended early")
	}
	return u
}

// untilState skips progress until the next state update.
func untilState(t *testing.T, updates <-chan Update) State {
	t.Helper()
	for {
		if u := next(t, updates); u.Kind == UpdateState {
			return *u.State
		}
	}
}
