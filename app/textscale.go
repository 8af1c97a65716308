package app

import (
	"strconv"
	"strings"
)

// Fyne draws at the screen's density times its own scale (FYNE_SCALE, or its settings file);
// it does not follow the desktop's setting for larger text (GNOME's text scaling factor,
// Windows' "Make text bigger"). Someone who needs large text has set it there, once, for every
// program: the windows take it as Fyne's scale when nothing else sets one.

// scaleEnv is Fyne's variable for its scale.
const scaleEnv = "FYNE_SCALE"

// followTextScale sets FYNE_SCALE to the desktop's text scale, when the user has set no scale
// of their own and the desktop's text is larger than normal.
func followTextScale(getenv func(string) string, setenv func(key, value string) error, desktop func() float64) {
	if getenv(scaleEnv) != "" {
		return
	}
	if f := desktop(); f > 1 && f <= maxTextScale {
		_ = setenv(scaleEnv, strconv.FormatFloat(f, 'f', -1, 64))
	}
}

// maxTextScale bounds what is believed of the desktop's setting: GNOME offers up to 3.
const maxTextScale = 4

// parseScale reads a scale factor as a desktop's tool prints it ("1.25"); 1 when it is not one.
func parseScale(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f <= 0 {
		return 1
	}
	return f
}
