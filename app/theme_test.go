package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
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
