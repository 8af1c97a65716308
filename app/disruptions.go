package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
)

// knownView lists the organisation's known disruptions in the details window: the support
// guide's "do colleagues have the same problem?" answered before anyone asks, each with its
// bulletin. It is hidden while nothing is known.
type knownView struct {
	env    *env
	keys   *keyboard
	banner *banner
	items  *fyne.Container
	shown  *disruptions.State
}

func newKnownView(e *env, keys *keyboard) *knownView { return &knownView{env: e, keys: keys} }

func (k *knownView) buildUI() fyne.CanvasObject {
	k.items = container.NewVBox()
	k.banner = newBanner(k.items)
	k.banner.set(diagnostics.StatusWarn)
	k.banner.box.Hide()
	return k.banner.box
}

// show redraws the list from the agent's reading of the feed; nil hides it. It reports
// whether anything changed, so the window can lay itself out again.
func (k *knownView) show(st *disruptions.State) bool {
	if disruptions.SameShown(k.shown, st) {
		return false
	}
	k.shown = st
	k.items.RemoveAll()
	if st == nil || len(st.Disruptions) == 0 {
		k.banner.box.Hide()
		return true
	}
	e := k.env
	k.items.Add(bold(e.t("window.details.disruptions", "count", len(st.Disruptions))))
	for i, d := range st.Disruptions {
		if i > 0 {
			k.items.Add(widget.NewSeparator())
		}
		k.items.Add(k.entry(d))
	}
	if st.Problem != nil {
		note := caption(e.t("window.details.disruptions_stale", "problem", e.msg(*st.Problem)))
		note.Importance = widget.WarningImportance
		k.items.Add(note)
	}
	k.banner.box.Show()
	return true
}

// entry is one disruption in one block of text: its title, the latest word from support, and
// its state, time and bulletin on one line.
func (k *knownView) entry(d diagnostics.Disruption) fyne.CanvasObject {
	segs := []widget.RichTextSegment{block(d.Heading(k.env.tr), fyne.TextStyle{Bold: true})}
	if d.Body != "" && d.Body != d.Title {
		segs = append(segs, block(d.Body, fyne.TextStyle{}))
	}
	// The link goes last: a block after an inline segment would continue its line.
	line := k.stateLine(d)
	link := bulletinLink(k.keys, d)
	switch {
	case line != "" && link != nil:
		segs = append(segs, inline(line+" · "), link)
	case line != "":
		segs = append(segs, block(line, fyne.TextStyle{}))
	case link != nil:
		segs = append(segs, link)
	}
	return richText(segs...)
}

// stateLine is "Identified · updated 10.05": the feed's state in the reader's language when
// it is one Apuri knows, and the time of the latest news.
func (k *knownView) stateLine(d diagnostics.Disruption) string {
	e := k.env
	state := ""
	if d.Status != "" {
		key := "window.details.disruption_state." + d.Status
		if state = e.t(key); state == key {
			state = d.Status
		}
	}
	when := d.Updated
	if when.IsZero() {
		when = d.Started
	}
	switch {
	case state != "" && !when.IsZero():
		return e.t("window.details.disruption_line", "state", state, "time", e.when(when))
	case !when.IsZero():
		return e.t("window.details.disruption_updated", "time", e.when(when))
	}
	return state
}

// bulletinLink opens the disruption's bulletin; nil when the feed gave none.
func bulletinLink(keys *keyboard, d diagnostics.Disruption) *keyLinkSegment {
	if d.URL == "" {
		return nil
	}
	u, err := url.Parse(d.URL)
	if err != nil {
		return nil
	}
	return &keyLinkSegment{keys: keys, Text: keys.env.t("window.details.bulletin"), URL: u}
}
