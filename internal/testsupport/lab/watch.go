//go:build linux

package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// WatchProfileTOML is the lab profile with a [monitor] table, so the watcher's periodic probe
// runs every interval (the profile allows 5 s at the least).
func WatchProfileTOML(o ProfileOptions, interval time.Duration) string {
	return ProfileTOML(o) + "[monitor]\nenabled = true\ninterval = " + strconv.Quote(interval.String()) + "\n"
}

// WriteWatchProfile writes WatchProfileTOML into the lab's directory and returns its path.
func (l *Lab) WriteWatchProfile(o ProfileOptions, interval time.Duration) (string, error) {
	path := filepath.Join(l.Dir, "lab-watch-profile.toml")
	if err := os.WriteFile(path, []byte(WatchProfileTOML(o, interval)), 0o644); err != nil {
		return "", fmt.Errorf("write lab watch profile: %w", err)
	}
	return path, nil
}

// WatchLine is one line of `apuri watch --json`, decoded into the lab's own types so that a
// renamed Go field cannot silently change what the tests read.
type WatchLine struct {
	Time      time.Time `json:"time"`
	Event     string    `json:"event"`
	Cause     string    `json:"cause"`
	Status    string    `json:"status"`
	Since     time.Time `json:"since"`
	DurationS float64   `json:"duration_s"`
	Bounces   int       `json:"bounces"`
	Ended     string    `json:"ended"`
	Trigger   string    `json:"trigger"`
	Summary   string    `json:"summary"`
	Verdict   *Verdict  `json:"verdict"`
	// Raw is the line as printed; Read is when the test read it.
	Raw  string    `json:"-"`
	Read time.Time `json:"-"`
}

// WatchProc is a running `apuri watch --json`.
type WatchProc struct {
	// Pid is the apuri process (`ip netns exec` becomes it).
	Pid int
	// Home is its private HOME; its timeline is TimelinePath.
	Home string

	cmd     *exec.Cmd
	lines   chan WatchLine
	stderr  *OutputBuffer
	done    chan struct{} // closed once the process has exited and been waited for
	waitErr error

	mu   sync.Mutex
	seen []WatchLine
}

// Watch starts `apuri watch --json --profile profilePath` in ns, with a private HOME and XDG
// directories like Exec, and the further flags given (--verbose puts the watcher's log on
// stderr). ctx bounds its life. Stop it with Stop.
func (a Apuri) Watch(ctx context.Context, ns, profilePath string, flags ...string) (*WatchProc, error) {
	cmd, home, err := a.command(ctx, ns, append([]string{"watch", "--json", "--profile", profilePath}, flags...)...)
	if err != nil {
		return nil, err
	}
	// If the test process dies, so does the watcher.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	w := &WatchProc{Home: home, cmd: cmd, lines: make(chan WatchLine, 256), stderr: &OutputBuffer{Max: maxLog}, done: make(chan struct{})}
	cmd.Stderr = w.stderr
	// Through an io.Pipe, Wait returns only once everything printed has been copied, and the
	// reader sees the end only after that.
	stdout, pw := io.Pipe()
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start apuri watch in %s: %w", ns, err)
	}
	w.Pid = cmd.Process.Pid
	go func() {
		w.waitErr = cmd.Wait()
		pw.Close()
		close(w.done)
	}()
	go func() {
		defer close(w.lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l := WatchLine{Raw: sc.Text(), Read: time.Now()}
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				l.Event = "unparsable"
			}
			w.mu.Lock()
			w.seen = append(w.seen, l)
			w.mu.Unlock()
			w.lines <- l
		}
	}()
	return w, nil
}

// TimelinePath is where the watcher keeps its timeline.
func (w *WatchProc) TimelinePath() string {
	return filepath.Join(w.Home, "state", "apuri", "timeline.db")
}

// ErrWatchEnded says the watcher's output ended before the line looked for.
var ErrWatchEnded = errors.New("apuri watch ended")

// Next returns the first line from now on that match accepts, waiting at most timeout.
func (w *WatchProc) Next(timeout time.Duration, match func(WatchLine) bool) (WatchLine, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case l, ok := <-w.lines:
			if !ok {
				return WatchLine{}, ErrWatchEnded
			}
			if match(l) {
				return l, nil
			}
		case <-t.C:
			return WatchLine{}, fmt.Errorf("no matching line within %v", timeout)
		}
	}
}

// Seen is every line printed so far.
func (w *WatchProc) Seen() []WatchLine {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]WatchLine(nil), w.seen...)
}

// Stderr is what the watcher wrote to stderr.
func (w *WatchProc) Stderr() string { return w.stderr.String() }

// Stop sends sig and waits up to 10 s for the process to exit, returning its exit code. A
// process that does not exit is killed and reported as an error.
func (w *WatchProc) Stop(sig os.Signal) (int, error) {
	select {
	case <-w.done:
		return -1, fmt.Errorf("apuri watch had already exited: %v", w.waitErr)
	default:
	}
	if err := w.cmd.Process.Signal(sig); err != nil {
		return -1, fmt.Errorf("signal apuri watch: %w", err)
	}
	select {
	case <-w.done:
		var exit *exec.ExitError
		switch {
		case w.waitErr == nil:
			return 0, nil
		case errors.As(w.waitErr, &exit):
			return exit.ExitCode(), nil
		}
		return -1, w.waitErr
	case <-time.After(10 * time.Second):
		w.Close()
		return -1, fmt.Errorf("apuri watch did not exit within 10 s of %v", sig)
	}
}

// Close kills the process if it still runs and waits for it; safe to call at any time.
func (w *WatchProc) Close() {
	select {
	case <-w.done:
		return
	default:
	}
	_ = w.cmd.Process.Kill()
	<-w.done
}

// ContextSwitches is how often the process's threads have been switched out so far (voluntary
// and not), from /proc: each is a wake-up that costs the laptop a little power.
func (w *WatchProc) ContextSwitches() (int64, error) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", w.Pid))
	if err != nil || len(tasks) == 0 {
		return 0, fmt.Errorf("threads of %d: %v", w.Pid, err)
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that just ended
		}
		if n, ok := procStatusSwitches(string(b)); ok {
			total += n
		}
	}
	return total, nil
}

// procStatusSwitches sums the context switches in a /proc/PID/task/*/status text.
func procStatusSwitches(status string) (int64, bool) {
	var n int64
	found := false
	for _, line := range strings.Split(status, "\n") {
		for _, key := range []string{"voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:"} {
			if rest, ok := strings.CutPrefix(line, key); ok {
				var v int64
				if _, err := fmt.Sscan(strings.TrimSpace(rest), &v); err == nil {
					n += v
					found = true
				}
			}
		}
	}
	return n, found
}
