// Package app is what people see of Apuri besides the tray: the Fyne windows (details, help,
// request, settings). Each window is its own short-lived process (`apuri window NAME`), started by the
// agent when the user opens it and ended when it closes, because Fyne's driver costs too much
// to keep in the all-day agent (docs/architecture.md). A window talks to the agent over the local API;
// when no agent runs, an agent inside the window process stands in, so the window still works.
//
// One file per screen: a small struct of widgets with newX, buildUI and onX handlers. Every
// change to a widget from another goroutine goes through env.do (fyne.Do).
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
	"github.com/apuri-project/apuri/selfhelp/webpage"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// ID is the windows' Fyne application ID.
const ID = "io.github.apuri_project.apuri"

// The windows this package shows (agent.Windows names them too).
const (
	WindowDetails  = "details"
	WindowHelp     = "help"
	WindowSettings = "settings"
	WindowRequest  = "request"
)

// windowSize fits every window's content at the default text size without scrolling the
// essentials away, and fits a 1366×768 laptop screen.
var windowSize = fyne.NewSize(720, 560)

// Agent is what the windows need of the agent. *agent.Client satisfies it; when no agent runs,
// localAgent stands in; tests give a fake.
type Agent interface {
	State(ctx context.Context) (agent.State, error)
	StartDiagnosis(ctx context.Context) (agent.DiagnoseStarted, error)
	Events(ctx context.Context, fn func(agent.Update)) error
	Profile(ctx context.Context) (profile.Loaded, error)
	Settings(ctx context.Context) (agent.Settings, error)
	SaveSettings(ctx context.Context, s agent.Settings) (agent.Settings, error)
	OpenWindow(ctx context.Context, name string) error

	// The request window's part of the local API (agent/requests.go).
	RequestDraft(ctx context.Context) (agent.DraftInfo, error)
	SaveRequestDraft(ctx context.Context, d support.Draft) (agent.DraftInfo, error)
	PreviewRequest(ctx context.Context, req agent.PreviewRequest) (agent.Preview, error)
	SubmitRequest(ctx context.Context, req agent.SubmitRequest) (agent.SubmitResult, error)
	Outbox(ctx context.Context) (agent.OutboxList, error)
	RetryRequest(ctx context.Context, ref string) (agent.SubmitResult, error)
	DiscardRequest(ctx context.Context, ref string) error
	RequestSecretStatus(ctx context.Context, channel string) (agent.SecretStatus, error)
	SetRequestSecret(ctx context.Context, channel, secret string) (agent.SecretStatus, error)

	// Timeline is the connection's history since a time (zero: the last 24 hours).
	Timeline(ctx context.Context, since time.Time) (*timeline.Timeline, error)
}

var _ Agent = (*agent.Client)(nil)

// Remedies performs the self-help buttons. *selfhelp.Remedies satisfies it; tests record the
// actions instead, so that nothing is ever restarted by a test.
type Remedies interface {
	Do(ctx context.Context, a selfhelp.Action) error
	Browsers(ctx context.Context) []selfhelp.Browser
	// CleanUp empties the trash and old temporary files and says how much that freed.
	CleanUp(ctx context.Context) (selfhelp.CleanedUp, error)
	// CanOpenUpdates says whether the system's own page for updates can be opened here.
	CanOpenUpdates() bool
}

var _ Remedies = (*selfhelp.Remedies)(nil)

// Ticker is a source of ticks; the restart countdown runs on one, and tests tick by hand.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

type realTicker struct{ *time.Ticker }

func (t realTicker) C() <-chan time.Time { return t.Ticker.C }

func newRealTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

// env is what every screen shares: the agent, the language and the side effects.
type env struct {
	ctx      context.Context
	agent    Agent
	local    bool // no agent runs; the one in this process stands in
	tr       *i18n.Translator
	remedies Remedies
	// newTicker makes the countdown's ticker; default time.NewTicker.
	newTicker func(time.Duration) Ticker
	// do runs a change to the widgets on Fyne's thread; default fyne.Do.
	do func(func())
	// spawn runs slow work (API calls, remedies) off Fyne's thread; default a goroutine.
	spawn func(func())
	// loc is the time zone times are shown in; default time.Local.
	loc *time.Location
	// now is the clock; default time.Now.
	now func() time.Time
	// clipboard is where Copy report puts the report; default the app's clipboard.
	clipboard func() fyne.Clipboard
	// pagePath is where Open as a web page writes; default webpage.DefaultPath.
	pagePath func() (string, error)
	// openFile opens a file with the desktop's program for it; default support.OpenDefault.
	openFile func(ctx context.Context, path string) error
}

// newEnv fills in the real side effects for what e leaves zero.
func newEnv(e env) *env {
	if e.ctx == nil {
		e.ctx = context.Background()
	}
	if e.remedies == nil {
		e.remedies = &selfhelp.Remedies{}
	}
	if e.newTicker == nil {
		e.newTicker = newRealTicker
	}
	if e.do == nil {
		e.do = fyne.Do
	}
	if e.spawn == nil {
		e.spawn = func(f func()) { go f() }
	}
	if e.loc == nil {
		e.loc = time.Local
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.clipboard == nil {
		e.clipboard = func() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }
	}
	if e.tr == nil {
		e.tr = i18n.New(i18n.Fallback)
	}
	if e.pagePath == nil {
		e.pagePath = webpage.DefaultPath
	}
	if e.openFile == nil {
		e.openFile = support.OpenDefault
	}
	return &e
}

// t renders a key with alternating name, value arguments.
func (e *env) t(key string, kv ...any) string { return e.tr.F(key, kv...) }

// msg renders a message of the diagnostics or self-help.
func (e *env) msg(m i18n.Message) string { return e.tr.Message(m) }

// errorText puts an error of the agent into the user's words.
func (e *env) errorText(err error) string {
	var p *agent.Problem
	if errors.As(err, &p) {
		return p.Text(e.tr)
	}
	return e.t(agent.KeyInternal, "error", err.Error())
}

// number formats x with the language's decimal separator.
func (e *env) number(x float64, decimals int) string {
	return i18n.FormatNumber(e.tr.Lang(), x, decimals)
}

// when writes a moment for a sentence ("klo 8.02", "2.12.2026 klo 21.33").
func (e *env) when(t time.Time) string {
	return i18n.FormatWhen(e.tr.Lang(), t.In(e.loc), e.now().In(e.loc))
}

// clock writes a moment for a list or a chart: the time today, the date and time before.
func (e *env) clock(t time.Time) string {
	return i18n.FormatClock(e.tr.Lang(), t.In(e.loc), e.now().In(e.loc))
}

// timeOfDay writes the time of day alone, for the timeline's axis.
func (e *env) timeOfDay(t time.Time) string { return i18n.FormatTime(e.tr.Lang(), t.In(e.loc)) }

// follow streams the agent's updates into handle on Fyne's thread until the window closes.
// When the stream ends for another reason (the agent quit or went away), lost is called once.
func (e *env) follow(handle func(agent.Update), lost func()) {
	go func() {
		_ = e.agent.Events(e.ctx, func(u agent.Update) {
			e.do(func() { handle(u) })
		})
		if e.ctx.Err() == nil {
			e.do(lost)
		}
	}()
}

// screen is one window's content.
type screen interface {
	buildUI() fyne.CanvasObject
	// start begins the screen's background work: loading, following the agent.
	start()
}

// Run shows window name (details, help, request or settings) until the user closes it, and returns
// the exit code. cmd/apuri-window hands it to cli.Main as Env.Window.
func Run(name string, opts program.Options) int {
	return run(name, opts, os.Stderr)
}

func run(name string, opts program.Options, stderr io.Writer) int {
	tr := opts.Tr()
	if tr == nil {
		tr = i18n.New(i18n.Detect(opts.Lang))
	}
	if !knownWindow(name) {
		fmt.Fprintln(stderr, tr.F(agent.KeyUnknownWindow, "name", name))
		return program.ExitUsage
	}
	if !hasDisplay(os.Getenv) {
		fmt.Fprintln(stderr, tr.T("window.error.no_display", nil))
		return program.ExitUsage
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	ag, local, closeAgent := connect(opts)
	defer closeAgent()
	lang := opts.Lang
	if lang == "" {
		// Started by hand: speak the language the agent speaks (the user's setting).
		sctx, scancel := context.WithTimeout(ctx, 2*time.Second)
		if st, err := ag.State(sctx); err == nil {
			lang = st.Lang
		}
		scancel()
	}
	tr = i18n.New(i18n.Detect(lang))
	if err := useFyneLanguage(tr); err != nil {
		fmt.Fprintln(stderr, err)
	}

	e := newEnv(env{ctx: ctx, agent: ag, local: local, tr: tr})
	followTextScale(os.Getenv, os.Setenv, desktopTextScale)
	w, err := newWindow(tr.T("window."+name+".title", nil))
	if err != nil {
		fmt.Fprintln(stderr, tr.T("window.error.no_display", nil))
		fmt.Fprintln(stderr, err)
		return program.ExitUsage
	}
	s := newScreen(name, e, w)
	w.SetContent(s.buildUI())
	w.Resize(windowSize)
	w.CenterOnScreen()
	s.start()
	w.ShowAndRun()
	return program.ExitOK
}

// newWindow starts Fyne and opens its window. A display that is named but cannot be opened
// makes Fyne's driver panic; that becomes an error, so the user reads why instead of a trace.
func newWindow(title string) (w fyne.Window, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("open a window: %v", r)
		}
	}()
	icon := fyne.NewStaticResource("apuri.png", assets.AppIcon())
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID: ID, Name: "Apuri", Version: program.Version, Build: 1, Release: true, Icon: icon,
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := fyneapp.NewWithID(ID)
	a.SetIcon(icon)
	applyTheme(a)
	return a.NewWindow(title), nil
}

func knownWindow(name string) bool {
	return name == WindowDetails || name == WindowHelp || name == WindowSettings || name == WindowRequest
}

func newScreen(name string, e *env, w fyne.Window) screen {
	switch name {
	case WindowHelp:
		return newHelp(e, w)
	case WindowSettings:
		return newSettings(e, w)
	case WindowRequest:
		return newRequest(e, w)
	}
	return newDetails(e, w)
}

// hasDisplay says whether a window can be shown: on X11 and Wayland systems a display must be
// named in the environment, or Fyne's driver fails to start.
func hasDisplay(getenv func(string) string) bool {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios", "js":
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}

// connect finds the running agent, or starts one inside this process when there is none.
func connect(opts program.Options) (ag Agent, local bool, closeFn func()) {
	if c, err := agent.Dial(agent.SocketPath()); err == nil {
		return c, false, func() { c.Close() }
	}
	l := &agent.Launcher{Profile: opts.Profile}
	la := newLocalAgent(agent.Config{
		Profile:    profile.Resolve(opts.Profile),
		Lang:       opts.Lang,
		OpenWindow: l.Open,
	})
	return la, true, func() { la.Close() }
}
