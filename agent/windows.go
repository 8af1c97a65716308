package agent

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
)

// ErrAlreadyOpen says the window asked for is open already; the agent then asks it to raise
// itself (an UpdateRaise on the event stream) instead of starting a second one.
var ErrAlreadyOpen = errors.New("window already open")

// Child is a started window process.
type Child interface {
	// Wait waits for the process to exit and releases it.
	Wait() error
}

// Launcher starts the windows as child processes (`apuri window NAME --lang L [--profile F]`):
// Fyne's driver is too costly to keep in the all-day agent, so each window lives only while
// it is open. At most one process runs per window name, and every child is waited for, so none
// is left a zombie.
type Launcher struct {
	// Executable is the program to start; default os.Executable().
	Executable string
	// Profile is the agent's --profile flag, passed on so the windows read the same profile.
	Profile string
	// Start starts argv as a process; default exec.Command(argv[0], argv[1:]...).Start with
	// the agent's environment and its stderr.
	Start func(argv []string) (Child, error)
	// Exited, when set, is called after a window's process has exited and been reaped.
	Exited func(name string, err error)

	mu   sync.Mutex
	open map[string]bool
	wg   sync.WaitGroup
}

// Argv is the command line that opens window name in language lang.
func (l *Launcher) Argv(name, lang string) ([]string, error) {
	exe := l.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("find the program: %w", err)
		}
	}
	argv := []string{exe, "window", name}
	if lang != "" {
		argv = append(argv, "--lang", lang)
	}
	if l.Profile != "" {
		argv = append(argv, "--profile", l.Profile)
	}
	return argv, nil
}

// Open starts window name in language lang. When that window is still open it starts nothing
// and returns an error wrapping ErrAlreadyOpen.
func (l *Launcher) Open(name, lang string) error {
	argv, err := l.Argv(name, lang)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[name] {
		return fmt.Errorf("%s: %w", name, ErrAlreadyOpen)
	}
	start := l.Start
	if start == nil {
		start = startProcess
	}
	child, err := start(argv)
	if err != nil {
		return fmt.Errorf("start window %s: %w", name, err)
	}
	if l.open == nil {
		l.open = map[string]bool{}
	}
	l.open[name] = true
	l.wg.Add(1)
	go l.reap(name, child)
	return nil
}

// reap waits for a window's process, so that it never lingers as a zombie, and frees its name.
func (l *Launcher) reap(name string, child Child) {
	defer l.wg.Done()
	err := child.Wait()
	l.mu.Lock()
	delete(l.open, name)
	l.mu.Unlock()
	if l.Exited != nil {
		l.Exited(name, err)
	}
}

// IsOpen reports whether window name's process is running.
func (l *Launcher) IsOpen(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open[name]
}

// Wait waits until every window process started so far has exited and been reaped.
func (l *Launcher) Wait() { l.wg.Wait() }

func startProcess(argv []string) (Child, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd, nil
}

// Windows are the window names the agent can open (`apuri window NAME`).
var Windows = []string{"details", "help", "request", "settings"}

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
