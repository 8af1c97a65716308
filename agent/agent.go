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
	"sync"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/timeline"
)

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
	// Fleet configures the export the profile's [fleet] may ask for (agent/fleet.go).
	Fleet FleetConfig

	// traceGoroutine, when set (tests), is told each time a goroutine of the agent, or a call
	// of its local API, starts (running) and ends.
	traceGoroutine func(name string, running bool)
}

// ErrClosed is returned once the agent has been closed.
var ErrClosed = errors.New("agent closed")

// Agent is the long-running core. Its methods are safe for concurrent use.
type Agent struct {
	cfg    Config
	ctx    context.Context // the agent's lifetime; diagnoses run under it, not under a caller's
	cancel context.CancelFunc
	done   chan struct{} // closed once Close has stopped everything
	// goroutines are those that run on the agent's behalf; Close waits for them.
	goroutines goroutines

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
	fleet       fleeting   // the export to the organisation's collector (agent/fleet.go)
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
		goroutines: goroutines{trace: cfg.traceGoroutine},
		loaded:     cfg.Profile,
		subs:       map[*subscriber]struct{}{},
	}
	a.settings = DefaultSettings()
	if cfg.SettingsPath != "" {
		s, problem := LoadSettings(cfg.SettingsPath)
		a.settings = s
		if problem != nil {
			a.problems = append(a.problems, *problem)
		}
	}
	// A policy that decides about starting at login applies from the agent's start.
	if m, ok := cfg.Autostart.(interface{ Enforce() error }); ok {
		if err := m.Enforce(); err != nil {
			a.problems = append(a.problems, *newProblem(KeyAutostart, "error", err.Error()))
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
// ErrClosed. It returns once every goroutine of the agent has ended: the watcher, the feed
// reader, diagnoses, outbox flushes and attempts, and the local API's Serve loops and calls
// (event streams included). Cancelling the agent's context is what ends them, so the wait is
// as long as the slowest takes to notice. A later Close waits for the first one and returns nil;
// none may be called from a goroutine of the agent (an OnRestored hook).
func (a *Agent) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		<-a.done
		return nil
	}
	a.closed = true
	for s := range a.subs {
		delete(a.subs, s)
		close(s.ch)
	}
	a.fleet.gen++
	a.stopFleetLocked()
	a.mu.Unlock()
	a.cancel()
	a.requests.close()
	// The watcher writes the samples the timeline holds in memory as it ends, so they are on
	// disk once this returns.
	a.goroutines.stop()
	close(a.done)
	return nil
}

func (a *Agent) isClosed() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.closed
}

// Done is closed when the agent is closed and all its goroutines have ended.
func (a *Agent) Done() <-chan struct{} { return a.done }

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
