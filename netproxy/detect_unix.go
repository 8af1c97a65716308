//go:build !windows && !darwin

package netproxy

import "context"

// desktopConfig reads the desktop's settings: GNOME's (GSettings) and KDE's (kioslaverc), the
// running desktop's first, as its browsers do. A desktop that says "none" hands over to the
// next.
func desktopConfig(ctx context.Context, getenv func(string) string) Config {
	gnome := func() Config { return readGNOME(ctx) }
	kde := func() Config { return readKDE(getenv) }
	for _, read := range desktopOrder(getenv("XDG_CURRENT_DESKTOP"), gnome, kde) {
		if c := read(); c.configured() {
			return c
		}
	}
	return Config{From: SourceNone}
}

// systemPAC: scripts are run by this package here.
func systemPAC(context.Context, Config, string) (string, bool) { return "", false }
