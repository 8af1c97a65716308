package agent

import (
	"errors"
	"os"

	"github.com/apuri-project/apuri/policy"
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

// ErrAutostartManaged is returned when the organisation's policy decides whether Apuri starts
// at login and the user asked for the other.
var ErrAutostartManaged = errors.New("the organisation's policy decides whether Apuri starts at login")

// withPolicy is item as the organisation's policy leaves it: the user's to change, or, when
// the policy decides, fixed to the policy's choice.
func withPolicy(item Autostart, p policy.Policy) Autostart {
	if p.Autostart == nil {
		return item
	}
	return &managedAutostart{item: item, on: *p.Autostart}
}

// managedAutostart is the login item when the policy decides: it reports the policy's choice,
// refuses the other, and Enforce makes the real item agree.
type managedAutostart struct {
	item Autostart
	on   bool
}

func (m *managedAutostart) Enabled() (bool, error) { return m.on, nil }

func (m *managedAutostart) SetEnabled(on bool) error {
	if on != m.on {
		return ErrAutostartManaged
	}
	return m.Enforce()
}

// Enforce adds or removes the real login item as the policy says. The agent calls it as it
// starts, so a policy applies from the next start without the user doing anything.
func (m *managedAutostart) Enforce() error {
	if cur, err := m.item.Enabled(); err == nil && cur == m.on {
		return nil
	}
	return m.item.SetEnabled(m.on)
}

// executable is the program the login item starts; os.Executable by default.
func executable(exec string) (string, error) {
	if exec != "" {
		return exec, nil
	}
	return os.Executable()
}
