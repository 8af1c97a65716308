// Package tray is Apuri's tray agent: the icon and menu that sit in the panel all day (through
// fyne.io/systray, which needs no GL), the agent core with its local API, the automatic
// diagnosis at start and the notifications. It never imports Fyne: the windows are child
// processes (`apuri window NAME`), so that the agent idles at nothing.
package tray

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/systray"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/notify"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
	"github.com/apuri-project/apuri/support"
)

// desktopEntry is the name of Apuri's desktop entry, apuri.desktop (agent.DesktopFileName on
// Linux), which desktops use to group and style its notifications.
const desktopEntry = "apuri"

// Exit codes of the tray, the command line's (docs/report.md).
const (
	exitOK     = program.ExitOK
	exitFailed = program.ExitFailed
	exitNoDesk = program.ExitUsage // no display or no session bus: `apuri diagnose` still works
)

// Run is `apuri` with no subcommand: it becomes the user's one tray agent, or asks the agent
// already running to show the details window. It returns the exit code.
func Run(opts program.Options) int {
	return run(opts, os.Stderr)
}

func run(opts program.Options, stderr io.Writer) int {
	tr := opts.Tr()
	if tr == nil {
		tr = i18n.New(i18n.Detect(opts.Lang))
	}
	desk, err := openDesktop(os.Getenv)
	if err != nil {
		var e *desktopError
		if errors.As(err, &e) {
			fmt.Fprintln(stderr, tr.F(e.key, "error", e.err))
		} else {
			fmt.Fprintln(stderr, tr.F("tray.start_failed", "error", err))
		}
		return exitNoDesk
	}
	defer desk.Close()

	ln, other, err := agent.Acquire(agent.SocketPath())
	if err != nil {
		var p *agent.Problem
		switch {
		case errors.Is(err, agent.ErrNotResponding):
			fmt.Fprintln(stderr, tr.F("tray.not_responding", "error", err))
		case errors.As(err, &p): // a socket folder someone else prepared, in the user's language
			fmt.Fprintln(stderr, tr.F("tray.start_failed", "error", p.Text(tr)))
		default:
			fmt.Fprintln(stderr, tr.F("tray.start_failed", "error", err))
		}
		return exitFailed
	}
	if other != nil {
		// Starting Apuri again is how people look for it: show them the details.
		defer other.Close()
		ctx, cancel := context.WithTimeout(context.Background(), agent.AcquireTimeout)
		defer cancel()
		if err := other.OpenWindow(ctx, "details"); err != nil {
			fmt.Fprintln(stderr, tr.F("tray.start_failed", "error", err))
			return exitFailed
		}
		return exitOK
	}
	defer ln.Close()

	logger := log.New(stderr, "apuri: ", log.LstdFlags)
	launcher := &agent.Launcher{Profile: opts.Profile}
	quit := make(chan struct{})
	var quitOnce sync.Once
	stop := func() { quitOnce.Do(func() { close(quit) }) }
	a := agent.New(agent.Config{
		Profile:    profile.Resolve(opts.Profile),
		Lang:       opts.Lang,
		Diagnose:   diagnostics.Diagnose,
		OpenWindow: launcher.Open,
		Quit:       stop,
	})
	defer a.Close()
	srv := agent.NewServer(a)
	go func() {
		if err := srv.Serve(ln); err != nil {
			logger.Printf("local API: %v", err)
		}
	}()
	defer srv.Close()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		select {
		case <-signals:
			stop()
		case <-quit:
		}
	}()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &controller{
		agent: a,
		shell: systrayShell{},
		openURL: func(ctx context.Context, u string) error {
			return (&selfhelp.Remedies{}).OpenURL(ctx, u)
		},
		openFile: support.OpenDefault,
		windowOpen: func() bool {
			for _, w := range agent.Windows {
				if launcher.IsOpen(w) {
					return true
				}
			}
			return false
		},
		quit:   stop,
		logf:   logger.Printf,
		dark:   desk.Dark(),
		noTray: !desk.Tray(),
	}
	if c.noTray {
		logger.Printf("%s", noTrayLog)
	}
	iconPath := writeIcon(filepath.Dir(agent.SocketPath()))
	if iconPath != "" {
		defer os.Remove(iconPath)
	}
	// Windows: the toasts and windows belong to the Start-menu shortcut's identity.
	if err := notify.SetProcessAppID(); err != nil {
		logger.Printf("%v", err)
	}
	notifier := &notify.Notifier{
		IconPath:     iconPath,
		DesktopEntry: desktopEntry,
		OnActivate:   func() { c.openWindow("details") },
		Logf:         logger.Printf,
	}
	defer notifier.Close()
	c.notifier = notifier

	updates, unsubscribe := a.Subscribe()
	defer unsubscribe()
	loopDone := make(chan struct{})
	var started atomic.Bool
	runShell(func() {
		systray.SetOnTapped(func() { c.openWindow("details") })
		c.prepare(ctx, <-updates)
	}, func() {
		started.Store(true)
		go func() {
			defer close(loopDone)
			c.loop(ctx, updates, desk.DarkChanges(), desk.TrayChanges())
		}()
		c.diagnose()
		if opts.Details {
			// Started from the menu entry: people look for a window, icon or not.
			c.openWindow("details")
		}
		// The watcher diagnoses by itself when the connection is lost or comes back.
		if err := a.StartWatch(); err != nil {
			logger.Printf("connectivity watcher: %v", err)
		}
		if err := a.StartDisruptions(); err != nil {
			logger.Printf("known disruptions: %v", err)
		}
	}, quit)
	cancel()
	unsubscribe()
	if started.Load() {
		<-loopDone
	}
	c.bgNotify.Wait()
	return exitOK
}

// writeIcon puts the application icon where the notification service can read it, and
// returns its path, or "" when it could not.
func writeIcon(dir string) string {
	path := filepath.Join(dir, "apuri.png")
	if err := os.WriteFile(path, assets.AppIcon(), 0o600); err != nil {
		return ""
	}
	return path
}

// sender sends notifications; *notify.Notifier is the real one.
type sender interface {
	Send(ctx context.Context, n notify.Notification) error
}

// controller keeps the tray in step with the agent. Its loop alone owns the menu; clicks
// arrive on their own goroutines and only call the agent, which answers through the loop.
type controller struct {
	agent    *agent.Agent
	shell    shell
	notifier sender
	openURL  func(ctx context.Context, url string) error
	// openFile opens a file with the desktop's program for it; pagePath is where the web page
	// goes (webpage.DefaultPath when nil).
	openFile   func(ctx context.Context, path string) error
	pagePath   func() (string, error)
	windowOpen func() bool
	quit       func()
	logf       func(format string, args ...any)

	mu       sync.Mutex
	trayRuns map[uint64]bool // runs the tray started; the rest came from a window
	alert    alerter
	judged   uint64 // the last run whose end was judged for a notification

	// Owned by the loop.
	ctx      context.Context
	state    agent.State
	dark     bool
	shown    []Item
	status   menuItem // the shown menu's status line
	gen      *generation
	icon     string
	tooltip  string
	tr       *i18n.Translator
	bgNotify sync.WaitGroup
	// lastNotify closes when the latest notification has been handed over.
	lastNotify chan struct{}
	// noTray says the desktop shows no tray icons; noTrayDecided that the notice about it
	// was given, or found given before (notray.go).
	noTray        bool
	noTrayDecided bool
}

// generation is one built menu: its click handlers end when it is replaced.
type generation struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// prepare shows the first state before the tray appears, so the panel never shows a blank.
func (c *controller) prepare(ctx context.Context, first agent.Update) {
	c.ctx = ctx
	if first.State != nil {
		c.state = *first.State
	}
	c.shell.SetTitle("Apuri")
	c.render()
}

// loop applies the agent's updates until ctx ends or the agent closes. A burst of updates is
// drawn once, with the latest state.
func (c *controller) loop(ctx context.Context, updates <-chan agent.Update, dark, trays <-chan bool) {
	defer c.endGeneration()
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-dark:
			c.dark = d
		case shown := <-trays:
			c.onTray(shown)
		case u, ok := <-updates:
			if !ok {
				return
			}
			c.apply(u)
		drain:
			for {
				select {
				case u, ok := <-updates:
					if !ok {
						return
					}
					c.apply(u)
				default:
					break drain
				}
			}
		}
		c.render()
	}
}

// apply takes one update into the tray's copy of the state.
func (c *controller) apply(u agent.Update) {
	switch u.Kind {
	case agent.UpdateState:
		if u.State == nil {
			return
		}
		c.state = *u.State
		if !c.state.Running {
			// The notice comes first: it must not wait behind, or vanish under, a verdict.
			c.maybeTellNoTray()
			c.maybeNotify()
		}
	case agent.UpdateProgress:
		if u.Event == nil || !c.state.Running || u.Run != c.state.Run {
			return
		}
		for i, ev := range c.state.Progress {
			if ev.ID == u.Event.ID {
				c.state.Progress[i] = *u.Event
				return
			}
		}
		c.state.Progress = append(c.state.Progress, *u.Event)
	}
}

// render shows the state: icon, tooltip, and the menu, touching only what changed.
func (c *controller) render() {
	if c.tr == nil || c.tr.Lang() != c.state.Lang {
		c.tr = i18n.New(c.state.Lang)
	}
	if icon := iconKey(c.state.Status, c.dark); icon != c.icon {
		c.shell.SetIcon(assets.TrayIcon(string(c.state.Status), c.dark))
		c.icon = icon
	}
	if tip := Tooltip(c.state, c.tr); tip != c.tooltip {
		c.shell.SetTooltip(tip)
		c.tooltip = tip
	}
	items := BuildMenu(c.state, c.agent.Profile().Profile, c.tr)
	switch diffMenu(c.shown, items) {
	case changeNone:
	case changeStatusOnly:
		if c.status != nil {
			if items[0].Label != c.shown[0].Label {
				c.status.SetTitle(items[0].Label)
			}
			if items[0].Tooltip != c.shown[0].Tooltip {
				c.status.SetTooltip(items[0].Tooltip)
			}
		}
		c.shown = items
	case changeRebuild:
		c.rebuild(items)
	}
}

func iconKey(s agent.Status, dark bool) string { return fmt.Sprintf("%s/%v", s, dark) }

// rebuild replaces the whole menu. The old menu's handlers end first, so a click can never
// reach an item that is gone.
func (c *controller) rebuild(items []Item) {
	c.endGeneration()
	c.shell.ResetMenu()
	ctx, cancel := context.WithCancel(c.ctx)
	g := &generation{cancel: cancel}
	c.gen, c.status = g, nil
	for _, it := range items {
		if it.Separator {
			c.shell.AddSeparator()
			continue
		}
		mi := c.shell.AddItem(it.Label, it.Tooltip, it.Disabled)
		if it.ID == IDStatus {
			c.status = mi
		}
		if it.Disabled || it.Action == ActionNone {
			continue
		}
		g.wg.Add(1)
		go func(it Item, clicked <-chan struct{}) {
			defer g.wg.Done()
			for {
				select {
				case _, ok := <-clicked:
					if !ok {
						return
					}
					c.activate(it)
				case <-ctx.Done():
					return
				}
			}
		}(it, mi.Clicked())
	}
	c.shown = items
}

func (c *controller) endGeneration() {
	if c.gen != nil {
		c.gen.cancel()
	}
}

// activate does what a menu item says.
func (c *controller) activate(it Item) {
	switch it.Action {
	case ActionDiagnose:
		c.diagnose()
	case ActionWindow:
		c.openWindow(it.Window)
	case ActionURL:
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.openURL(ctx, it.URL); err != nil {
			c.logf("open %s: %v", it.URL, err)
		}
	case ActionWebPage:
		if err := c.openWebPage(); err != nil {
			c.logf("open as a web page: %v", err)
		}
	case ActionQuit:
		c.quit()
	}
}

// diagnose starts a diagnosis, or joins the running one, as the tray's own.
func (c *controller) diagnose() {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, _, err := c.agent.StartDiagnosis()
	if err != nil {
		c.logf("diagnose: %v", err)
		return
	}
	if c.trayRuns == nil {
		c.trayRuns = map[uint64]bool{}
	}
	c.trayRuns[id] = true
}

func (c *controller) openWindow(name string) {
	if err := c.agent.OpenWindow(name); err != nil {
		c.logf("open window %s: %v", name, err)
	}
}
