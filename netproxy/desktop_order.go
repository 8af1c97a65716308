package netproxy

import "strings"

// desktopOrder puts KDE's reader first on a KDE session (XDG_CURRENT_DESKTOP names KDE), else
// GNOME's: GNOME's settings are also what GTK desktops (Cinnamon, MATE, Budgie…) use.
func desktopOrder(current string, gnome, kde func() Config) []func() Config {
	for _, d := range strings.Split(current, ":") {
		if strings.EqualFold(strings.TrimSpace(d), "KDE") {
			return []func() Config{kde, gnome}
		}
	}
	return []func() Config{gnome, kde}
}
