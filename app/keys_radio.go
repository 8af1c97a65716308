package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyRadio is a choice of one option among a few, one under the other, that works from the
// keyboard as radio buttons do on every desktop: Tab stops once, on the chosen option; the
// arrow keys move the choice; Space chooses the option the focus is on when none is chosen
// yet; Enter and Escape reach the window. The focus is the windows' focus ring round the
// option.
//
// Fyne's radio group cannot be wrapped for this: the focus goes to its options, widgets of its
// own that keep Enter and Escape from the window, answer no arrow key and show their focus as
// a faint tint behind the button. Choosing with the mouse or Space always leaves one option
// chosen, as a required Fyne radio group does.
type keyRadio struct {
	widget.BaseWidget
	Options   []string
	Selected  string
	OnChanged func(string)

	keys     *keyboard
	hasFocus bool
	items    []*radioOption
	box      *fyne.Container
}

func (k *keyboard) radio(options []string, changed func(string)) *keyRadio {
	r := &keyRadio{Options: options, OnChanged: changed, keys: k, box: container.New(layout.NewCustomPaddedVBoxLayout(0))}
	for i, o := range options {
		r.items = append(r.items, &radioOption{label: o, tapped: func() { r.tapped(i) }})
		r.items[i].ExtendBaseWidget(r.items[i])
		r.box.Add(r.items[i])
	}
	r.ExtendBaseWidget(r)
	return r
}

// SetSelected chooses option, and tells OnChanged when that is a change.
func (r *keyRadio) SetSelected(option string) {
	if option == r.Selected {
		return
	}
	r.Selected = option
	if r.OnChanged != nil {
		r.OnChanged(option)
	}
	r.Refresh()
}

// current is the option the focus is on: the chosen one, or the first while none is.
func (r *keyRadio) current() int {
	for i, o := range r.Options {
		if o == r.Selected {
			return i
		}
	}
	return 0
}

func (r *keyRadio) tapped(i int) {
	r.keys.window.Canvas().Focus(r)
	r.SetSelected(r.Options[i])
}

func (r *keyRadio) TypedKey(ev *fyne.KeyEvent) {
	if r.keys.windowKey(ev) || len(r.Options) == 0 {
		return
	}
	n := len(r.Options)
	switch ev.Name {
	case fyne.KeyUp, fyne.KeyLeft:
		r.SetSelected(r.Options[(r.current()+n-1)%n])
	case fyne.KeyDown, fyne.KeyRight:
		r.SetSelected(r.Options[(r.current()+1)%n])
	}
}

func (r *keyRadio) TypedRune(c rune) {
	if c == ' ' && len(r.Options) > 0 {
		r.SetSelected(r.Options[r.current()])
	}
}

func (r *keyRadio) FocusGained() { r.hasFocus = true; r.Refresh() }
func (r *keyRadio) FocusLost()   { r.hasFocus = false; r.Refresh() }

func (r *keyRadio) Refresh() {
	for i, it := range r.items {
		if chosen := r.Options[i] == r.Selected; chosen != it.chosen {
			it.chosen = chosen
			it.Refresh()
		}
	}
	r.BaseWidget.Refresh()
}

func (r *keyRadio) CreateRenderer() fyne.WidgetRenderer {
	f := withFocusRing(widget.NewSimpleRenderer(r.box), r, func() bool { return r.hasFocus })
	f.around = r.currentArea
	return f
}

// currentArea is the option the focus is on, as wide as its button and label.
func (r *keyRadio) currentArea(fyne.Size) (fyne.Position, fyne.Size) {
	if len(r.items) == 0 {
		return fyne.NewPos(0, 0), fyne.NewSize(0, 0)
	}
	it := r.items[r.current()]
	return it.Position(), it.MinSize().Min(it.Size())
}

// radioOption is one option of a keyRadio: its button and its label. The group has the focus;
// an option only answers the mouse.
type radioOption struct {
	widget.BaseWidget
	label   string
	chosen  bool
	hovered bool
	tapped  func()
}

func (o *radioOption) Tapped(*fyne.PointEvent)        { o.tapped() }
func (o *radioOption) MouseIn(*desktop.MouseEvent)    { o.hovered = true; o.Refresh() }
func (o *radioOption) MouseMoved(*desktop.MouseEvent) {}
func (o *radioOption) MouseOut()                      { o.hovered = false; o.Refresh() }

func (o *radioOption) CreateRenderer() fyne.WidgetRenderer {
	r := &radioOptionRenderer{o: o, hover: &canvas.Circle{}, fill: &canvas.Image{}, edge: &canvas.Image{},
		text: canvas.NewText(o.label, color.Black)}
	r.Refresh()
	return r
}

// radioOptionRenderer draws an option as Fyne draws a radio button: a round button, filled
// with the primary colour when chosen, and its label.
type radioOptionRenderer struct {
	o          *radioOption
	hover      *canvas.Circle
	fill, edge *canvas.Image
	text       *canvas.Text
}

func (r *radioOptionRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.hover, r.fill, r.edge, r.text}
}

func (r *radioOptionRenderer) MinSize() fyne.Size {
	th := r.o.Theme()
	inner := th.Size(theme.SizeNameInnerPadding)
	return r.text.MinSize().AddWidthHeight(2*inner+th.Size(theme.SizeNameInlineIcon)+th.Size(theme.SizeNamePadding), 2*inner)
}

func (r *radioOptionRenderer) Layout(size fyne.Size) {
	th := r.o.Theme()
	inner, border := th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNameInputBorder)
	icon := th.Size(theme.SizeNameInlineIcon)
	halo := icon + inner
	r.hover.Resize(fyne.NewSquareSize(halo))
	r.hover.Move(fyne.NewPos(border, (size.Height-halo)/2))
	for _, img := range []*canvas.Image{r.fill, r.edge} {
		img.Resize(fyne.NewSquareSize(icon))
		img.Move(fyne.NewPos(inner/2+border, (size.Height-icon)/2))
	}
	r.text.Resize(size)
	r.text.Move(fyne.NewPos(halo+th.Size(theme.SizeNamePadding), 0))
}

func (r *radioOptionRenderer) Refresh() {
	th := r.o.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.text.Text = r.o.label
	r.text.TextSize = th.Size(theme.SizeNameText)
	r.text.Color = th.Color(theme.ColorNameForeground, v)
	fill, edge := theme.NewThemedResource(th.Icon(theme.IconNameRadioButtonFill)), theme.NewThemedResource(th.Icon(theme.IconNameRadioButton))
	fill.ColorName, edge.ColorName = theme.ColorNameInputBackground, theme.ColorNameInputBorder
	if r.o.chosen {
		fill.ColorName, edge.ColorName = theme.ColorNamePrimary, theme.ColorNameForeground
	}
	r.fill.Resource, r.edge.Resource = fill, edge
	r.hover.FillColor = color.Transparent
	if r.o.hovered {
		r.hover.FillColor = th.Color(theme.ColorNameHover, v)
	}
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *radioOptionRenderer) Destroy() {}
