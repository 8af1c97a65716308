// Package agent is Apuri's long-running core: it holds the profile in use, the latest report and
// the user's settings, runs diagnoses on demand, and serves them to the tray (in process) and to
// the windows (child processes, through the local API in server.go and client.go).
//
// The agent sits on every laptop all day, so it does nothing while idle: no polling loops and no
// timers. Work happens only when someone asks for it, and updates are pushed to subscribers.
package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/timeline"
)

// Status is the tray's state, derived from the agent's state.
type Status string

// The tray states; each has its own icon.
const (
	StatusUnknown  Status = "unknown"  // no diagnosis yet
	StatusChecking Status = "checking" // a diagnosis is running
	StatusHealthy  Status = "healthy"  // the latest verdict is ok
	StatusWarning  Status = "warning"  // the latest verdict is warn
	StatusProblem  Status = "problem"  // the latest verdict is fail
)

// Windows are the window names the agent can open (`apuri window NAME`).
var Windows = []string{"details", "help", "request", "settings"}

// DiagnoseFunc runs one whole diagnosis; diagnostics.Diagnose is the real one.
type DiagnoseFunc func(ctx context.Context, p *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report

// Config is what an agent is built from. Zero fields get real defaults, except OpenWindow and
// Quit, which only the program's wiring can provide.
type Config struct {
	// Profile is the profile in use and the problems of the sources passed over
	// (profile.Resolve). A nil Profile.Profile means the embedded default.
	Profile profile.Loaded
	// Lang is the --lang flag; it wins over the language in the settings.
	Lang string
	// Diagnose runs a diagnosis; default diagnostics.Diagnose.
	Diagnose DiagnoseFunc
	// Now is the clock; default time.Now.
	Now func() time.Time
	// SettingsPath is where settings are kept; default DefaultSettingsPath(). When there is no
	// such place, settings live in memory only.
	SettingsPath string
	// Autostart starts Apuri at login; default NewAutostart() for this OS.
	Autostart Autostart
	// DetectLang resolves the system language; default i18n.Detect.
	DetectLang func(explicit string) string
	// OpenWindow starts the window process NAME in language lang, typically Launcher.Open.
	// It returns an error wrapping ErrAlreadyOpen when that window is already open; the agent
	// then asks the open window to raise itself. Nil: opening windows is unavailable.
	OpenWindow func(name, lang string) error
	// Quit ends the program (the tray's quit); it is called once, from its own goroutine, when
	// a client asks the agent to quit. Nil: the agent only closes itself.
	Quit func()
	// Watch runs the connectivity watcher once StartWatch is called; default diagnostics.Watch.
	Watch WatchFunc
	// Timeline keeps the watcher's incidents and samples; default the store at
	// timeline.DefaultPath(), opened only when used.
	Timeline *timeline.Store
	// Requests configures support requests: the draft, the outbox and the channels' keyring
	// (agent/requests.go).
	Requests RequestsConfig
	// Feed configures reading the feed of known disruptions (agent/disruptions.go).
	Feed FeedConfig
}

// State is a snapshot of the agent: what the tray shows and what the windows read.
type State struct {
	Status Status `json:"status"`
	// Running is true while a diagnosis runs.
	Running bool `json:"running"`
	// Run numbers the diagnoses: the running one, else the last one; 0 before the first.
	Run uint64 `json:"run"`
	// StartedAt is when the running (or last) diagnosis started, by the agent's clock.
	StartedAt time.Time `json:"started_at,omitzero"`
	// FinishedAt is when the last diagnosis finished.
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Progress is, while a diagnosis runs, the latest event of each check in the order the
	// checks started: a row is "checking" until its finished event arrives. Empty otherwise.
	Progress []diagnostics.Event `json:"progress"`
	// Report is the latest finished diagnosis, nil before the first. Its Summary and Advice
	// texts are not filled: the reader localizes it (Report.Localize) in its own language.
	Report *diagnostics.Report `json:"report,omitempty"`
	// Lang is the language in effect: the --lang flag, else the setting, else the system's.
	Lang     string   `json:"lang"`
	Settings Settings `json:"settings"`
	// ProfileSource says where the profile in use came from ("flag", "user", "system",
	// "embedded"); ProfileProblems counts the problems of the sources passed over.
	ProfileSource   string `json:"profile_source"`
	ProfileProblems int    `json:"profile_problems"`
	// Problems are the agent's own troubles the user may need to see (a corrupt settings file).
	Problems []Problem `json:"problems,omitempty"`
	// Watch is the connection as the watcher last saw it (agent/watch.go).
	Watch WatchStatus `json:"watch"`
	// Requests are the support requests not yet delivered (agent/requests.go).
	Requests RequestsState `json:"requests"`
	// Disruptions is the feed of known disruptions as last read; nil while the profile names
	// no feed or StartDisruptions was not called (agent/disruptions.go).
	Disruptions *disruptions.State `json:"disruptions,omitempty"`
}

// UpdateKind says what an update carries.
type UpdateKind string

// The kinds of update a subscriber receives.
const (
	// UpdateState carries a whole State: the first update of every subscription, every
	// change of state (a diagnosis started or finished, settings saved), and a resynchronisation
	// after a subscriber fell behind and updates were dropped.
	UpdateState UpdateKind = "state"
	// UpdateProgress carries one progress event of the running diagnosis (Run says which).
	UpdateProgress UpdateKind = "progress"
	// UpdateRaise asks the open window named Window to come to the front.
	UpdateRaise UpdateKind = "raise"
	// UpdateWatch carries one event of the connectivity watcher in Watch: the connection was
	// lost, restored or degraded, or (Watch.Event "diagnosis") a diagnosis the agent ran by
	// itself because of such an event finished, with its verdict and Run. Nobody asked for
	// those diagnoses, so the tray tells the user about them; a diagnosis the user started
	// arrives only as UpdateState. A subscriber that falls behind still gets the latest one.
	UpdateWatch UpdateKind = "watch"
)

// Update is one message to a subscriber, and one line of the /v1/events stream.
type Update struct {
	Kind   UpdateKind         `json:"kind"`
	Run    uint64             `json:"run,omitempty"`
	State  *State             `json:"state,omitempty"`
	Event  *diagnostics.Event `json:"event,omitempty"`
	Window string             `json:"window,omitempty"`
	// Watch is the watcher's event of an UpdateWatch, the subscriber's own copy.
	Watch *diagnostics.WatchEvent `json:"watch,omitempty"`
}

// ErrClosed is returned once the agent has been closed.
var ErrClosed = errors.New("agent closed")

// Agent is the long-running core. Its methods are safe for concurrent use.
type Agent struct {
	cfg    Config
	ctx    context.Context // the agent's lifetime; diagnoses run under it, not under a caller's
	cancel context.CancelFunc
	done   chan struct{}

	mu          sync.Mutex
	closed      bool
	loaded      profile.Loaded
	settings    Settings
	problems    []Problem
	run         *run // the running diagnosis, nil when idle
	runs        uint64
	startedAt   time.Time
	finishedAt  time.Time
	progress    []diagnostics.Event
	progressIdx map[string]int
	report      *diagnostics.Report
	subs        map[*subscriber]struct{}
	quitOnce    sync.Once
	saveMu      sync.Mutex // serialises SaveSettings
	watch       watching   // the connectivity watcher (agent/watch.go)
	requests    *requests  // support requests and their outbox (agent/requests.go)
	feed        feeding    // known disruptions (agent/disruptions.go)
}

// run is one diagnosis; everyone who asks while it runs waits on the same one.
type run struct {
	id     uint64
	done   chan struct{}
	report *diagnostics.Report
	err    error
}

// New builds an agent and loads the user's settings. It starts nothing: the agent costs
// nothing until it is asked for something.
func New(cfg Config) *Agent {
	if cfg.Diagnose == nil {
		cfg.Diagnose = diagnostics.Diagnose
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SettingsPath == "" {
		cfg.SettingsPath = DefaultSettingsPath()
	}
	if cfg.Autostart == nil {
		cfg.Autostart = NewAutostart()
	}
	if cfg.DetectLang == nil {
		cfg.DetectLang = i18n.Detect
	}
	if cfg.Profile.Profile == nil {
		cfg.Profile.Profile = profile.Default()
		cfg.Profile.Source = profile.Source{Kind: profile.SourceEmbedded}
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &Agent{
		cfg: cfg, ctx: ctx, cancel: cancel, done: make(chan struct{}),
		loaded: cfg.Profile,
		subs:   map[*subscriber]struct{}{},
	}
	a.settings = DefaultSettings()
	if cfg.SettingsPath != "" {
		s, problem := LoadSettings(cfg.SettingsPath)
		a.settings = s
		if problem != nil {
			a.problems = append(a.problems, *problem)
		}
	}
	// The login item is the truth about starting at login; the file only remembers a wish.
	if on, err := cfg.Autostart.Enabled(); err == nil {
		a.settings.StartAtLogin = on
	}
	a.requests = newRequests(a)
	return a
}

// Close stops a running diagnosis, ends every subscription and makes later calls fail with
// ErrClosed. It is safe to call more than once.
func (a *Agent) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	for s := range a.subs {
		delete(a.subs, s)
		close(s.ch)
	}
	a.mu.Unlock()
	a.cancel()
	a.requests.close()
	a.flushTimeline()
	close(a.done)
	return nil
}

func (a *Agent) isClosed() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.closed
}

// Done is closed when the agent is closed.
func (a *Agent) Done() <-chan struct{} { return a.done }

// State returns a snapshot of the agent.
func (a *Agent) State() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stateLocked()
}

// Status is the tray state alone.
func (a *Agent) Status() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.statusLocked()
}

// Report is the latest finished diagnosis (a copy the caller may Localize), nil before the first.
func (a *Agent) Report() *diagnostics.Report {
	a.mu.Lock()
	defer a.mu.Unlock()
	return cloneReport(a.report)
}

// Profile is the profile in use, where it came from and the problems of the sources passed over.
// The caller must not modify it.
func (a *Agent) Profile() profile.Loaded {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.loaded
}

// SetProfile replaces the profile in use (after the profile file changed); later diagnoses use it.
func (a *Agent) SetProfile(l profile.Loaded) {
	if l.Profile == nil {
		l.Profile = profile.Default()
		l.Source = profile.Source{Kind: profile.SourceEmbedded}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.loaded = l
	a.restartWatchLocked()
	a.restartFeedLocked()
	a.publishStateLocked()
}

// Lang is the language in effect: the --lang flag, else the saved setting, else the system's.
func (a *Agent) Lang() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.langLocked()
}

func (a *Agent) langLocked() string {
	if i18n.Supported(a.cfg.Lang) {
		return a.cfg.Lang
	}
	return a.cfg.DetectLang(a.settings.Language)
}

func (a *Agent) statusLocked() Status {
	if a.run != nil {
		return StatusChecking
	}
	if a.report == nil {
		return StatusUnknown
	}
	switch a.report.Verdict.Status {
	case diagnostics.StatusOK:
		return StatusHealthy
	case diagnostics.StatusWarn:
		return StatusWarning
	case diagnostics.StatusFail:
		return StatusProblem
	}
	return StatusUnknown
}

func (a *Agent) stateLocked() State {
	s := State{
		Status:          a.statusLocked(),
		Running:         a.run != nil,
		Run:             a.runs,
		StartedAt:       a.startedAt,
		FinishedAt:      a.finishedAt,
		Progress:        append([]diagnostics.Event{}, a.progress...),
		Report:          cloneReport(a.report),
		Lang:            a.langLocked(),
		Settings:        a.settings,
		ProfileSource:   a.loaded.Source.Kind,
		ProfileProblems: len(a.loaded.Problems),
		Problems:        append([]Problem(nil), a.problems...),
		Watch:           a.watchStatusLocked(),
		Requests:        a.requests.stateLocked(),
		Disruptions:     a.disruptionsStateLocked(),
	}
	return s
}

// cloneReport copies what Report.Localize writes, so that each reader may localize its own copy.
func cloneReport(r *diagnostics.Report) *diagnostics.Report {
	if r == nil {
		return nil
	}
	c := *r
	c.Checks = append([]diagnostics.Result(nil), r.Checks...)
	c.Verdict.Advice = append([]string(nil), r.Verdict.Advice...)
	return &c
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
	go a.execute(r, p)
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

// Settings returns the user's settings.
func (a *Agent) Settings() Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

// SaveSettings validates, applies (start at login) and stores the user's settings, then tells
// the subscribers. Errors are *Problem values the UI can translate.
func (a *Agent) SaveSettings(s Settings) (Settings, error) {
	if err := s.Validate(); err != nil {
		return Settings{}, err
	}
	// One save at a time, so the file and the login item agree; the state lock is taken only to
	// publish, so a slow disk never holds up progress events.
	a.saveMu.Lock()
	defer a.saveMu.Unlock()
	if a.isClosed() {
		return Settings{}, ErrClosed
	}
	if on, err := a.cfg.Autostart.Enabled(); err != nil || on != s.StartAtLogin {
		if err := a.cfg.Autostart.SetEnabled(s.StartAtLogin); err != nil {
			return Settings{}, newProblem(KeyAutostart, "error", err.Error())
		}
	}
	if a.cfg.SettingsPath != "" {
		if err := WriteSettings(a.cfg.SettingsPath, s); err != nil {
			return Settings{}, newProblem(KeySaveSettings, "error", err.Error())
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settings = s
	// A saved file is a good file: the old corruption no longer matters.
	kept := a.problems[:0]
	for _, p := range a.problems {
		if p.Key != KeySettingsCorrupt {
			kept = append(kept, p)
		}
	}
	a.problems = kept
	a.publishStateLocked()
	return s, nil
}

// OpenWindow opens the window NAME (one of Windows) in the language in effect. When that window
// is already open it is asked to come to the front (an UpdateRaise) instead.
func (a *Agent) OpenWindow(name string) error {
	if !knownWindow(name) {
		return newProblem(KeyUnknownWindow, "name", name)
	}
	if a.cfg.OpenWindow == nil {
		return newProblem(KeyUnavailable)
	}
	lang := a.Lang()
	err := a.cfg.OpenWindow(name, lang)
	if errors.Is(err, ErrAlreadyOpen) {
		a.mu.Lock()
		a.publishLocked(Update{Kind: UpdateRaise, Window: name})
		a.mu.Unlock()
		return nil
	}
	if err != nil {
		return newProblem(KeyOpenWindow, "name", name, "error", err.Error())
	}
	return nil
}

func knownWindow(name string) bool {
	for _, w := range Windows {
		if w == name {
			return true
		}
	}
	return false
}

// RequestQuit ends the program: it calls Config.Quit once (in its own goroutine, so that an API
// handler can answer first), or closes the agent when there is no Quit.
func (a *Agent) RequestQuit() {
	a.quitOnce.Do(func() {
		if a.cfg.Quit != nil {
			go a.cfg.Quit()
			return
		}
		go a.Close()
	})
}

// subscriberBuffer is how many updates a subscriber may fall behind before it is resynchronised.
const subscriberBuffer = 128

type subscriber struct {
	ch chan Update
}

// Subscribe returns a channel of updates, starting with the current State, and a cancel func
// that ends the subscription and closes the channel. A subscriber that falls behind never slows
// the agent: its pending updates are dropped and replaced by one UpdateState with the whole
// state, which is enough to redraw everything. The channel is closed when the agent closes.
func (a *Agent) Subscribe() (<-chan Update, func()) {
	s := &subscriber{ch: make(chan Update, subscriberBuffer)}
	a.mu.Lock()
	if a.closed {
		close(s.ch)
		a.mu.Unlock()
		return s.ch, func() {}
	}
	st := a.stateLocked()
	s.ch <- Update{Kind: UpdateState, Run: st.Run, State: &st}
	a.subs[s] = struct{}{}
	a.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			a.mu.Lock()
			defer a.mu.Unlock()
			if _, ok := a.subs[s]; ok {
				delete(a.subs, s)
				close(s.ch)
			}
		})
	}
}

func (a *Agent) publishStateLocked() {
	a.publishLocked(Update{Kind: UpdateState})
}

// publishLocked hands u to every subscriber without ever waiting. An UpdateState gets a fresh
// state for each subscriber, so that none shares what another may localize.
func (a *Agent) publishLocked(u Update) {
	for s := range a.subs {
		v := u
		if v.Kind == UpdateState {
			st := a.stateLocked()
			v.State, v.Run = &st, st.Run
		}
		if v.Watch != nil {
			w := v.Watch.Clone()
			v.Watch = &w
		}
		select {
		case s.ch <- v:
			continue
		default:
		}
		// Behind: drop what it has not read and leave it the whole state instead. The agent is
		// the only sender and holds the lock, so after draining there is room.
		for drained := false; !drained; {
			select {
			case <-s.ch:
			default:
				drained = true
			}
		}
		st := a.stateLocked()
		s.ch <- Update{Kind: UpdateState, Run: st.Run, State: &st}
		if v.Kind == UpdateRaise || v.Kind == UpdateWatch {
			s.ch <- v // news, not state: the snapshot cannot stand in for it
		}
	}
}
