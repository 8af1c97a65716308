package app

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// fakeAgent is the agent as the windows see it, with canned answers; it records what it is asked.
type fakeAgent struct {
	mu       sync.Mutex
	state    agent.State
	loaded   profile.Loaded
	updates  []agent.Update // what Events sends before it waits for the window to close
	quit     bool           // Events ends after the updates, as when the agent quits
	err      error          // every call but Events fails with it
	diagnose int
	opened   []string
	saved    []agent.Settings

	draft     agent.DraftInfo
	drafts    []support.Draft // the drafts saved, in order
	preview   agent.Preview
	previewed []agent.PreviewRequest
	submit    agent.SubmitResult
	submitted []agent.SubmitRequest
	outbox    agent.OutboxList
	retried   []string // refs the window asked to try again
	discarded []string // refs the window asked to discard
	timeline  *timeline.Timeline

	secret     agent.SecretStatus // what the status of any channel's secret reads
	secretErr  error              // SetRequestSecret fails with it
	secretsSet []agent.SecretRequest
}

var _ Agent = (*fakeAgent)(nil)

func newFakeAgent() *fakeAgent {
	return &fakeAgent{
		state:  agent.State{Lang: "en", Settings: agent.DefaultSettings()},
		loaded: demo.Loaded(false),
	}
}

func (f *fakeAgent) State(context.Context) (agent.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state, f.err
}

func (f *fakeAgent) StartDiagnosis(context.Context) (agent.DiagnoseStarted, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.diagnose++
	return agent.DiagnoseStarted{Run: uint64(f.diagnose)}, f.err
}

func (f *fakeAgent) Events(ctx context.Context, fn func(agent.Update)) error {
	f.mu.Lock()
	updates, quit := f.updates, f.quit
	f.mu.Unlock()
	for _, u := range updates {
		fn(u)
	}
	if quit {
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

func (f *fakeAgent) Profile(context.Context) (profile.Loaded, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.loaded, f.err
}

func (f *fakeAgent) Settings(context.Context) (agent.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state.Settings, f.err
}

func (f *fakeAgent) SaveSettings(_ context.Context, s agent.Settings) (agent.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return agent.Settings{}, f.err
	}
	f.saved = append(f.saved, s)
	f.state.Settings = s
	return s, nil
}

func (f *fakeAgent) OpenWindow(_ context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, name)
	return f.err
}

func (f *fakeAgent) RequestDraft(context.Context) (agent.DraftInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.draft, f.err
}

func (f *fakeAgent) SaveRequestDraft(_ context.Context, d support.Draft) (agent.DraftInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return agent.DraftInfo{}, f.err
	}
	f.drafts = append(f.drafts, d)
	f.draft.Draft, f.draft.Saved = d, true
	return f.draft, nil
}

func (f *fakeAgent) PreviewRequest(_ context.Context, req agent.PreviewRequest) (agent.Preview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previewed = append(f.previewed, req)
	return f.preview, f.err
}

func (f *fakeAgent) SubmitRequest(_ context.Context, req agent.SubmitRequest) (agent.SubmitResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return agent.SubmitResult{}, f.err
	}
	f.submitted = append(f.submitted, req)
	return f.submit, nil
}

func (f *fakeAgent) Outbox(context.Context) (agent.OutboxList, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.outbox, f.err
}

func (f *fakeAgent) RetryRequest(_ context.Context, ref string) (agent.SubmitResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retried = append(f.retried, ref)
	return f.submit, f.err
}

func (f *fakeAgent) DiscardRequest(_ context.Context, ref string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.discarded = append(f.discarded, ref)
	return f.err
}

func (f *fakeAgent) RequestSecretStatus(_ context.Context, channel string) (agent.SecretStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.secret
	st.Channel = channel
	return st, f.err
}

func (f *fakeAgent) SetRequestSecret(_ context.Context, channel, secret string) (agent.SecretStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return agent.SecretStatus{}, f.err
	}
	if f.secretErr != nil {
		return agent.SecretStatus{}, f.secretErr
	}
	f.secretsSet = append(f.secretsSet, agent.SecretRequest{Channel: channel, Secret: secret})
	f.secret.Stored, f.secret.Problem = secret != "", nil
	st := f.secret
	st.Channel = channel
	return st, nil
}

func (f *fakeAgent) Timeline(context.Context, time.Time) (*timeline.Timeline, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	if f.timeline == nil {
		return &timeline.Timeline{Schema: timeline.Schema}, nil
	}
	return f.timeline, nil
}

// fakeRemedies records the actions asked for; it never does any of them.
type fakeRemedies struct {
	mu       sync.Mutex
	done     []selfhelp.Action
	err      error
	browsers []selfhelp.Browser
	// updatesPage: the computer has a page for updates to open.
	updatesPage bool
}

func (f *fakeRemedies) Do(_ context.Context, a selfhelp.Action) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done = append(f.done, a)
	return f.err
}

func (f *fakeRemedies) Browsers(context.Context) []selfhelp.Browser { return f.browsers }

func (f *fakeRemedies) CanOpenUpdates() bool { return f.updatesPage }

// CleanUp records itself as its action and says it freed 1.2 GB.
func (f *fakeRemedies) CleanUp(context.Context) (selfhelp.CleanedUp, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done = append(f.done, selfhelp.Action{Kind: selfhelp.ActionCleanUp})
	return selfhelp.CleanedUp{Bytes: 1_234_000_000, Files: 310}, f.err
}

func (f *fakeRemedies) actions() []selfhelp.Action {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]selfhelp.Action(nil), f.done...)
}

// testBrowsers are the browsers the fake finds installed.
var testBrowsers = []selfhelp.Browser{
	{ID: "firefox.desktop", Name: "Firefox", Default: true},
	{ID: "chromium.desktop", Name: "Chromium"},
}

// fakeTicker ticks when the test sends on c.
type fakeTicker struct {
	c       chan time.Time
	stopped chan struct{}
	once    sync.Once
}

func newFakeTicker() *fakeTicker {
	return &fakeTicker{c: make(chan time.Time), stopped: make(chan struct{})}
}

func (t *fakeTicker) C() <-chan time.Time { return t.c }
func (t *fakeTicker) Stop()               { t.once.Do(func() { close(t.stopped) }) }

// harness is one window under test: a test app, the fakes, and the screen's window.
type harness struct {
	t        *testing.T
	env      *env
	agent    *fakeAgent
	remedies *fakeRemedies
	ticker   *fakeTicker
	window   fyne.Window
	// queue holds the changes to the widgets that other goroutines asked for; pump runs them
	// on the test's goroutine, as Fyne's thread would.
	queue chan func()
	// pagePath is where Open as a web page writes; opened are the files it opened since.
	pagePath string
	opened   []string
	// closed says whether the window was closed.
	closed bool
}

// newHarness sets up a test app in lang. Work the screens spawn runs at once, on the calling
// goroutine, so that every assertion sees its effect.
func newHarness(t *testing.T, lang string) *harness {
	t.Helper()
	test.NewTempApp(t)
	h := &harness{
		t: t, agent: newFakeAgent(), remedies: &fakeRemedies{browsers: testBrowsers, updatesPage: true},
		ticker: newFakeTicker(), queue: make(chan func(), 256),
		pagePath: filepath.Join(t.TempDir(), "apuri", "report.html"),
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	tr := i18n.New(lang)
	if err := useFyneLanguage(tr); err != nil {
		t.Fatal(err)
	}
	h.env = newEnv(env{
		ctx: ctx, agent: h.agent, tr: tr, remedies: h.remedies,
		newTicker: func(d time.Duration) Ticker {
			if d != time.Second {
				t.Errorf("ticker every %v, want every second", d)
			}
			return h.ticker
		},
		do:       func(f func()) { h.queue <- f },
		spawn:    func(f func()) { f() },
		loc:      time.UTC,
		now:      func() time.Time { return demo.StartedAt.Add(5 * time.Minute) },
		pagePath: func() (string, error) { return h.pagePath, nil },
		// Nothing is ever opened by a test: the file is recorded instead.
		openFile: func(_ context.Context, path string) error {
			h.opened = append(h.opened, path)
			return nil
		},
	})
	// Closed once, by Escape or at the end of the test: Fyne's test driver cannot close twice.
	h.window = test.NewWindow(container.NewStack())
	h.window.SetOnClosed(func() { h.closed = true })
	t.Cleanup(func() {
		if !h.closed {
			h.window.Close()
		}
	})
	return h
}

// show puts a screen in the window, at the real size.
func (h *harness) show(s screen) {
	h.window.SetContent(s.buildUI())
	h.window.Resize(windowSize)
}

// pump runs the queued changes until none is left.
func (h *harness) pump() {
	for {
		select {
		case f := <-h.queue:
			f()
		default:
			return
		}
	}
}

// next runs the next queued change, waiting for another goroutine to queue it.
func (h *harness) next() {
	(<-h.queue)()
}

// tap taps the button labelled text, which must be on the screen or in a dialog over it.
func (h *harness) tap(text string) {
	h.t.Helper()
	b := h.button(text)
	if b == nil {
		h.t.Fatalf("no button %q", text)
	}
	if b.Disabled() {
		h.t.Fatalf("button %q is disabled", text)
	}
	test.Tap(b)
}

// button finds the button labelled text, or nil.
func (h *harness) button(text string) *keyButton {
	if b := findButton(h.window.Content(), text); b != nil {
		return b
	}
	for _, o := range h.window.Canvas().Overlays().List() {
		if b := findButton(o, text); b != nil {
			return b
		}
	}
	return nil
}

// The windows' buttons are all keyButtons (keys_widgets.go).
func findButton(o fyne.CanvasObject, text string) *keyButton {
	switch v := o.(type) {
	case *keyButton:
		if v.Text == text {
			return v
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case *container.Scroll:
		return findButton(v.Content, text)
	case fyne.Widget:
		r := test.WidgetRenderer(v)
		for _, c := range r.Objects() {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// texts lists the text of every label on the screen and in its dialogs.
func (h *harness) texts() []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			if v.Visible() {
				out = append(out, v.Text)
			}
		case *widget.RichText:
			if v.Visible() {
				for _, seg := range v.Segments {
					out = append(out, seg.Textual())
				}
			}
		case *fyne.Container:
			if v.Visible() {
				for _, c := range v.Objects {
					walk(c)
				}
			}
		case *container.Scroll:
			walk(v.Content)
		case fyne.Widget:
			if v.Visible() {
				for _, c := range test.WidgetRenderer(v).Objects() {
					walk(c)
				}
			}
		}
	}
	walk(h.window.Content())
	for _, o := range h.window.Canvas().Overlays().List() {
		walk(o)
	}
	return out
}

var errAgentDown = &agent.APIError{Problem: agent.Problem{Message: i18n.Msg(agent.KeyUnreachable, "error", "connection refused")}}
