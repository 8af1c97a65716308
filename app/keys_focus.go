package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// focusRing draws a line in the text's colour around a widget while it has the focus. Fyne
// marks a focused button only with a faint tint, which on a blue button does not show at all:
// someone who moves with Tab must see where they are.
type focusRing struct {
	fyne.WidgetRenderer
	ring    *canvas.Rectangle
	focused func() bool
	widget  ringed
	// around is the part of the widget the ring goes round, given the widget's size; nil is
	// all of it.
	around func(fyne.Size) (fyne.Position, fyne.Size)
}

// ringWidth is the line's width: as thick as Fyne's border of a focused entry.
const ringWidth = 2

// ringed is the widget a ring goes round.
type ringed interface {
	Theme() fyne.Theme
	Size() fyne.Size
}

func withFocusRing(r fyne.WidgetRenderer, w ringed, focused func() bool) *focusRing {
	f := &focusRing{WidgetRenderer: r, ring: canvas.NewRectangle(color.Transparent), focused: focused, widget: w}
	f.ring.StrokeWidth = ringWidth
	f.applyTheme()
	return f
}

func (f *focusRing) Objects() []fyne.CanvasObject {
	inner := f.WidgetRenderer.Objects()
	objs := make([]fyne.CanvasObject, 0, len(inner)+1)
	return append(append(objs, inner...), f.ring)
}

func (f *focusRing) Layout(size fyne.Size) {
	f.WidgetRenderer.Layout(size)
	f.place(size)
}

// place puts the ring round the part of a widget of size that it marks.
func (f *focusRing) place(size fyne.Size) {
	pos := fyne.NewPos(0, 0)
	if f.around != nil {
		pos, size = f.around(size)
	}
	f.ring.Move(pos)
	f.ring.Resize(size)
}

func (f *focusRing) Refresh() {
	f.WidgetRenderer.Refresh()
	f.applyTheme()
	if f.around != nil {
		f.place(f.widget.Size()) // what it marks may have moved within the widget
	}
	f.ring.Refresh()
}

func (f *focusRing) applyTheme() {
	th := f.widget.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	f.ring.StrokeColor = focusRingColor(th, v)
	f.ring.CornerRadius = th.Size(theme.SizeNameInputRadius)
	if f.focused() {
		f.ring.Show()
	} else {
		f.ring.Hide()
	}
}

// focusRingColor is the ring's colour: the text's, which stands out from every background.
func focusRingColor(th fyne.Theme, v fyne.ThemeVariant) color.Color {
	return th.Color(theme.ColorNameForeground, v)
}

func (b *keyButton) CreateRenderer() fyne.WidgetRenderer {
	return withFocusRing(b.Button.CreateRenderer(), b, func() bool { return b.hasFocus })
}

func (b *keyButton) FocusGained() { b.hasFocus = true; b.Button.FocusGained() }
func (b *keyButton) FocusLost()   { b.hasFocus = false; b.Button.FocusLost() }

func (c *keyCheck) CreateRenderer() fyne.WidgetRenderer {
	return withFocusRing(c.Check.CreateRenderer(), c, func() bool { return c.hasFocus })
}

func (c *keyCheck) FocusGained() { c.hasFocus = true; c.Check.FocusGained() }
func (c *keyCheck) FocusLost()   { c.hasFocus = false; c.Check.FocusLost() }

func (s *keySelect) CreateRenderer() fyne.WidgetRenderer {
	return withFocusRing(s.Select.CreateRenderer(), s, func() bool { return s.hasFocus })
}

func (s *keySelect) FocusGained() { s.hasFocus = true; s.Select.FocusGained() }
func (s *keySelect) FocusLost()   { s.hasFocus = false; s.Select.FocusLost() }
