//go:build linux

// Package e2e_test runs the built apuri binary as a user's desktop would: under Xvfb, on a
// private D-Bus session with a StatusNotifierWatcher (or, as GNOME without its AppIndicator
// extension, none, or one that comes late) and a notification service written for the test,
// inside an empty network namespace so that its diagnoses reach nothing. It needs root
// (for the namespace), Xvfb, dbus-daemon and xdotool; without them it skips, and with CI=true
// it fails instead.
package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/notifytest"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
	"github.com/godbus/dbus/v5"
)

var (
	// apuriBin is the binary built once for the whole run; buildErr says why it could not be.
	apuriBin string
	buildErr error
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse()
	if missing() != "" || testing.Short() {
		return m.Run() // each test says why it skips
	}
	lab.CleanStaleAndSay("e2e")
	dir, err := os.MkdirTemp("", "apuri-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	apuriBin = filepath.Join(dir, "apuri")
	buildErr = build(apuriBin)
	return m.Run()
}

// build compiles the agent and, beside it, the window program that `apuri window NAME` hands over to.
func build(out string) error {
	if err := lab.Build(out, "github.com/apuri-project/apuri"); err != nil {
		return err
	}
	return lab.Build(filepath.Join(filepath.Dir(out), "apuri-window"), "github.com/apuri-project/apuri/cmd/apuri-window")
}

// missing says what this machine lacks for the desktop tests, or "".
func missing() string {
	var m []string
	if os.Geteuid() != 0 {
		m = append(m, "root (the agent runs in a network namespace of its own)")
	}
	for _, tool := range []struct{ cmd, pkg string }{
		{"Xvfb", "xvfb"}, {"dbus-daemon", "dbus"}, {"xdotool", "xdotool"}, {"ip", "iproute2"},
	} {
		if _, err := exec.LookPath(tool.cmd); err != nil {
			m = append(m, fmt.Sprintf("%s (apt-get install %s)", tool.cmd, tool.pkg))
		}
	}
	return strings.Join(m, "; ")
}

// need skips a test that cannot run here and says what is missing; under CI=true it fails, so
// the end-to-end test cannot silently stop running.
func need(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("desktop end-to-end test skipped in -short mode")
	}
	if m := missing(); m != "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the desktop end-to-end test needs %s", m)
		}
		tb.Skipf("the desktop end-to-end test needs %s (run it as root: sudo go test ./test/e2e/)", m)
	}
	if buildErr != nil {
		tb.Fatalf("cannot build apuri: %v", buildErr)
	}
}

// startX starts Xvfb on a display it picks itself, with a screen of geometry (WxHxDEPTH), and
// returns the DISPLAY value.
func startX(tb testing.TB, geometry string) string {
	tb.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	// -displayfd: Xvfb takes the first free display and writes its number once it is ready.
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", geometry, "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		w.Close()
		tb.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			tb.Fatalf("Xvfb gave no display (%q): %s", n, stderr.String())
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		tb.Fatalf("Xvfb did not start: %s", stderr.String())
	}
	return ""
}

// startBus starts a private session bus for the test.
func startBus(tb testing.TB) *testbus.Bus {
	tb.Helper()
	bus, err := testbus.Start(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { bus.Close() })
	return bus
}

// connect opens the test's own connection to the bus.
func connect(tb testing.TB, bus *testbus.Bus) *dbus.Conn {
	tb.Helper()
	conn, err := bus.Connect()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	return conn
}

// session is where the agent runs: a display, a bus, a network namespace and a private home.
type session struct {
	display string
	bus     string
	ns      string
	home    string
	profile string
	// scale is FYNE_SCALE for the agent and its windows; "" is Fyne's own choice.
	scale string
}

// env is the agent's whole environment. HOME and the XDG directories are set for the child
// only, never for the test process, whose Go caches follow them.
func (s session) env() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.home,
		"XDG_CONFIG_HOME=" + filepath.Join(s.home, "config"),
		"XDG_DATA_HOME=" + filepath.Join(s.home, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(s.home, "cache"),
		"XDG_STATE_HOME=" + filepath.Join(s.home, "state"),
		"XDG_RUNTIME_DIR=" + s.runtimeDir(),
		"DISPLAY=" + s.display,
		"DBUS_SESSION_BUS_ADDRESS=" + s.bus,
		"LANG=C.UTF-8",
		"FYNE_SCALE=" + s.scale,
	}
}

func (s session) runtimeDir() string { return filepath.Join(s.home, "run") }

// socket is where the agent's local API listens (agent.SocketPath in the child's environment).
func (s session) socket() string { return filepath.Join(s.runtimeDir(), "apuri", "agent.sock") }

// newSession prepares a home and an empty network namespace for the agent.
// desktop is a user's graphical session for a test: an X display, a private session bus with a
// notification server on it, and the session the agent runs in. A tray (StatusNotifierWatcher)
// is the test's to add, or not.
type desktop struct {
	display string
	conn    *dbus.Conn
	notes   *notifytest.Server
	session session
}

// newDesktop starts a desktop whose agent runs in namespace ns with the profile profileTOML.
func newDesktop(tb testing.TB, ns, profileTOML string) desktop {
	tb.Helper()
	return newDesktopSized(tb, ns, profileTOML, "1280x800x24")
}

// newDesktopSized is newDesktop with a screen of geometry (WxHxDEPTH).
func newDesktopSized(tb testing.TB, ns, profileTOML, geometry string) desktop {
	tb.Helper()
	display := startX(tb, geometry)
	bus := startBus(tb)
	conn := connect(tb, bus)
	notes, err := notifytest.Serve(conn, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return desktop{display: display, conn: conn, notes: notes, session: newSession(tb, display, bus.Address, ns, profileTOML)}
}

func newSession(tb testing.TB, display, busAddr, ns, profileTOML string) session {
	tb.Helper()
	home := tb.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "run"), 0o700); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(home, "profile.toml")
	if err := os.WriteFile(path, []byte(profileTOML), 0o644); err != nil {
		tb.Fatal(err)
	}
	return session{display: display, bus: busAddr, ns: ns, home: home, profile: path}
}

// command is apuri with args inside the session's namespace. `ip netns exec` execs the
// program in place, so the process is apuri itself.
func (s session) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", s.ns, apuriBin}, args...)...)
	cmd.Env = s.env()
	return cmd
}

// agentProcess is a running `apuri` agent.
type agentProcess struct {
	cmd    *exec.Cmd
	output *lab.OutputBuffer
	done   chan struct{}
	err    error
}

// startAgent starts the agent and stops it, if still running, when the test ends.
func startAgent(tb testing.TB, s session, args ...string) *agentProcess {
	tb.Helper()
	p := &agentProcess{output: &lab.OutputBuffer{}, done: make(chan struct{})}
	p.cmd = s.command(context.Background(), append(args, "--profile", s.profile)...)
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	// A window the agent started inherits its output pipe; when a failed test kills the agent,
	// Wait must not wait for that window too.
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		tb.Fatalf("start apuri: %v", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	tb.Cleanup(func() {
		select {
		case <-p.done:
		default:
			for _, pid := range p.children() {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			p.cmd.Process.Kill()
			<-p.done
		}
		if tb.Failed() || testing.Verbose() {
			tb.Logf("apuri's output:\n%s", p.output.String())
		}
	})
	return p
}

// children are the process IDs the agent has started (its window processes).
func (p *agentProcess) children() []int {
	var pids []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", p.cmd.Process.Pid))
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}
