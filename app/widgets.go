package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/diagnostics"
)

// The pieces the screens share: status icons and colours, wrapping labels, a width floor.

// statusIcon is a status's icon in its colour; the empty status is a check still running.
func statusIcon(s diagnostics.Status) fyne.Resource {
	switch s {
	case diagnostics.StatusOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case diagnostics.StatusWarn:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case diagnostics.StatusFail:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case diagnostics.StatusSkip:
		return theme.NewDisabledResource(theme.ContentRemoveIcon())
	}
	return theme.NewDisabledResource(theme.ViewRefreshIcon())
}

// statusColor is the theme colour of a status; the banner tints its background with it.
func statusColor(s diagnostics.Status) fyne.ThemeColorName {
	switch s {
	case diagnostics.StatusOK:
		return theme.ColorNameSuccess
	case diagnostics.StatusWarn:
		return theme.ColorNameWarning
	case diagnostics.StatusFail:
		return theme.ColorNameError
	}
	return theme.ColorNamePrimary
}

// tint is c, faint enough to put text on.
func tint(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x30}
}

// wrapping is a label that wraps at word boundaries.
func wrapping(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// bold is a wrapping label in bold.
func bold(text string) *widget.Label {
	l := wrapping(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// caption is a small note beside something bigger.
func caption(text string) *widget.Label {
	l := wrapping(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// richText is wrapping text of several blocks; it spaces its lines closer than labels would.
func richText(segs ...widget.RichTextSegment) *widget.RichText {
	r := widget.NewRichText(segs...)
	r.Wrapping = fyne.TextWrapWord
	return r
}

// block is a paragraph of richText in a style.
func block(text string, style fyne.TextStyle) *widget.TextSegment {
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: theme.ColorNameForeground, SizeName: theme.SizeNameText, TextStyle: style,
	}}
}

// inline is text that the next segment of a richText continues on the same line.
func inline(text string) *widget.TextSegment {
	t := block(text, fyne.TextStyle{})
	t.Style.Inline = true
	return t
}

// heading is a section heading.
func heading(text string) *widget.Label {
	l := bold(text)
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// widthAtLeast gives o at least width w, so that wrapping text inside a dialog or a column
// does not shrink to one word a line.
func widthAtLeast(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(minWidth(w), o)
}

type minWidth float32

func (m minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(max(float32(m), s.Width), s.Height)
}

func (m minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// fixedWidth gives o exactly width w: a column of a table.
func fixedWidth(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(exactWidth(w), o)
}

type exactWidth float32

func (e exactWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(e), h)
}

func (e exactWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// banner is a tinted panel with a large icon beside its content.
type banner struct {
	bg   *canvas.Rectangle
	icon *canvas.Image
	box  *fyne.Container
}

func newBanner(content fyne.CanvasObject) *banner {
	b := &banner{
		bg:   canvas.NewRectangle(color.Transparent),
		icon: canvas.NewImageFromResource(statusIcon("")),
	}
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.icon.FillMode = canvas.ImageFillContain
	b.icon.SetMinSize(fyne.NewSquareSize(40))
	b.box = container.NewStack(b.bg, container.NewPadded(
		container.NewBorder(nil, nil, container.NewVBox(b.icon), nil, content)))
	return b
}

// set shows a status: its icon, and its colour behind the text.
func (b *banner) set(s diagnostics.Status) {
	b.icon.Resource = statusIcon(s)
	b.icon.Refresh()
	b.bg.FillColor = tint(theme.Color(statusColor(s)))
	b.bg.Refresh()
}

// setNote shows a one-line note, in the danger colour when it reports a problem.
func setNote(l *widget.Label, text string, problem bool) {
	l.SetText(text)
	if problem {
		l.Importance = widget.DangerImportance
	} else {
		l.Importance = widget.MediumImportance
	}
	l.Refresh()
}
