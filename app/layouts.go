package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// buttonBar lays a window's buttons out in a row, left ones from the left and right ones (the
// main button last) at the right end; when the window is too narrow for one row (large text, a
// small screen) the buttons wrap onto more rows instead of widening the window past the
// screen. Its minimum width is its widest button.
func buttonBar(left []fyne.CanvasObject, right ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &barLayout{right: len(right)}, Objects: append(append([]fyne.CanvasObject(nil), left...), right...)}
}

// buttonRow lays buttons out from the left, wrapping onto more rows when they do not fit. Unlike
// Fyne's row-wrap layout, whose minimum width is the widest row it last laid out (so a window
// once wide can never be narrowed again), its minimum width is its widest button.
func buttonRow(buttons ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &barLayout{}, Objects: buttons}
}

// barLayout lays buttons out in rows; when they fit in one row, its last right objects are at
// the right end. The rows it needed at its latest width are remembered, so that its minimum
// height makes room for all of them.
type barLayout struct {
	right int
	rows  int
}

func (b *barLayout) visible(objs []fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, o := range objs {
		if o.Visible() {
			out = append(out, o)
		}
	}
	return out
}

func (b *barLayout) rowHeight(objs []fyne.CanvasObject) float32 {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return h
}

func (b *barLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	objs = b.visible(objs)
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	rows := max(b.rows, 1)
	if len(objs) == 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(w, float32(rows)*b.rowHeight(objs)+float32(rows-1)*theme.Padding())
}

func (b *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs = b.visible(objs)
	if len(objs) == 0 {
		return
	}
	pad, h := theme.Padding(), b.rowHeight(objs)
	var total float32
	for _, o := range objs {
		total += o.MinSize().Width
	}
	total += pad * float32(len(objs)-1)
	if total <= size.Width {
		// One row: the right ones pushed to the right end by the room left over.
		x, split := float32(0), len(objs)-min(b.right, len(objs))
		for i, o := range objs {
			if i == split {
				x += size.Width - total
			}
			o.Resize(fyne.NewSize(o.MinSize().Width, h))
			o.Move(fyne.NewPos(x, 0))
			x += o.MinSize().Width + pad
		}
		b.rows = 1
		return
	}
	// Wrapped, in the same order, which is the order Tab follows.
	x, row := float32(0), 0
	for i, o := range objs {
		w := min(o.MinSize().Width, size.Width)
		if i > 0 && x+w > size.Width {
			row++
			x = 0
		}
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(x, float32(row)*(h+pad)))
		x += w + pad
	}
	b.rows = row + 1
}

// headBodyFoot lays a window out as a head (the verdict), a body and a foot (the buttons), in
// that order, which is the order Tab follows. The foot always has its full height; the head
// has its own height up to 60 % of what the foot leaves, and scrolls beyond that, so that with large text on a small screen the buttons stay in view and the verdict
// does not push the checks out of the window.
func headBodyFoot(head fyne.CanvasObject, body, foot fyne.CanvasObject) *fyne.Container {
	headScroll := container.NewVScroll(head)
	return &fyne.Container{Layout: &headBodyFootLayout{head: head}, Objects: []fyne.CanvasObject{headScroll, body, foot}}
}

// headShare is the most of the height the head takes when its text is longer.
const headShare = 0.6

type headBodyFootLayout struct {
	head fyne.CanvasObject // inside the first object, a scroll
}

func (l *headBodyFootLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w = max(w, m.Width)
		h += m.Height + theme.Padding()
	}
	return fyne.NewSize(max(w, l.head.MinSize().Width), h)
}

func (l *headBodyFootLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	head, body, foot := objs[0], objs[1], objs[2]
	pad := theme.Padding()
	footH := foot.MinSize().Height
	left := max(size.Height-footH-2*pad, 0)
	headH := min(l.head.MinSize().Height, left*headShare)
	head.Move(fyne.NewPos(0, 0))
	head.Resize(fyne.NewSize(size.Width, headH))
	body.Move(fyne.NewPos(0, headH+pad))
	body.Resize(fyne.NewSize(size.Width, max(left-headH, 0)))
	foot.Move(fyne.NewPos(0, size.Height-footH))
	foot.Resize(fyne.NewSize(size.Width, footH))
}
