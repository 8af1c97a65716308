//go:build linux

package e2e_test

import (
	"context"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/notifytest"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// TestWithoutATray is GNOME without the AppIndicator extension: a session bus with no
// StatusNotifierWatcher. The agent tells the user once how to reach it, the notice's button,
// the menu entry and a second start open the details, and a later start neither tells again
// nor stays unseen when started from the menu.
func TestWithoutATray(t *testing.T) {
	need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	tr := i18n.New("en")

	d := newDesktop(t, lab.EmptyNamespaceFor(t, "e2e"), e2eProfile)
	display, notes, s := d.display, d.notes, d.session
	first := startAgent(t, s, "--lang", "en")
	summary, problem := tr.T("tray.no_tray.summary", nil), tr.T("tray.cause.no_link", nil)
	isNotice := func(n notifytest.Note) bool { return n.Summary == summary }

	notice, err := notes.Wait(ctx, isNotice)
	if err != nil {
		t.Fatalf("no notice that the desktop has no tray: %v", err)
	}
	t.Run("the notice says how to reach Apuri", func(t *testing.T) {
		if notice.Body != tr.T("tray.no_tray.body", nil) || !strings.Contains(notice.Body, "apuri diagnose") {
			t.Errorf("body %q", notice.Body)
		}
		if !slices.Contains(notice.Actions, tr.T("tray.notify.show_details", nil)) {
			t.Errorf("actions %q: no Show details", notice.Actions)
		}
		if !strings.Contains(first.output.String(), "no StatusNotifierWatcher") {
			t.Errorf("the log does not say why there is no icon:\n%s", first.output.String())
		}
	})
	t.Run("the verdict does not replace the notice", func(t *testing.T) {
		alert, err := notes.Wait(ctx, func(n notifytest.Note) bool { return n.Summary == problem })
		if err != nil {
			t.Fatal(err)
		}
		if alert.ReplacesID == notice.ID {
			t.Error("the verdict's notification replaced the notice")
		}
	})

	openers := []opener{
		{"the notice's button", func(t *testing.T) {
			if err := notes.Invoke(notice.ID, "default"); err != nil {
				t.Fatal(err)
			}
		}},
		{"the menu entry", func(t *testing.T) {
			if out, err := s.command(ctx, "--details", "--lang", "en", "--profile", s.profile).CombinedOutput(); err != nil {
				t.Fatalf("apuri --details: %v\n%s", err, out)
			}
		}},
		{"starting apuri again", func(t *testing.T) {
			if out, err := s.command(ctx, "--lang", "en", "--profile", s.profile).CombinedOutput(); err != nil {
				t.Fatalf("the second apuri: %v\n%s", err, out)
			}
		}},
	}
	detailsOpenFrom(t, ctx, display, first, openers)

	t.Run("a later start from the menu shows the details and tells nothing again", func(t *testing.T) {
		if err := first.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-first.done:
		case <-ctx.Done():
			t.Fatal("the agent did not stop")
		}
		second := startAgent(t, s, "--details", "--lang", "en")
		if err := waitWindow(ctx, display, true); err != nil {
			t.Fatal(err)
		}
		// The notice would come before the verdict: once the new agent's verdict is here, a
		// notice of its own would be too.
		alert, err := notes.Wait(ctx, func(n notifytest.Note) bool { return n.Summary == problem && n.Sender != notice.Sender })
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range notes.Notes() {
			if isNotice(n) && n.Sender == alert.Sender {
				t.Errorf("told again after a restart: %+v", n)
			}
		}
		closeWindows(t, ctx, second)
	})
}

// TestATrayThatComesLate: the panel's StatusNotifierWatcher appears after the agent has
// started without one (an extension turned on later); the icon registers with it, menu and all.
func TestATrayThatComesLate(t *testing.T) {
	need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tr := i18n.New("en")

	d := newDesktop(t, lab.EmptyNamespaceFor(t, "e2e"), e2eProfile)
	conn, notes, s := d.conn, d.notes, d.session
	agent := startAgent(t, s, "--lang", "en")
	// The notice says the agent runs, has looked for a tray and found none.
	if _, err := notes.Wait(ctx, func(n notifytest.Note) bool { return n.Summary == tr.T("tray.no_tray.summary", nil) }); err != nil {
		t.Fatal(err)
	}

	w := startWatcher(t, conn)
	name, path, err := w.waitItem(ctx, 1)
	if err != nil {
		t.Fatalf("the icon did not register with the late watcher: %v", err)
	}
	ti := tray{conn: conn, name: name, path: path}
	items := waitMenu(t, ctx, ti, func(items []menuNode) bool {
		return len(items) > 0 && items[0].label() == tr.T("tray.cause.no_link", nil)
	})
	for _, want := range []string{tr.T("tray.menu.details", nil), tr.T("tray.menu.web_page", nil)} {
		if _, ok := find(items, want); !ok {
			t.Errorf("no %q in the menu %q", want, labels(items))
		}
	}
	if err := poll.Wait(ctx, func() bool { return strings.Contains(agent.output.String(), "a tray appeared") }); err != nil {
		t.Errorf("the log does not say the tray appeared:\n%s", agent.output.String())
	}
}
