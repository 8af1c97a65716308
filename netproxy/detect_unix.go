//go:build !windows && !darwin

package netproxy

import "context"

// desktopConfig reads the desktop's settings: GNOME's (GSettings) first, then KDE's
// (kioslaverc). A desktop that says "none" hands over to the next.
func desktopConfig(ctx context.Context, getenv func(string) string) Config {
	if c := readGNOME(ctx); c.configured() {
		return c
	}
	return readKDE(getenv)
}

// systemPAC: scripts are run by this package here.
func systemPAC(context.Context, Config, string) (string, bool) { return "", false }
