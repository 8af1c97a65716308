package agent

import (
	"errors"
	"fmt"

	"github.com/apuri-project/apuri/policy"
	"golang.org/x/sys/windows/registry"
)

// RunKey is Apuri's value under HKCU\Software\Microsoft\Windows\CurrentVersion\Run.
type RunKey struct {
	// Path is the key under HKEY_CURRENT_USER; default RunKeyPath.
	Path string
	// Name is the value's name; default RunValueName.
	Name string
	// Exec is the program to start; default os.Executable().
	Exec string
}

// NewAutostart returns the login item of this OS, fixed by the organisation's policy when it
// decides (policy.ValueAutostart).
func NewAutostart() Autostart {
	p, _ := policy.Read()
	return withPolicy(&RunKey{}, p)
}

func (r *RunKey) names() (path, name string) {
	path, name = r.Path, r.Name
	if path == "" {
		path = RunKeyPath
	}
	if name == "" {
		name = RunValueName
	}
	return path, name
}

// Enabled reports whether the value is there.
func (r *RunKey) Enabled() (bool, error) {
	path, name := r.names()
	k, err := registry.OpenKey(registry.CURRENT_USER, path, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue(name); err != nil {
		if errors.Is(err, registry.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("read the Run key: %w", err)
	}
	return true, nil
}

// SetEnabled writes or deletes the value.
func (r *RunKey) SetEnabled(on bool) error {
	path, name := r.names()
	k, _, err := registry.CreateKey(registry.CURRENT_USER, path, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("open the Run key: %w", err)
	}
	defer k.Close()
	if !on {
		if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return fmt.Errorf("delete from the Run key: %w", err)
		}
		return nil
	}
	exe, err := executable(r.Exec)
	if err != nil {
		return fmt.Errorf("find the program to start at login: %w", err)
	}
	if err := k.SetStringValue(name, RunValueData(exe)); err != nil {
		return fmt.Errorf("write the Run key: %w", err)
	}
	return nil
}
