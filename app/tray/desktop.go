package tray

import "strings"

// desktopError says the desktop lacks what the tray needs; key is the translated message.
type desktopError struct {
	key string
	err error
}

func (e *desktopError) Error() string {
	if e.err == nil {
		return e.key
	}
	return e.key + ": " + e.err.Error()
}

func (e *desktopError) Unwrap() error { return e.err }

// panelDark guesses whether the panel is dark. The portal speaks of the applications' colours
// (1 prefers dark, 2 prefers light, 0 has no preference), not of the panel's, so: GNOME's top
// bar is dark in either scheme; elsewhere the panel follows a stated preference; with none,
// dark, as most desktops' panels are out of the box.
func panelDark(desktopName string, scheme uint32, known bool) bool {
	for _, name := range strings.Split(desktopName, ":") {
		if strings.EqualFold(name, "GNOME") {
			return true
		}
	}
	if known && scheme == 2 {
		return false
	}
	return true
}
