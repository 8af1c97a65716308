package agent

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

func TestStatusFollowsTheVerdict(t *testing.T) {
	tests := []struct {
		name    string
		verdict diagnostics.Status
		want    Status
	}{
		{"ok is healthy", diagnostics.StatusOK, StatusHealthy},
		{"warn is warning", diagnostics.StatusWarn, StatusWarning},
		{"fail is problem", diagnostics.StatusFail, StatusProblem},
		{"skip says nothing", diagnostics.StatusSkip, StatusUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeDiagnosis{steps: threeChecks, status: tt.verdict}
			a := newTestAgent(t, Config{Diagnose: fake.diagnose})
			if got := a.Status(); got != StatusUnknown {
				t.Fatalf("before any diagnosis: status %q, want unknown", got)
			}
			report, err := a.RunDiagnosis(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if report.Verdict.Status != tt.verdict {
				t.Errorf("report verdict %q, want %q", report.Verdict.Status, tt.verdict)
			}
			st := a.State()
			if st.Status != tt.want || st.Running || st.Run != 1 || st.Report == nil {
				t.Errorf("state = %+v, want status %q, not running, run 1, with a report", st, tt.want)
			}
			if len(st.Progress) != 0 {
				t.Errorf("progress kept after the run: %v", st.Progress)
			}
		})
	}
}

func TestCheckingWhileRunning(t *testing.T) {
	fake := &fakeDiagnosis{steps: threeChecks, release: make(chan struct{})}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	updates, cancel := a.Subscribe()
	defer cancel()
	if u := <-updates; u.Kind != UpdateState || u.State.Status != StatusUnknown {
		t.Fatalf("first update %+v, want the unknown state", u)
	}
	if _, _, err := a.StartDiagnosis(); err != nil {
		t.Fatal(err)
	}
	if u := <-updates; u.Kind != UpdateState || u.State.Status != StatusChecking || !u.State.Running {
		t.Fatalf("after start: %+v, want checking", u)
	}
	// The fake has sent half its steps before waiting: the state shows them as progress.
	for range len(threeChecks) / 2 {
		if u := <-updates; u.Kind != UpdateProgress || u.Run != 1 {
			t.Fatalf("want progress of run 1, got %+v", u)
		}
	}
	st := a.State()
	if len(st.Progress) != 2 || st.Progress[0].ID != "network.interfaces" || st.Progress[1].ID != "network.dns" ||
		st.Progress[0].Kind != diagnostics.EventStarted || st.Progress[1].Kind != diagnostics.EventFinished {
		t.Errorf("progress mid-run = %+v, want interfaces checking and dns finished", st.Progress)
	}
	close(fake.release)
	if st := untilState(t, updates); st.Status != StatusHealthy {
		t.Errorf("after the run: %q, want healthy", st.Status)
	}
}

// observedCtx reports when RunDiagnosis first waits on it, which is after it joined the run.
type observedCtx struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (c *observedCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

func TestRunDiagnosisIsSingleFlight(t *testing.T) {
	fake := &fakeDiagnosis{steps: threeChecks, release: make(chan struct{})}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	id, joined, err := a.StartDiagnosis()
	if err != nil || id != 1 || joined {
		t.Fatalf("first start: run %d joined %v err %v, want run 1 started", id, joined, err)
	}
	id, joined, _ = a.StartDiagnosis()
	if id != 1 || !joined {
		t.Fatalf("second start: run %d joined %v, want to join run 1", id, joined)
	}

	const callers = 8
	reports := make(chan *diagnostics.Report, callers)
	for range callers {
		ctx := &observedCtx{Context: context.Background(), waiting: make(chan struct{})}
		go func() {
			r, err := a.RunDiagnosis(ctx)
			if err != nil {
				t.Error(err)
			}
			reports <- r
		}()
		<-ctx.waiting
	}
	close(fake.release)
	for range callers {
		if r := <-reports; r == nil || len(r.Checks) != 3 {
			t.Fatalf("a joined caller got %+v", r)
		}
	}
	if n := fake.calls.Load(); n != 1 {
		t.Errorf("diagnose ran %d times for one flight, want 1", n)
	}
	if st := a.State(); st.Run != 1 {
		t.Errorf("run counter %d, want 1", st.Run)
	}

	// Once it is over, the next call is a new run.
	if _, err := a.RunDiagnosis(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := fake.calls.Load(); n != 2 {
		t.Errorf("diagnose ran %d times after a second request, want 2", n)
	}
}

func TestACallerGivingUpDoesNotStopTheRun(t *testing.T) {
	fake := &fakeDiagnosis{steps: threeChecks, release: make(chan struct{})}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	updates, cancel := a.Subscribe()
	defer cancel()
	ctx, stop := context.WithCancel(context.Background())
	stop()
	if _, err := a.RunDiagnosis(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunDiagnosis with a cancelled context: %v", err)
	}
	close(fake.release)
	untilState(t, updates) // as it was when subscribing
	untilState(t, updates) // checking
	if st := untilState(t, updates); st.Status != StatusHealthy || st.Report == nil {
		t.Errorf("the run did not finish on its own: %+v", st)
	}
}

func TestACrashingDiagnosisKeepsTheAgent(t *testing.T) {
	a := newTestAgent(t, Config{Diagnose: func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
		panic("boom")
	}})
	_, err := a.RunDiagnosis(context.Background())
	if err == nil {
		t.Fatal("a crashed diagnosis reported no error")
	}
	if st := a.State(); st.Running || st.Status != StatusUnknown {
		t.Errorf("after a crash: %+v", st)
	}
}

func TestClosedAgent(t *testing.T) {
	fake := &fakeDiagnosis{steps: threeChecks, release: make(chan struct{})}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	updates, _ := a.Subscribe()
	if _, _, err := a.StartDiagnosis(); err != nil {
		t.Fatal(err)
	}
	a.Close()
	for range updates {
	} // closed by Close
	if _, err := a.RunDiagnosis(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("RunDiagnosis after Close: %v, want ErrClosed", err)
	}
	if _, err := a.SaveSettings(DefaultSettings()); !errors.Is(err, ErrClosed) {
		t.Errorf("SaveSettings after Close: %v, want ErrClosed", err)
	}
	if u, ok := <-func() <-chan Update { ch, _ := a.Subscribe(); return ch }(); ok {
		t.Errorf("Subscribe after Close delivered %+v", u)
	}
}

// A subscriber that never reads must not hold up the agent; when it reads again it finds the
// whole current state.
func TestStalledSubscriberNeverBlocksTheAgent(t *testing.T) {
	fake := &fakeDiagnosis{steps: manySteps(4 * subscriberBuffer)}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	stalled, cancel := a.Subscribe()
	defer cancel()
	for range 3 {
		if _, err := a.RunDiagnosis(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(stalled); n > subscriberBuffer {
		t.Fatalf("%d updates queued, more than the buffer of %d", n, subscriberBuffer)
	}
	var last Update
	sawState := false
	for len(stalled) > 0 {
		last = <-stalled
		sawState = sawState || last.Kind == UpdateState
	}
	if !sawState {
		t.Error("the stalled subscriber was not resynchronised with a state update")
	}
	if last.Kind != UpdateState || last.State.Running || last.State.Run != 3 || last.State.Status != StatusHealthy {
		t.Errorf("last update %+v, want the state after run 3", last)
	}
}

func TestOpenWindowRaisesAnOpenOne(t *testing.T) {
	var opened []string
	a := newTestAgent(t, Config{Lang: "sv", OpenWindow: func(name, lang string) error {
		if len(opened) > 0 {
			return ErrAlreadyOpen
		}
		opened = append(opened, name+" "+lang)
		return nil
	}})
	updates, cancel := a.Subscribe()
	defer cancel()
	<-updates
	for range 2 {
		if err := a.OpenWindow("details"); err != nil {
			t.Fatal(err)
		}
	}
	if len(opened) != 1 || opened[0] != "details sv" {
		t.Errorf("opened %v, want one details window in Swedish", opened)
	}
	if u := <-updates; u.Kind != UpdateRaise || u.Window != "details" {
		t.Errorf("second open sent %+v, want a raise of details", u)
	}
	var p *Problem
	if err := a.OpenWindow("nope"); !errors.As(err, &p) || p.Key != KeyUnknownWindow {
		t.Errorf("unknown window: %v", err)
	}
}

func TestLanguageInEffect(t *testing.T) {
	tests := []struct {
		name, flag, setting, want string
	}{
		{"system when nothing is chosen", "", "", "en"},
		{"the setting over the system", "", "fi", "fi"},
		{"the flag over the setting", "sv", "fi", "sv"},
		{"an unknown flag is ignored", "de", "fi", "fi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newTestAgent(t, Config{Lang: tt.flag})
			s := a.Settings()
			s.Language = tt.setting
			if _, err := a.SaveSettings(s); err != nil {
				t.Fatal(err)
			}
			if got := a.Lang(); got != tt.want {
				t.Errorf("Lang() = %q, want %q", got, tt.want)
			}
			if got := a.State().Lang; got != tt.want {
				t.Errorf("State().Lang = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReportCopiesAreIndependent(t *testing.T) {
	a := newTestAgent(t, Config{})
	if _, err := a.RunDiagnosis(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := a.Report()
	r.Checks[0].Summary = "changed by a reader"
	if got := a.Report().Checks[0].Summary; got != "" {
		t.Errorf("a reader's Localize leaked into the agent: %q", got)
	}
}
