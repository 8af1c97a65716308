package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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

// Fyne writes a progress bar's text in the colour for text on the primary colour (white) across
// both of its parts, the fill and the track, which is the primary colour at half strength. In
// the light variant that track is light blue, and white text on it is unreadable (2.3:1). The
// progress bars take their own colours: a light fill with dark text in the light variant, a dark
// fill with white text in the dark one, so that the text reads at 4.5:1 or more on the fill and
// on the track, whatever the banner behind it (TestProgressTextReadable).
var (
	progressFillLight = color.NRGBA{R: 0x6c, G: 0x9c, B: 0xf5, A: 0xff}
	progressTextLight = color.NRGBA{R: 0x11, G: 0x11, B: 0x11, A: 0xff}
	progressFillDark  = color.NRGBA{R: 0x2a, G: 0x5b, B: 0xd0, A: 0xff}
	progressTextDark  = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

// progressTheme is the theme of progress bars: Apuri's, with their fill and text colours.
type progressTheme struct{ fyne.Theme }

func (t progressTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	dark := v == theme.VariantDark
	switch {
	case n == theme.ColorNamePrimary && dark:
		return progressFillDark
	case n == theme.ColorNamePrimary:
		return progressFillLight
	case n == theme.ColorNameForegroundOnPrimary && dark:
		return progressTextDark
	case n == theme.ColorNameForegroundOnPrimary:
		return progressTextLight
	}
	return t.Theme.Color(n, v)
}

// readableProgress puts a progress bar in progressTheme.
func readableProgress(p *widget.ProgressBar) fyne.CanvasObject {
	return container.NewThemeOverride(p, progressTheme{newTheme()})
}
