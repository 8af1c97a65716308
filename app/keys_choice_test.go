package app

import (
	"net/url"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/support"
)

// ringOf is the focus ring a widget of the windows draws; it fails when there is none.
func ringOf(t *testing.T, w fyne.Widget) *focusRing {
	t.Helper()
	f, ok := test.WidgetRenderer(w).(*focusRing)
	if !ok {
		t.Fatalf("%T draws no focus ring", w)
	}
	return f
}

// TestUrgencyByKeyboard: Tab stops once on the urgency, between the category and the name;
// the arrow keys move the choice, which is saved; the ring goes round the chosen option while
// the urgency has the focus; Enter there sends the request, and Escape closes the window.
func TestUrgencyByKeyboard(t *testing.T) {
	h, r := showRequest(t, "en")
	c := h.window.Canvas()
	order := tabOrder(c)
	if n := len(slices.DeleteFunc(slices.Clone(order), func(f fyne.Focusable) bool { return f != r.urgency })); n != 1 {
		t.Fatalf("Tab stops %d times on the urgency, want once", n)
	}
	if !inOrder(order, r.category, r.urgency, r.name) {
		t.Error("Tab does not reach the urgency between the category and the name")
	}

	tabTo(t, c, r.urgency)
	ring := ringOf(t, r.urgency)
	if !ring.ring.Visible() {
		t.Fatal("the focused urgency shows no ring")
	}
	if ring.ring.Position() != r.urgency.items[0].Position() {
		t.Errorf("the ring is at %v, want round the chosen Not urgent at %v", ring.ring.Position(), r.urgency.items[0].Position())
	}
	for _, step := range []struct {
		key  fyne.KeyName
		want support.Urgency
		item int
	}{
		{fyne.KeyDown, support.UrgencyUrgent, 1},
		{fyne.KeyDown, support.UrgencyNormal, 0}, // round to the first again
		{fyne.KeyUp, support.UrgencyUrgent, 1},
	} {
		press(c, step.key)
		h.pump()
		if len(h.agent.drafts) == 0 || h.agent.drafts[len(h.agent.drafts)-1].Urgency != step.want {
			t.Fatalf("%s saved %v, want urgency %q last", step.key, h.agent.drafts, step.want)
		}
		if got := ring.ring.Position(); got != r.urgency.items[step.item].Position() {
			t.Errorf("after %s the ring is at %v, want round option %d", step.key, got, step.item)
		}
	}
	if c.Focused() != r.urgency {
		t.Fatalf("the arrow keys moved the focus to %T", c.Focused())
	}

	press(c, fyne.KeyReturn)
	h.pump()
	if len(h.agent.submitted) != 1 || h.agent.submitted[0].Draft.Urgency != support.UrgencyUrgent {
		t.Fatalf("Enter on the urgency sent %v, want the urgent request", h.agent.submitted)
	}
	c.Focus(r.urgency)
	press(c, fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape on the urgency did not close the window")
	}
}

// TestRadioMouseAndSpace: a click chooses an option and puts the focus on the group; Space
// chooses the option the focus is on while none is chosen; the ring hides with the focus.
func TestRadioMouseAndSpace(t *testing.T) {
	h := newHarness(t, "en")
	var changes []string
	r := newKeyboard(h.env, h.window).radio([]string{"Not urgent", "Urgent"}, func(s string) { changes = append(changes, s) })
	h.window.SetContent(r)
	c := h.window.Canvas()

	test.Tap(r.items[1])
	if r.Selected != "Urgent" || c.Focused() != r {
		t.Fatalf("a click on Urgent chose %q with %T focused", r.Selected, c.Focused())
	}
	test.Tap(r.items[1])
	if r.Selected != "Urgent" {
		t.Error("a click on the chosen option left nothing chosen")
	}
	r.SetSelected("")
	test.Type(r, " ")
	if r.Selected != "Not urgent" {
		t.Errorf("Space with nothing chosen chose %q, want the first option", r.Selected)
	}
	if want := []string{"Urgent", "", "Not urgent"}; !slices.Equal(changes, want) {
		t.Errorf("OnChanged heard %q, want %q", changes, want)
	}
	c.Unfocus()
	if ringOf(t, r).ring.Visible() {
		t.Error("the ring stays after the focus has gone")
	}
}

// openedURLs is Fyne's test app that records the addresses it is asked to open.
type openedURLs struct {
	fyne.App
	urls []string
}

func (a *openedURLs) OpenURL(u *url.URL) error {
	a.urls = append(a.urls, u.String())
	return nil
}

// recordURLs makes the current app record what it opens, until the test ends.
func recordURLs(t *testing.T) *openedURLs {
	a := &openedURLs{App: fyne.CurrentApp()}
	fyne.SetCurrentApp(a)
	t.Cleanup(func() { fyne.SetCurrentApp(a.App) })
	return a
}

// TestLinksByKeyboard: in the request window the known disruption's bulletin is the first
// stop and the ticket of an earlier request comes after the form; Enter opens a focused link
// as Space does and sends nothing; the ring goes round the link's text only; Escape closes.
func TestLinksByKeyboard(t *testing.T) {
	h := newHarness(t, "en")
	h.agent.draft = testDraft()
	known := demo.ServiceDownKnown().Verdict.Disruption
	h.agent.draft.Known = known
	h.agent.outbox = testOutbox()
	r := newRequest(h.env, h.window)
	h.show(r)
	r.start()
	h.pump()
	opened := recordURLs(t)
	c := h.window.Canvas()

	var links []*keyLink
	for _, f := range tabOrder(c) {
		if l, ok := f.(*keyLink); ok {
			links = append(links, l)
		}
	}
	if len(links) != 2 {
		t.Fatalf("Tab reaches %d links, want the bulletin and the ticket", len(links))
	}
	bulletin, ticket := links[0], links[1]
	order := tabOrder(c)
	if order[0] != bulletin || !inOrder(order, bulletin, r.summary, r.attach, ticket, r.toHistory) {
		t.Error("Tab does not go from the bulletin above the form, down the form, to the ticket below it")
	}

	tabTo(t, c, bulletin)
	ring := ringOf(t, bulletin)
	if !ring.ring.Visible() {
		t.Fatal("the focused bulletin link shows no ring")
	}
	text := fyne.MeasureText(bulletin.Text, theme.TextSize(), bulletin.TextStyle)
	if w := ring.ring.Size().Width; w < text.Width || w > text.Width+2*theme.InnerPadding() {
		t.Errorf("the ring is %v wide round a text of %v", w, text.Width)
	}
	press(c, fyne.KeyReturn)
	press(c, fyne.KeySpace)
	if want := []string{known.URL, known.URL}; !slices.Equal(opened.urls, want) {
		t.Fatalf("Enter and Space on the bulletin opened %q, want %q", opened.urls, want)
	}
	tabTo(t, c, ticket)
	if ring.ring.Visible() {
		t.Error("the bulletin's ring stays after the focus moved on")
	}
	press(c, fyne.KeyEnter)
	if got := opened.urls[len(opened.urls)-1]; got != testOutbox().History[0].Receipt.Link {
		t.Errorf("Enter on the ticket opened %q", got)
	}
	h.pump()
	if len(h.agent.submitted) != 0 {
		t.Fatal("Enter on a link sent the request")
	}
	press(c, fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape on a link did not close the window")
	}
}

// TestFocusRingContrast: the ring stands out by at least 3:1 (WCAG 2.2, 1.4.11) from what is
// round it, in the light and the dark variant: the window, a dialog, an entry and a banner of
// every status (where the known disruptions' links are).
func TestFocusRingContrast(t *testing.T) {
	a := test.NewTempApp(t)
	applyTheme(a)
	th := a.Settings().Theme()
	for v, variant := range map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"} {
		ring := focusRingColor(th, v)
		bg := th.Color(theme.ColorNameBackground, v)
		around := map[string]fyne.ThemeColorName{"window": theme.ColorNameBackground,
			"dialog": theme.ColorNameOverlayBackground, "entry": theme.ColorNameInputBackground}
		for name, cn := range around {
			c := contrast(ring, over(th.Color(cn, v), bg))
			t.Logf("%s: the ring on the %s %.1f:1", variant, name, c)
			if c < 3 {
				t.Errorf("%s: the ring on the %s has contrast %.2f, want 3", variant, name, c)
			}
		}
		for _, s := range []diagnostics.Status{"", diagnostics.StatusOK, diagnostics.StatusWarn, diagnostics.StatusFail} {
			c := contrast(ring, over(tint(th.Color(statusColor(s), v)), bg))
			t.Logf("%s: the ring on the banner %q %.1f:1", variant, s, c)
			if c < 3 {
				t.Errorf("%s: the ring on the banner %q has contrast %.2f, want 3", variant, s, c)
			}
		}
	}
}

// TestSecretEntryKeys: in the settings, the field for the channel's password passes Escape and
// the access keys on to the window, as the windows' other fields do, and hides what is typed.
func TestSecretEntryKeys(t *testing.T) {
	h, s := showSettings(t, "en", agent.State{Lang: "en", Settings: agent.DefaultSettings()}, loadedWithChannel("rt"))
	c := h.window.Canvas()
	tabTo(t, c, s.secretEntry)
	if !s.secretEntry.Password {
		t.Fatal("the secret is shown as typed")
	}
	was := s.notifications.Checked
	alt(c, letterOf(t, s.keys, s.notifications.Text))
	if s.notifications.Checked == was {
		t.Error("Alt and the letter of Notifications did nothing from the password field")
	}
	c.Focus(s.secretEntry)
	press(c, fyne.KeyEscape)
	if !h.closed {
		t.Error("Escape in the password field did not close the window")
	}
}
