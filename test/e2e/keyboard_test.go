//go:build linux

package e2e_test

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/support"
)

// TestWindowsByKeyboardAtDoubleScale drives the real windows with keys only, at 200 % (FYNE_SCALE=2)
// on a 2560×1600 screen: in the request window Enter sends the draft to the agent's outbox,
// Tab reaches the summary, typing edits it and Alt+S sends it again; Tab leaves the multi-line
// description and stops on the urgency, whose Down key chooses Urgent and whose Enter sends
// the request; Escape there closes the window;
// in the details window Enter and Alt+W open What can I do?, whose Escape closes it, and
// Escape closes the details. The windows open at twice their size in pixels.
func TestWindowsByKeyboardAtDoubleScale(t *testing.T) {
	need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	tr := i18n.New("en")

	// Requests go to a webhook that cannot be reached from the empty namespace, without a token
	// in the keyring: each waits in the outbox, and nothing opens a browser.
	profile := e2eProfile + "\n[request]\nchannel = \"webhook\"\n\n[request.webhook]\nurl = \"https://hooks.e2e.invalid/apuri\"\n"
	d := newDesktopSized(t, lab.EmptyNamespaceFor(t, "e2e"), profile, "2560x1600x24")
	s := d.session
	s.scale = "2"
	startAgent(t, s, "--lang", "en")
	var c *agent.Client
	poll.Until(t, "the agent answers", func() bool {
		var err error
		c, err = agent.Dial(s.socket())
		return err == nil
	})
	defer c.Close()
	x := xkeys{t: t, ctx: ctx, display: d.display}

	t.Run("request", func(t *testing.T) {
		x.t = t
		win := openWindow(t, ctx, s, "request")
		id := x.window(tr.T("window.request.title", nil))
		if w, _ := x.geometry(id); w < 2*700 {
			t.Errorf("the window is %d pixels wide at 200 %%, want about twice its 720", w)
		}
		outbox := func(want func(support.Entry) bool) bool {
			l, err := c.Outbox(ctx)
			return err == nil && slices.ContainsFunc(append(l.Pending, l.History...), want)
		}
		// Nothing has the focus: Enter presses Send, once the window holds the draft.
		x.untilAfterKeys(id, "Enter sends the request to the outbox", []string{"Return"}, func() bool {
			return outbox(func(support.Entry) bool { return true })
		})
		// Tab goes to the summary; what is typed there goes with Alt+S.
		x.keys(id, "Tab")
		x.keys(id, "End", "space", "k", "e", "y", "s")
		x.untilAfterKeys(id, "Alt+S sends the edited request", []string{"alt+s"}, func() bool {
			return outbox(func(e support.Entry) bool { return strings.HasSuffix(e.Summary, " keys") })
		})
		// From the summary, Tab goes through the description and the category to the urgency;
		// Down there chooses Urgent, and the agent saves it.
		x.keys(id, "Tab", "Tab", "Tab", "Down")
		poll.Until(t, "Down on the urgency saves the draft as urgent", func() bool {
			info, err := c.RequestDraft(ctx)
			return err == nil && info.Draft.Urgency == support.UrgencyUrgent
		})
		x.untilAfterKeys(id, "Enter on the urgency sends the request", []string{"Return"}, func() bool {
			l, err := c.Outbox(ctx)
			return err == nil && len(l.Pending)+len(l.History) >= 3
		})
		x.untilAfterKeys(id, "Escape on the urgency closes the request window", []string{"Escape"}, win.ended)
		if err := win.wait(ctx); err != nil {
			t.Errorf("the request window ended with %v", err)
		}
	})

	t.Run("details", func(t *testing.T) {
		x.t = t
		win := openWindow(t, ctx, s, "details")
		id := x.window(tr.T("window.details.title", nil))
		help := tr.T("window.help.title", nil)
		for _, key := range []string{"Return", "alt+w"} {
			x.untilAfterKeys(id, key+" opens What can I do?", []string{key}, func() bool { return x.shown(help) })
			x.untilAfterKeys(x.window(help), "Escape closes What can I do?", []string{"Escape"}, func() bool { return !x.shown(help) })
		}
		x.untilAfterKeys(id, "Escape closes the details window", []string{"Escape"}, win.ended)
		if err := win.wait(ctx); err != nil {
			t.Errorf("the details window ended with %v", err)
		}
	})
}

// windowProcess is `apuri window NAME` started by the test.
type windowProcess struct {
	cmd    *exec.Cmd
	done   chan error
	exited bool
	err    error
}

// openWindow starts `apuri window name` in the session; it is killed if still open at the end.
func openWindow(t *testing.T, ctx context.Context, s session, name string) *windowProcess {
	t.Helper()
	p := &windowProcess{cmd: s.command(ctx, "window", name, "--lang", "en", "--profile", s.profile), done: make(chan error, 1)}
	out := &lab.OutputBuffer{}
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("apuri window %s: %v", name, err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("apuri window %s said:\n%s", name, out.String())
		}
	})
	return p
}

// ended says whether the window's process has ended; wait then says how.
func (p *windowProcess) ended() bool {
	select {
	case err := <-p.done:
		p.err, p.exited = err, true
	default:
	}
	return p.exited
}

// wait waits until the window's process ends, and says whether it ended well.
func (p *windowProcess) wait(ctx context.Context) error {
	if p.ended() {
		return p.err
	}
	select {
	case err := <-p.done:
		p.err, p.exited = err, true
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// xkeys presses keys in windows of an X display, as a keyboard would (XTEST).
type xkeys struct {
	t       *testing.T
	ctx     context.Context
	display string
}

func (x xkeys) run(args ...string) (string, error) {
	cmd := exec.CommandContext(x.ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// window waits for the shown window titled title and returns its id.
func (x xkeys) window(title string) string {
	x.t.Helper()
	var id string
	poll.Until(x.t, "a window "+title, func() bool {
		out, err := x.run("search", "--onlyvisible", "--name", "^"+regexp.QuoteMeta(title)+"$")
		id, _, _ = strings.Cut(out, "\n")
		return err == nil && id != ""
	})
	return id
}

// shown says whether a window titled title is shown.
func (x xkeys) shown(title string) bool {
	out, err := x.run("search", "--onlyvisible", "--name", "^"+regexp.QuoteMeta(title)+"$")
	return err == nil && out != ""
}

// geometry is the window's size in pixels.
func (x xkeys) geometry(id string) (w, h int) {
	out, err := x.run("getwindowgeometry", "--shell", id)
	if err != nil {
		x.t.Fatalf("xdotool getwindowgeometry: %v", err)
	}
	for _, line := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(line, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "WIDTH":
			w = n
		case "HEIGHT":
			h = n
		}
	}
	return w, h
}

// keys gives window id the keyboard's focus and presses keys in it, one after the other.
func (x xkeys) keys(id string, keys ...string) {
	x.t.Helper()
	if _, err := x.run("windowfocus", "--sync", id); err != nil {
		x.t.Fatalf("focus window %s: %v", id, err)
	}
	if _, err := x.run(append([]string{"key", "--clearmodifiers"}, keys...)...); err != nil {
		x.t.Fatalf("press %v: %v", keys, err)
	}
}

// untilAfterKeys presses keys until what holds. A window takes its keys only once it has
// drawn and read the agent; pressing again until the effect shows needs no guess of how long.
// A window that closed meanwhile takes no more keys, and that is no error.
func (x xkeys) untilAfterKeys(id, what string, keys []string, cond func() bool) {
	x.t.Helper()
	poll.Until(x.t, what, func() bool {
		if _, err := x.run("windowfocus", "--sync", id); err == nil {
			_, _ = x.run(append([]string{"key", "--clearmodifiers"}, keys...)...)
		}
		return poll.Within(2*time.Second, cond) == nil
	})
}
