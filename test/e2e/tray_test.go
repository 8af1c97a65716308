//go:build linux

package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/notifytest"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/godbus/dbus/v5"
)

// e2eProfile names no real address: the agent runs in an empty namespace, where every probe
// fails at once, so its verdict is no_link.
const e2eProfile = `schema = 1

[organisation]
name = "Apuri e2e"

[support]
portal_name = "Service portal"
portal_url = "https://support.e2e.invalid/"
phone = "0295 000 000"
phone_hours = "Mon–Fri 8–16"

[[links]]
name = "TOP"
url = "https://top.e2e.invalid/"

[network]
dns_names = ["probe.e2e.invalid"]
internet_url = "http://probe.e2e.invalid/"
internet_expect = "ok"

[vpn]
required = false

[thresholds]
uptime_days = 365
disk_free_percent = 1
memory_used_percent = 100
cpu_busy_percent = 100

[timeouts]
check = "2s"
total = "3s"
`

// TestTrayEndToEnd is one user's session with the real binary: the icon registers, its menu
// reads right, a diagnosis shows on the status line, the icon and in a notification, every way
// of asking for the details opens the window, and Quit ends the agent cleanly.
func TestTrayEndToEnd(t *testing.T) {
	need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tr := i18n.New("en")

	d := newDesktop(t, lab.EmptyNamespaceFor(t, "e2e"), e2eProfile)
	display, conn, notes, s := d.display, d.conn, d.notes, d.session
	w := startWatcher(t, conn)
	agent := startAgent(t, s, "--lang", "en")

	name, path, err := w.waitItem(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	rec := record(t, conn, name)
	ti := tray{conn: conn, name: name, path: path}
	problem := tr.T("tray.cause.no_link", nil)

	t.Run("the menu reads right", func(t *testing.T) {
		items := waitMenu(t, ctx, ti, func(items []menuNode) bool {
			return len(items) > 0 && items[0].label() == problem
		})
		for _, want := range []string{
			tr.T("tray.menu.diagnose", nil), tr.T("tray.menu.details", nil), tr.T("tray.menu.help", nil),
			tr.T("tray.menu.request", nil), "TOP",
			tr.F("tray.menu.call_hours", "phone", "0295 000 000", "hours", "Mon–Fri 8–16"),
			tr.T("tray.menu.settings", nil), tr.T("tray.menu.quit", nil),
		} {
			it, ok := find(items, want)
			if !ok {
				t.Errorf("no %q in the menu %q", want, labels(items))
			} else if !it.enabled() {
				t.Errorf("%q is disabled", want)
			}
		}
		if items[0].enabled() {
			t.Error("the status line is clickable")
		}
	})

	t.Run("the start-up diagnosis is told in a notification", func(t *testing.T) {
		n, err := notes.Wait(ctx, func(n notifytest.Note) bool { return n.Summary == problem })
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(n.Body, tr.T("verdict.no_link", nil)) || !strings.Contains(n.Body, tr.T("advice.connect_network", nil)) {
			t.Errorf("body %q lacks the verdict or the advice", n.Body)
		}
		if n.AppName != "Apuri" || !slices.Contains(n.Actions, "default") || !slices.Contains(n.Actions, tr.T("tray.notify.show_details", nil)) {
			t.Errorf("app %q actions %q", n.AppName, n.Actions)
		}
	})

	t.Run("Diagnose now shows checking, then the verdict", func(t *testing.T) {
		items, err := ti.menu(ctx)
		if err != nil {
			t.Fatal(err)
		}
		status := items[0].ID
		// With no network from the start, the watcher confirms the loss a few seconds in and
		// diagnoses again by itself; wait until that has settled on the problem too.
		var before pixmap
		settled := func() bool {
			before, err = ti.icon()
			return err != nil || strings.HasPrefix(iconState(before), "problem/")
		}
		if poll.Wait(ctx, settled) != nil || err != nil {
			t.Fatalf("before: the icon shows %q (%v), want a problem", iconState(before), err)
		}
		rec.mu.Lock()
		labelsBefore, iconsBefore := len(rec.labels[status]), len(rec.icons)
		rec.mu.Unlock()
		diagnose, _ := find(items, tr.T("tray.menu.diagnose", nil))
		if err := ti.click(ctx, diagnose.ID); err != nil {
			t.Fatal(err)
		}
		checking := tr.T("tray.status.checking", nil)
		err = rec.wait(ctx, "checking, then the verdict", func(labels map[int32][]string, icons []string) bool {
			ls, is := labels[status], icons
			if len(ls) < labelsBefore || len(is) < iconsBefore {
				return false
			}
			ls, is = ls[labelsBefore:], is[iconsBefore:]
			sawChecking := slices.IndexFunc(ls, func(l string) bool { return strings.HasPrefix(l, strings.TrimSuffix(checking, "…")) })
			sawIcon := slices.IndexFunc(is, func(i string) bool { return strings.HasPrefix(i, "checking/") })
			return sawChecking >= 0 && ls[len(ls)-1] == problem && sawIcon >= 0 && strings.HasPrefix(is[len(is)-1], "problem/")
		})
		if err != nil {
			t.Fatal(err)
		}
		after, err := ti.icon()
		if err != nil {
			t.Fatal(err)
		}
		if got := iconState(after); !strings.HasPrefix(got, "problem/") {
			t.Errorf("after: the icon shows %q, want a problem", got)
		}
	})

	// Each way of asking for the details opens the window; it is closed before the next.
	openers := []opener{
		{"Show details… in the menu", func(t *testing.T) {
			items, err := ti.menu(ctx)
			if err != nil {
				t.Fatal(err)
			}
			it, ok := find(items, tr.T("tray.menu.details", nil))
			if !ok {
				t.Fatalf("no Show details… in %q", labels(items))
			}
			if err := ti.click(ctx, it.ID); err != nil {
				t.Fatal(err)
			}
		}},
		{"activating the icon", func(t *testing.T) {
			if err := ti.item().CallWithContext(ctx, itemIface+".Activate", 0, int32(0), int32(0)).Err; err != nil {
				t.Fatal(err)
			}
		}},
		{"the notification's button", func(t *testing.T) {
			n, err := notes.Wait(ctx, func(n notifytest.Note) bool { return n.Summary == problem })
			if err != nil {
				t.Fatal(err)
			}
			if err := notes.Invoke(n.ID, "default"); err != nil {
				t.Fatal(err)
			}
		}},
		{"starting apuri again", func(t *testing.T) {
			out, err := s.command(ctx, "--lang", "en", "--profile", s.profile).CombinedOutput()
			if err != nil {
				t.Fatalf("the second apuri: %v\n%s", err, out)
			}
		}},
	}
	detailsOpenFrom(t, ctx, display, agent, openers)
	t.Run("Quit ends the agent cleanly", func(t *testing.T) {
		items, err := ti.menu(ctx)
		if err != nil {
			t.Fatal(err)
		}
		quit, ok := find(items, tr.T("tray.menu.quit", nil))
		if !ok {
			t.Fatalf("no Quit in %q", labels(items))
		}
		// The agent may be gone before it answers the click that ended it; the bus then answers
		// NoReply on its behalf.
		var noReply dbus.Error
		if err := ti.click(ctx, quit.ID); err != nil && !(errors.As(err, &noReply) && noReply.Name == "org.freedesktop.DBus.Error.NoReply") {
			t.Fatal(err)
		}
		select {
		case <-agent.done:
		case <-ctx.Done():
			t.Fatal("the agent did not quit")
		}
		if agent.err != nil {
			t.Errorf("the agent exited with %v", agent.err)
		}
		if _, err := os.Stat(s.socket()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the socket is left behind: %v", err)
		}
		if out := agent.output.String(); strings.Contains(out, "panic") {
			t.Errorf("the agent panicked:\n%s", out)
		}
	})
}

// waitMenu reads the menu until ok holds.
func waitMenu(t *testing.T, ctx context.Context, ti tray, ok func([]menuNode) bool) []menuNode {
	t.Helper()
	var items []menuNode
	var err error
	read := func() bool {
		items, err = ti.menu(ctx)
		return err == nil && ok(items)
	}
	if poll.Wait(ctx, read) != nil {
		t.Fatalf("the menu never read right: %v %q", err, labels(items))
	}
	return items
}

// opener is one way a user opens the details window.
type opener struct {
	name string
	open func(t *testing.T)
}

// detailsOpenFrom opens the details window each way in turn: it must appear, and close again.
func detailsOpenFrom(t *testing.T, ctx context.Context, display string, a *agentProcess, openers []opener) {
	t.Helper()
	for _, o := range openers {
		t.Run("details open from "+o.name, func(t *testing.T) {
			o.open(t)
			if err := waitWindow(ctx, display, true); err != nil {
				t.Fatal(err)
			}
			closeWindows(t, ctx, a)
			if err := waitWindow(ctx, display, false); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// waitWindow waits until a window whose title contains "Apuri" is shown on display, or, with
// shown false, until none is.
func waitWindow(ctx context.Context, display string, shown bool) error {
	err := poll.Wait(ctx, func() bool {
		cmd := exec.CommandContext(ctx, "xdotool", "search", "--onlyvisible", "--name", "Apuri")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, _ := cmd.Output()
		return (len(strings.TrimSpace(string(out))) > 0) == shown
	})
	switch {
	case err == nil:
		return nil
	case shown:
		return fmt.Errorf("no Apuri window appeared: %w", err)
	default:
		return fmt.Errorf("the Apuri window did not go away: %w", err)
	}
}

// closeWindows ends the agent's window processes and waits until the agent has reaped them,
// so that the next request opens a new window instead of raising the old one.
func closeWindows(t *testing.T, ctx context.Context, a *agentProcess) {
	t.Helper()
	for _, pid := range a.children() {
		syscall.Kill(pid, syscall.SIGTERM)
	}
	if poll.Wait(ctx, func() bool { return len(a.children()) == 0 }) != nil {
		t.Fatalf("window processes %v did not end", a.children())
	}
}
