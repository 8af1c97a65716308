package app

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestRequestPreviewAndHistoryWithinReach: at the window's size, Preview, Send and Earlier
// requests sit in the bottom bar, inside the window without scrolling; Earlier requests brings
// the history's heading into view.
func TestRequestPreviewAndHistoryWithinReach(t *testing.T) {
	for _, lang := range []string{"en", "fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			h, r := showRequest(t, lang)
			d := fyne.CurrentApp().Driver()
			size := h.window.Canvas().Size()
			visible := func(o fyne.CanvasObject) bool {
				p := d.AbsolutePositionForObject(o)
				return o.Visible() && p.X >= 0 && p.Y >= 0 &&
					p.X+o.Size().Width <= size.Width && p.Y+o.Size().Height <= size.Height
			}
			for _, key := range []string{"window.request.preview", "window.request.send", "window.request.to_history"} {
				b := h.button(h.env.t(key))
				if b == nil {
					t.Fatalf("no button %q", h.env.t(key))
				}
				if !visible(b) {
					t.Errorf("%q is outside the %v window at %v", b.Text, size, d.AbsolutePositionForObject(b))
				}
			}
			top := func() float32 { return r.historyHeading.Position().Y - r.scroll.Offset.Y }
			if y := top(); y < r.scroll.Size().Height {
				t.Fatalf("the history is already in view (%v of %v): the test proves nothing", y, r.scroll.Size().Height)
			}
			h.tap(h.env.t("window.request.to_history"))
			if y := top(); y < 0 || y+r.historyHeading.Size().Height > r.scroll.Size().Height {
				t.Errorf("after Earlier requests the history heading is at %v in a view %v high", y, r.scroll.Size().Height)
			}
		})
	}
}
