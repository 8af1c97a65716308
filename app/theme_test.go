package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/diagnostics"
)

// luminance is the relative luminance of c as WCAG defines it.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two colours, 1 to 21.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestInputsDoNotLookDisabled: in the app's theme, light and dark, the border of input fields,
// check boxes and unselected radio buttons stands out from the background and from the
// background of the field itself by at least 3:1, and is not the colour of disabled things.
func TestInputsDoNotLookDisabled(t *testing.T) {
	a := test.NewTempApp(t)
	applyTheme(a)
	th := a.Settings().Theme()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		border := th.Color(theme.ColorNameInputBorder, v)
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground} {
			if c := contrast(border, th.Color(bg, v)); c < 3 {
				t.Errorf("variant %d: input border on %s has contrast %.2f, want at least 3", v, bg, c)
			}
		}
		if c := contrast(border, th.Color(theme.ColorNameDisabled, v)); c < 1.5 {
			t.Errorf("variant %d: input border is hard to tell from the disabled colour (%.2f)", v, c)
		}
		if th.Color(theme.ColorNameForeground, v) != theme.DefaultTheme().Color(theme.ColorNameForeground, v) {
			t.Errorf("variant %d: the theme changed more than the input border", v)
		}
	}
}

// over is fg drawn with its alpha over an opaque bg.
func over(fg, bg color.Color) color.Color {
	f, b := color.NRGBAModel.Convert(fg).(color.NRGBA), color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 0xff
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}

// TestProgressTextReadable: the progress bar's text ("3 of 12 checks done") reads at 4.5:1 or
// more, on its fill and on its track, in the light and the dark variant, on the banner of every
// status: the colours are those the real widget draws with, read from its renderer.
func TestProgressTextReadable(t *testing.T) {
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		a := test.NewTempApp(t)
		applyTheme(a)
		bar := widget.NewProgressBar()
		bar.Max, bar.Value = 4, 1
		o, ok := readableProgress(bar).(*container.ThemeOverride)
		if !ok {
			t.Fatal("the progress bar is not in its own theme")
		}
		// Fyne's test app draws in no variant; this theme draws in v.
		o.Theme = variantTheme{o.Theme, v}
		w := test.NewTempWindow(t, o)
		o.Refresh()
		w.Resize(fyne.NewSize(300, 60))
		// Fyne draws the track, then the fill over it, then the text.
		var fill, track, text color.Color
		objs := test.WidgetRenderer(bar).Objects()
		if len(objs) == 3 {
			tr, ok1 := objs[0].(*canvas.Rectangle)
			fi, ok2 := objs[1].(*canvas.Rectangle)
			tx, ok3 := objs[2].(*canvas.Text)
			if ok1 && ok2 && ok3 && fi.Size().Width < tr.Size().Width && fi.Size().Width > 0 {
				track, fill, text = tr.FillColor, fi.FillColor, tx.Color
			}
		}
		if fill == nil || track == nil || text == nil {
			t.Fatalf("variant %d: the progress bar draws no fill, track or text", v)
		}
		th := a.Settings().Theme()
		bg := th.Color(theme.ColorNameBackground, v)
		for _, s := range []diagnostics.Status{"", diagnostics.StatusOK, diagnostics.StatusWarn, diagnostics.StatusFail} {
			banner := over(tint(th.Color(statusColor(s), v)), bg)
			if c := contrast(text, over(fill, banner)); c < 4.5 {
				t.Errorf("variant %d, banner %q: text on the fill has contrast %.2f, want 4.5", v, s, c)
			}
			if c := contrast(text, over(track, banner)); c < 4.5 {
				t.Errorf("variant %d, banner %q: text on the track has contrast %.2f, want 4.5", v, s, c)
			}
		}
	}
}

// variantTheme is a theme that draws in one variant whatever the system's.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// TestFocusIsVisible: a focused button, check box or menu has a ring in the text's colour,
// at 3:1 or more against the window's background in both variants; without the focus, none.
func TestFocusIsVisible(t *testing.T) {
	a := test.NewTempApp(t)
	applyTheme(a)
	th := a.Settings().Theme()
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		if c := contrast(focusRingColor(th, v), th.Color(theme.ColorNameBackground, v)); c < 3 {
			t.Errorf("variant %d: the focus ring has contrast %.2f with the background, want 3", v, c)
		}
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	k := newKeyboard(newEnv(env{}), w)
	b := k.button("Send", nil, nil)
	b.Importance = widget.HighImportance
	c := k.check("Notifications", nil)
	s := k.selectMenu([]string{"Suomi"}, nil)
	w.SetContent(container.NewVBox(b, c, s))
	for _, f := range []fyne.Focusable{b, c, s} {
		ring := test.WidgetRenderer(f.(fyne.Widget)).(*focusRing).ring
		if ring.Visible() {
			t.Errorf("%T shows the focus ring without the focus", f)
		}
		w.Canvas().Focus(f)
		if !ring.Visible() || ring.StrokeWidth < ringWidth || ring.Size() != f.(fyne.Widget).Size() {
			t.Errorf("%T has the focus but no ring around it", f)
		}
		w.Canvas().Unfocus()
		if ring.Visible() {
			t.Errorf("%T keeps the ring after losing the focus", f)
		}
	}
}
