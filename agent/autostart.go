package agent

import (
	"errors"
	"os"
)

// Autostart is the login item that starts the agent when the user logs in: an XDG autostart
// entry on Linux, the Run key on Windows, a LaunchAgent on macOS.
type Autostart interface {
	// Enabled reports whether Apuri starts at login for this user.
	Enabled() (bool, error)
	// SetEnabled adds or removes the login item.
	SetEnabled(on bool) error
}

// ErrAutostartUnsupported is returned where this build cannot start Apuri at login.
var ErrAutostartUnsupported = errors.New("starting at login is not supported on this system")

// executable is the program the login item starts; os.Executable by default.
func executable(exec string) (string, error) {
	if exec != "" {
		return exec, nil
	}
	return os.Executable()
}
