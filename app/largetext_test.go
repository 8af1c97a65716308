package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
)

// smallestAtDouble is the room a window has at 200 % text on a 1280×800 screen, less the
// window manager's title bar and panel: every window must fit in it, with its main buttons in
// view, and its content must not ask for more (its minimum size is the window's minimum).
var smallestAtDouble = fyne.NewSize(640, 360)

// windowCase is one window in one state, ready to measure.
type windowCase struct {
	name string
	open func(t *testing.T, lang string) (*harness, *keyboard, []string) // and the main buttons' labels
}

var windowCases = []windowCase{
	{"details, problem", func(t *testing.T, lang string) (*harness, *keyboard, []string) {
		h := newHarness(t, lang)
		d := newDetails(h.env, h.window)
		h.show(d)
		st := withFeed(finishedState(3, demo.ServiceDownKnown()))
		d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: st.Run, State: st})
		return h, d.keys, []string{h.env.t("window.details.what_can_i_do"), h.env.t("window.details.run_again")}
	}},
	{"details, checking", func(t *testing.T, lang string) (*harness, *keyboard, []string) {
		h := newHarness(t, lang)
		d := newDetails(h.env, h.window)
		h.show(d)
		st := withFeed(runningState(3, demo.Progress()))
		d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: st.Run, State: st})
		return h, d.keys, []string{h.env.t("window.details.what_can_i_do")}
	}},
	{"help", func(t *testing.T, lang string) (*harness, *keyboard, []string) {
		h, w := showHelp(t, lang, demo.LongUptime())
		return h, w.keys, []string{w.keys.def.Text}
	}},
	{"request", func(t *testing.T, lang string) (*harness, *keyboard, []string) {
		h, r := showRequest(t, lang)
		return h, r.keys, []string{h.env.t("window.request.send"), h.env.t("window.request.preview"), h.env.t("window.request.to_history")}
	}},
	{"settings", func(t *testing.T, lang string) (*harness, *keyboard, []string) {
		h, s := showSettings(t, lang, agent.State{Lang: lang, Settings: agent.DefaultSettings()}, demo.Loaded(true))
		return h, s.keys, nil
	}},
}

// TestWindowsFitLargeText: at 200 % text on a 1280×800 screen (smallestAtDouble, in Fyne's
// units), every window's content asks for no more room than there is, and with the window that
// small its main buttons are wholly inside it, not cut off or scrolled away.
func TestWindowsFitLargeText(t *testing.T) {
	for _, wc := range windowCases {
		for _, lang := range []string{"en", "fi", "sv"} {
			t.Run(wc.name+" "+lang, func(t *testing.T) {
				h, _, main := wc.open(t, lang)
				min := h.window.Content().MinSize()
				if min.Width > smallestAtDouble.Width || min.Height > smallestAtDouble.Height {
					t.Errorf("the content needs %v, more than the %v there is", min, smallestAtDouble)
				}
				h.window.Resize(smallestAtDouble)
				d := fyne.CurrentApp().Driver()
				size := h.window.Canvas().Size()
				for _, label := range main {
					b := h.button(label)
					if b == nil {
						t.Fatalf("no button %q", label)
					}
					p := d.AbsolutePositionForObject(b)
					if !b.Visible() || p.X < 0 || p.Y < 0 || p.X+b.Size().Width > size.Width+0.5 ||
						p.Y+b.Size().Height > size.Height+0.5 || b.Size().Width < b.MinSize().Width-0.5 {
						t.Errorf("%q at %v, %v is not wholly inside the %v window", label, p, b.Size(), size)
					}
				}
			})
		}
	}
}

// TestPreviewFitsLargeText: the preview, the longest dialog, fits the smallest window with its
// Send and Close in view, and takes its full size when the window has room.
func TestPreviewFitsLargeText(t *testing.T) {
	h, r := showRequest(t, "fi")
	h.agent.preview = agent.Preview{ID: "p1", Channel: "rt", Text: strings.Repeat("Yhteys katkeaa tunnin välein. ", 60)}
	h.window.Resize(smallestAtDouble)
	r.onPreview()
	h.pump()
	c := h.window.Canvas()
	d := fyne.CurrentApp().Driver()
	text := findScroll(c.Overlays().Top())
	if text == nil {
		t.Fatal("the preview's text does not scroll")
	}
	objs := map[string]fyne.CanvasObject{"the text": text}
	for _, label := range []string{h.env.t("window.request.send"), h.env.t("window.request.close")} {
		b := findButton(c.Overlays().Top(), label)
		if b == nil {
			t.Fatalf("no %q in the preview", label)
		}
		objs[label] = b
	}
	for label, b := range objs {
		p := d.AbsolutePositionForObject(b)
		if p.X < 0 || p.Y < 0 || p.X+b.Size().Width > c.Size().Width || p.Y+b.Size().Height > c.Size().Height {
			t.Errorf("%q at %v, %v is outside the %v window", label, p, b.Size(), c.Size())
		}
	}
}

// findScroll finds the first scroll in o.
func findScroll(o fyne.CanvasObject) *container.Scroll {
	switch v := o.(type) {
	case *container.Scroll:
		return v
	case *fyne.Container:
		for _, c := range v.Objects {
			if s := findScroll(c); s != nil {
				return s
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			if s := findScroll(c); s != nil {
				return s
			}
		}
	}
	return nil
}
