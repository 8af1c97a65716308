//go:build !linux && !windows && !darwin

package agent

// NewAutostart returns the login item of this OS: none here.
func NewAutostart() Autostart { return noAutostart{} }

type noAutostart struct{}

func (noAutostart) Enabled() (bool, error) { return false, nil }

func (noAutostart) SetEnabled(on bool) error {
	if on {
		return ErrAutostartUnsupported
	}
	return nil
}
