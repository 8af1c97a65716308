package selfhelp

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Apuri installs no updates itself: it opens the page where the operating system installs them,
// which asks for whatever rights installing needs.
const (
	// windowsUpdatePage is Windows Update in Settings.
	windowsUpdatePage = "ms-settings:windowsupdate"
	// macUpdatePage is Software Update in System Settings (System Preferences before macOS 13).
	macUpdatePage = "x-apple.systempreferences:com.apple.preferences.softwareupdate"
)

// softwareCentre is a Linux desktop's software centre and how it opens on its updates view.
type softwareCentre struct {
	desktop string // as XDG_CURRENT_DESKTOP names the desktop it belongs to
	program string
	args    []string
}

// softwareCentres are the ones Apuri knows, GNOME's first unless the desktop is KDE.
var softwareCentres = []softwareCentre{
	{desktop: "GNOME", program: "gnome-software", args: []string{"--mode=updates"}},
	{desktop: "KDE", program: "plasma-discover", args: []string{"--mode", "update"}},
}

// CanOpenUpdates says whether OpenUpdates has a page to open: on Windows and macOS always, on
// Linux when GNOME Software or KDE Discover is installed.
func (r *Remedies) CanOpenUpdates() bool {
	return r.platform().updatesCommand(r) != nil
}

// OpenUpdates opens the operating system's own page for installing updates. The page keeps
// running on its own; Apuri does not wait for it.
func (r *Remedies) OpenUpdates(ctx context.Context) error {
	argv := r.platform().updatesCommand(r)
	if argv == nil {
		return fmt.Errorf("open updates: %w", ErrUnsupported)
	}
	if err := r.start(ctx, argv[0], argv[1:]...); err != nil {
		return fmt.Errorf("open updates: %w", err)
	}
	return nil
}

// updatesCommand hands the Settings page to the shell as OpenURL hands a tel: or mailto: address:
// the user's own session opens it, and no command line is ever parsed.
func (windowsPlatform) updatesCommand(*Remedies) []string {
	return shellOpen(windowsUpdatePage)
}

func (macPlatform) updatesCommand(*Remedies) []string {
	return []string{"open", macUpdatePage}
}

// updatesCommand finds a software centre on PATH, the one of the user's desktop first, and starts
// it by the path found. Without one there is nothing to open: each distribution's own updater
// is too different to guess.
func (linuxPlatform) updatesCommand(r *Remedies) []string {
	dirs := pathDirs(r.getenv("PATH"))
	desktops := strings.Split(strings.ToUpper(r.getenv("XDG_CURRENT_DESKTOP")), ":")
	for _, ofDesktop := range []bool{true, false} {
		for _, c := range softwareCentres {
			if slices.Contains(desktops, c.desktop) != ofDesktop {
				continue
			}
			if p := lookPath(dirs, c.program); p != "" {
				return append([]string{p}, c.args...)
			}
		}
	}
	return nil
}
