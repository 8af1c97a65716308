package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyLink is a link that Enter opens, as a link in a browser does, and from which Escape still
// reaches the window. Fyne's link opens only with Space and keeps Enter and Escape; its focus
// is a thin line in the half-transparent focus colour that hardly shows, so the link draws the
// windows' focus ring round its text instead.
type keyLink struct {
	widget.Hyperlink
	keys     *keyboard
	hasFocus bool
}

func (k *keyboard) link(text string, u *url.URL) *keyLink {
	l := &keyLink{keys: k}
	l.Text, l.URL = text, u
	l.ExtendBaseWidget(l)
	return l
}

func (l *keyLink) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		l.Hyperlink.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // opens it as Space does
	case fyne.KeyEscape:
		l.keys.escape()
	default:
		l.Hyperlink.TypedKey(ev)
	}
}

func (l *keyLink) CreateRenderer() fyne.WidgetRenderer {
	f := withFocusRing(l.Hyperlink.CreateRenderer(), l, func() bool { return l.hasFocus })
	f.around = l.textArea
	return f
}

// textArea is where Fyne marks a focused link: round its text, half the inner padding out, and
// not across the rest of a line the link was stretched to.
func (l *keyLink) textArea(size fyne.Size) (fyne.Position, fyne.Size) {
	inner := l.Theme().Size(theme.SizeNameInnerPadding)
	area := l.MinSize().Min(size).SubtractWidthHeight(inner, inner)
	return fyne.NewPos(inner/2, inner/2), area
}

func (l *keyLink) FocusGained() { l.hasFocus = true; l.Hyperlink.FocusGained() }
func (l *keyLink) FocusLost()   { l.hasFocus = false; l.Hyperlink.FocusLost() }

// keyLinkSegment is a keyLink inside rich text, where Fyne would put its own link.
type keyLinkSegment struct {
	keys *keyboard
	Text string
	URL  *url.URL
}

func (s *keyLinkSegment) Inline() bool    { return true }
func (s *keyLinkSegment) Textual() string { return s.Text }

func (s *keyLinkSegment) Visual() fyne.CanvasObject {
	return &fyne.Container{Layout: unpadded{}, Objects: []fyne.CanvasObject{s.keys.link(s.Text, s.URL)}}
}

func (s *keyLinkSegment) Update(o fyne.CanvasObject) {
	l := o.(*fyne.Container).Objects[0].(*keyLink)
	l.Text, l.URL = s.Text, s.URL
	l.Refresh()
}

// A link is not selected as text.
func (s *keyLinkSegment) Select(_, _ fyne.Position) {}
func (s *keyLinkSegment) SelectedText() string      { return "" }
func (s *keyLinkSegment) Unselect()                 {}

// unpadded lays a link out in a line of rich text: its text in line with the text beside it,
// its padding reaching out around it.
type unpadded struct{}

func (unpadded) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	inner := theme.SizeForWidget(theme.SizeNameInnerPadding, objs[0].(fyne.Widget))
	objs[0].Move(fyne.NewPos(-inner, -inner))
	objs[0].Resize(size.AddWidthHeight(2*inner, 2*inner))
}

func (unpadded) MinSize(objs []fyne.CanvasObject) fyne.Size {
	inner := theme.SizeForWidget(theme.SizeNameInnerPadding, objs[0].(fyne.Widget))
	return objs[0].MinSize().SubtractWidthHeight(2*inner, 2*inner)
}
