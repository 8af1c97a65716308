package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/apuri-project/apuri/internal/atomicfile"
)

// LaunchAgent is a per-user launchd job (~/Library/LaunchAgents/LABEL.plist) that starts the
// agent at login. Writing the file is enough: launchd reads it at the next login.
type LaunchAgent struct {
	// Dir is the LaunchAgents directory; default ~/Library/LaunchAgents.
	Dir string
	// Label is the job's label; default LaunchAgentLabel.
	Label string
	// Exec is the program to start; default os.Executable().
	Exec string
}

// NewAutostart returns the login item of this OS.
func NewAutostart() Autostart { return &LaunchAgent{} }

func (l *LaunchAgent) path() (string, error) {
	label := l.Label
	if label == "" {
		label = LaunchAgentLabel
	}
	dir := l.Dir
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the LaunchAgents directory: %w", err)
		}
		dir = filepath.Join(home, "Library", "LaunchAgents")
	}
	return filepath.Join(dir, label+".plist"), nil
}

// Enabled reports whether the plist is there.
func (l *LaunchAgent) Enabled() (bool, error) {
	path, err := l.path()
	if err != nil {
		return false, err
	}
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("read launch agent: %w", err)
	}
	return true, nil
}

// SetEnabled writes or removes the plist.
func (l *LaunchAgent) SetEnabled(on bool) error {
	path, err := l.path()
	if err != nil {
		return err
	}
	if !on {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove launch agent: %w", err)
		}
		return nil
	}
	exe, err := executable(l.Exec)
	if err != nil {
		return fmt.Errorf("find the program to start at login: %w", err)
	}
	label := l.Label
	if label == "" {
		label = LaunchAgentLabel
	}
	if err := atomicfile.Write(path, LaunchAgentPlist(label, exe), 0o644); err != nil {
		return fmt.Errorf("write launch agent: %w", err)
	}
	return nil
}
