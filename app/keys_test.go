package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/selfhelp"
)

// The keys as the desktop driver hands them on (fyne's internal/driver/glfw): a plain key to
// the focused widget, or to the window when nothing has the focus; Alt+letter to a focused
// widget that takes shortcuts, or else to the window.

func press(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if on := c.OnTypedKey(); on != nil {
		on(ev)
	}
}

func alt(c fyne.Canvas, key fyne.KeyName) {
	s := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt}
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// tab is the Tab key as the desktop driver handles it: a focused widget that accepts Tab (as
// Fyne's multi-line entry does) takes it as typing; otherwise the focus moves on.
func tab(c fyne.Canvas) {
	if f, ok := c.Focused().(fyne.Tabbable); ok && f.AcceptsTab() {
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
		return
	}
	test.FocusNext(c)
}

// tabTo presses Tab until want has the focus; it fails when Tab goes round without reaching it.
func tabTo(t *testing.T, c fyne.Canvas, want fyne.Focusable) {
	t.Helper()
	for range 100 {
		if c.Focused() == want {
			return
		}
		tab(c)
	}
	t.Fatalf("Tab never reaches %T", want)
}

// tabOrder is every widget Tab visits, from the first, once round.
func tabOrder(c fyne.Canvas) []fyne.Focusable {
	c.Unfocus()
	var order []fyne.Focusable
	for range 200 {
		tab(c)
		f := c.Focused()
		if f == nil || slices.Contains(order, f) {
			break
		}
		order = append(order, f)
	}
	return order
}

// letterOf is the letter the window gave the control labelled label.
func letterOf(t *testing.T, k *keyboard, label string) fyne.KeyName {
	t.Helper()
	for _, a := range k.access {
		if a.label == label {
			return a.key
		}
	}
	t.Fatalf("%q has no access key; the window's are %v", label, k.access)
	return ""
}

// inOrder says whether want appear in got in this order (others may come between).
func inOrder(got []fyne.Focusable, want ...fyne.Focusable) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestTabFollowsReadingOrder: Tab goes through each window as it reads: the verdict, the checks
// top to bottom, then the buttons left to right; the form's fields top to bottom, then the bar.
func TestTabFollowsReadingOrder(t *testing.T) {
	t.Run("details", func(t *testing.T) {
		h := newHarness(t, "en")
		d := newDetails(h.env, h.window)
		h.show(d)
		st := withFeed(finishedState(3, demo.ServiceDownKnown()))
		d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: st.Run, State: st})
		order := tabOrder(h.window.Canvas())
		var want []fyne.Focusable
		for _, id := range d.order {
			want = append(want, d.rows[id].toggle)
		}
		want = append(want, d.runAgain, d.copyReport, d.webPage, d.help)
		if !inOrder(order, want...) {
			t.Fatalf("Tab goes %d widgets in another order than the rows and then the buttons", len(order))
		}
		if order[len(order)-1] != d.help {
			t.Errorf("the last stop is %T, want What can I do?", order[len(order)-1])
		}
		// What comes before the first row is in the verdict or the known disruptions above it:
		// their bulletin links, read first.
		first := slices.Index(order, fyne.Focusable(d.rows[d.order[0]].toggle))
		if first == 0 {
			t.Error("nothing in the verdict or the known disruptions is reached before the rows; the bulletin links are")
		}
	})
	t.Run("request", func(t *testing.T) {
		h, r := showRequest(t, "en")
		order := tabOrder(h.window.Canvas())
		if !inOrder(order, r.summary, r.description, r.category, r.urgency, r.name, r.email, r.phone, r.attach,
			r.toHistory, r.previewButton, r.send) {
			t.Errorf("Tab does not go down the form and then along the bar (%d stops)", len(order))
		}
	})
	t.Run("settings", func(t *testing.T) {
		h, s := showSettings(t, "en", agent.State{Lang: "en", Settings: agent.DefaultSettings()}, demo.Loaded(false))
		order := tabOrder(h.window.Canvas())
		if !inOrder(order, s.language, s.startAtLogin, s.notifications) {
			t.Errorf("Tab does not go down the settings (%d stops)", len(order))
		}
	})
}

// TestDetailsKeys: Enter presses the focused button, or What can I do? when nothing has the
// focus; an error dialog opens with OK focused and closes with Enter or Escape, leaving the
// window; Escape closes the window.
func TestDetailsKeys(t *testing.T) {
	h := newHarness(t, "en")
	d := newDetails(h.env, h.window)
	h.show(d)
	d.onUpdate(agent.Update{Kind: agent.UpdateState, State: finishedState(1, demo.Healthy())})
	c := h.window.Canvas()

	press(c, fyne.KeyReturn)
	if !slices.Equal(h.agent.opened, []string{WindowHelp}) {
		t.Fatalf("Enter with nothing focused opened %v, want the help window", h.agent.opened)
	}
	tabTo(t, c, d.runAgain)
	press(c, fyne.KeyReturn)
	if h.agent.diagnose != 1 {
		t.Fatalf("Enter on Check again started %d diagnoses, want 1", h.agent.diagnose)
	}

	// A failing button opens an error dialog; Escape and Enter each close one, not the window.
	h.agent.err = errAgentDown
	for _, key := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyReturn} {
		c.Unfocus()
		press(c, fyne.KeyReturn)
		h.pump()
		ok := h.button("OK")
		if ok == nil || !ok.Visible() {
			t.Fatal("no error dialog")
		}
		if c.Focused() != ok {
			t.Errorf("the error dialog opened with %T focused, want OK", c.Focused())
		}
		press(c, key)
		if top := c.Overlays().Top(); top != nil && top.Visible() {
			t.Errorf("%s left the error dialog open", key)
		}
		if h.closed {
			t.Fatalf("%s in the dialog closed the window", key)
		}
	}

	tabTo(t, c, d.webPage)
	press(c, fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape on a button did not close the window")
	}
}

// TestEscapeClosesTheWindow: with nothing focused, Escape closes each window.
func TestEscapeClosesTheWindow(t *testing.T) {
	h, _ := showRequest(t, "en")
	h.window.Canvas().Unfocus()
	press(h.window.Canvas(), fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape did not close the request window")
	}
	h, _ = showSettings(t, "en", agent.State{Lang: "en", Settings: agent.DefaultSettings()}, demo.Loaded(false))
	press(h.window.Canvas(), fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape did not close the settings window")
	}
}

// TestHelpKeysNeverRestartByAccident: Enter presses the highlighted step, whose countdown opens
// with Cancel focused; Enter and Escape there cancel; only Tab to Restart now and Enter restarts.
func TestHelpKeysNeverRestartByAccident(t *testing.T) {
	h, w := showHelp(t, "en", demo.LongUptime())
	c := h.window.Canvas()
	if w.keys.def == nil || w.keys.def.Importance != widget.HighImportance || w.keys.def.Text != "Restart now" {
		t.Fatalf("the default button is %v, want the highlighted Restart now", w.keys.def)
	}
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEscape} {
		c.Unfocus()
		press(c, fyne.KeyReturn)
		if w.confirm == nil || c.Focused() != w.confirm.cancel {
			t.Fatalf("the countdown did not open with Cancel focused (focus on %T)", c.Focused())
		}
		press(c, key)
		if !w.confirm.done {
			t.Errorf("%s did not end the countdown", key)
		}
		if got := h.remedies.actions(); len(got) != 0 {
			t.Fatalf("%s in the countdown did %v", key, got)
		}
		if h.closed {
			t.Fatalf("%s in the countdown closed the window", key)
		}
	}
	// Alt and the step's letter opens it too; Tab moves to Restart now, and Enter restarts.
	c.Unfocus()
	alt(c, letterOf(t, w.keys, "Restart now"))
	if w.confirm.done {
		t.Fatal("Alt and the letter did not open the countdown")
	}
	tabTo(t, c, w.confirm.now)
	press(c, fyne.KeyReturn)
	if got := h.remedies.actions(); len(got) != 1 || got[0].Kind != selfhelp.ActionRestart {
		t.Errorf("Enter on Restart now did %v, want one restart", got)
	}
}

// TestRequestKeys: the access keys work from inside a field; the preview opens with Close
// focused, so Enter there sends nothing; the window's access keys do not reach through a
// dialog; Tab to Send and Enter sends.
func TestRequestKeys(t *testing.T) {
	h, r := showRequest(t, "en")
	c := h.window.Canvas()
	h.agent.preview = agent.Preview{ID: "p1", Channel: "rt", Text: "The VPN is down"}
	send := letterOf(t, r.keys, r.send.Text)
	preview := letterOf(t, r.keys, r.previewButton.Text)

	c.Focus(r.summary)
	alt(c, preview)
	h.pump()
	if len(h.agent.previewed) != 1 {
		t.Fatalf("Alt+%s in the summary asked for %d previews, want 1", preview, len(h.agent.previewed))
	}
	alt(c, send)
	press(c, fyne.KeyReturn)
	if len(h.agent.submitted) != 0 {
		t.Fatalf("Alt+%s and Enter in the preview sent %d requests; Close has the focus", send, len(h.agent.submitted))
	}
	if top := c.Overlays().Top(); top != nil && top.Visible() {
		t.Fatal("Enter on Close left the preview open")
	}

	alt(c, preview)
	h.pump()
	tabTo(t, c, findButton(c.Overlays().Top(), h.env.t("window.request.send")))
	if c.Focused() == r.send {
		t.Fatal("Tab left the preview for the window")
	}
	press(c, fyne.KeyReturn)
	h.pump()
	if len(h.agent.submitted) != 1 || h.agent.submitted[0].PreviewID != "p1" {
		t.Fatalf("Enter on the preview's Send sent %v, want the previewed request", h.agent.submitted)
	}

	// From a field, Alt and Send's letter sends what the form says.
	r.send.Enable()
	c.Focus(r.description)
	test.Type(r.description, "It drops every hour. ")
	alt(c, send)
	h.pump()
	if len(h.agent.submitted) != 2 || !strings.HasPrefix(h.agent.submitted[1].Draft.Description, "It drops every hour.") {
		t.Errorf("Alt+%s in the description sent %d requests", send, len(h.agent.submitted))
	}
	press(c, fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape in a field did not close the window")
	}
}

// TestSettingsAccessKeys: Alt and a setting's letter turns it on or off, and it is saved.
func TestSettingsAccessKeys(t *testing.T) {
	h, s := showSettings(t, "en", agent.State{Lang: "en", Settings: agent.DefaultSettings()}, demo.Loaded(false))
	c := h.window.Canvas()
	was := s.notifications.Checked
	alt(c, letterOf(t, s.keys, s.notifications.Text))
	h.pump()
	if s.notifications.Checked == was || len(h.agent.saved) != 1 || h.agent.saved[0].Notifications == was {
		t.Errorf("Alt and the letter of Notifications saved %v, want it turned %v", h.agent.saved, !was)
	}
	if c.Focused() != s.notifications {
		t.Error("the setting changed by its letter does not have the focus")
	}
	alt(c, letterOf(t, s.keys, h.env.t("window.settings.language")))
	if c.Focused() != s.language {
		t.Errorf("Alt and the letter of Language focused %T, want the language menu", c.Focused())
	}
}

// TestAccessKeysAreShown: every window lists its access keys in its key line, one letter for
// one control, and the letters are in the labels they stand for.
func TestAccessKeysAreShown(t *testing.T) {
	for _, lang := range []string{"en", "fi", "sv"} {
		for _, wc := range windowCases {
			t.Run(wc.name+" "+lang, func(t *testing.T) {
				h, k, _ := wc.open(t, lang)
				if !k.hint.Visible() || !slices.Contains(h.texts(), k.hint.Text) {
					t.Fatal("the key line is not shown")
				}
				seen := map[fyne.KeyName]bool{}
				for _, a := range k.access {
					if seen[a.key] {
						t.Errorf("Alt+%s is given twice", a.key)
					}
					seen[a.key] = true
					if !strings.ContainsRune(strings.ToUpper(a.label), rune(a.key[0])) {
						t.Errorf("Alt+%s is not a letter of %q", a.key, a.label)
					}
					if item := "Alt+" + string(a.key) + " " + a.label; !strings.Contains(k.hint.Text, item) {
						t.Errorf("the key line %q does not list %q", k.hint.Text, item)
					}
				}
			})
		}
	}
}
