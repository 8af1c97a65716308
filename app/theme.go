package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Fyne's default theme draws the border of an input field, an unchecked box and an unselected
// radio button in its very colour for disabled things (#e3e3e3 on white), so a form nobody has
// filled in yet looks switched off. Apuri's theme draws them darker, with at least the 3:1
// contrast against the background that controls need to be seen (WCAG 1.4.11).
var (
	inputBorderLight = color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}
	inputBorderDark  = color.NRGBA{R: 0x8f, G: 0x8f, B: 0x8f, A: 0xff}
)

// apuriTheme is Fyne's default theme with input borders that do not look disabled.
type apuriTheme struct{ fyne.Theme }

func newTheme() fyne.Theme { return apuriTheme{theme.DefaultTheme()} }

func (t apuriTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameInputBorder {
		if v == theme.VariantDark {
			return inputBorderDark
		}
		return inputBorderLight
	}
	return t.Theme.Color(n, v)
}

// applyTheme gives the app Apuri's theme; every window of the app follows it.
func applyTheme(a fyne.App) { a.Settings().SetTheme(newTheme()) }
