package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/atomicfile"
)

// Settings are the user's own choices, kept between runs.
type Settings struct {
	// Language is "" for the system's language, or "fi", "sv", "en".
	Language string `json:"language"`
	// Notifications lets the agent tell the user when something breaks.
	Notifications bool `json:"notifications"`
	// StartAtLogin starts the agent when the user logs in. The login item itself is the truth:
	// the agent reads it at start and changes it when the settings are saved.
	StartAtLogin bool `json:"start_at_login"`
}

// DefaultSettings are the settings of a user who has chosen nothing.
func DefaultSettings() Settings {
	return Settings{Notifications: true}
}

// Validate reports a setting no version of Apuri could use, as a *Problem.
func (s Settings) Validate() error {
	if s.Language != "" && !i18n.Supported(s.Language) {
		return newProblem(KeyBadLanguage, "lang", s.Language)
	}
	return nil
}

// DefaultSettingsPath is os.UserConfigDir()/apuri/settings.json, or "" when the user has no
// config dir (then the settings live in memory only).
func DefaultSettingsPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "apuri", "settings.json")
}

// maxSettingsSize bounds what is read: the real file is a few dozen bytes.
const maxSettingsSize = 64 << 10

// LoadSettings reads the settings file. A missing file gives the defaults; an unreadable or
// corrupt one gives the defaults and a problem to show, and is left as it is until the user
// saves: a broken file must never stop the agent.
func LoadSettings(path string) (Settings, *Problem) {
	s := DefaultSettings()
	data, err := readLimited(path, maxSettingsSize)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, newProblem(KeySettingsCorrupt, "path", path, "error", err.Error())
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return DefaultSettings(), newProblem(KeySettingsCorrupt, "path", path, "error", err.Error())
	}
	if err := s.Validate(); err != nil {
		return DefaultSettings(), newProblem(KeySettingsCorrupt, "path", path, "error", err.Error())
	}
	return s, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return data, nil
}

// WriteSettings stores the settings atomically: a crash or a full disk leaves the old file
// or the new one, never half of one.
func WriteSettings(path string, s Settings) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	return atomicfile.Write(path, append(data, '\n'), 0o600)
}

// Settings returns the user's settings.
func (a *Agent) Settings() Settings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.settings
}

// SaveSettings validates, applies (start at login) and stores the user's settings, then tells
// the subscribers. Errors are *Problem values the UI can translate.
func (a *Agent) SaveSettings(s Settings) (Settings, error) {
	if err := s.Validate(); err != nil {
		return Settings{}, err
	}
	// One save at a time, so the file and the login item agree; the state lock is taken only to
	// publish, so a slow disk never holds up progress events.
	a.saveMu.Lock()
	defer a.saveMu.Unlock()
	if a.isClosed() {
		return Settings{}, ErrClosed
	}
	if on, err := a.cfg.Autostart.Enabled(); err != nil || on != s.StartAtLogin {
		if err := a.cfg.Autostart.SetEnabled(s.StartAtLogin); errors.Is(err, ErrAutostartManaged) {
			return Settings{}, newProblem(KeyAutostartManaged)
		} else if err != nil {
			return Settings{}, newProblem(KeyAutostart, "error", err.Error())
		}
	}
	if a.cfg.SettingsPath != "" {
		if err := WriteSettings(a.cfg.SettingsPath, s); err != nil {
			return Settings{}, newProblem(KeySaveSettings, "error", err.Error())
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settings = s
	// A saved file is a good file: the old corruption no longer matters.
	kept := a.problems[:0]
	for _, p := range a.problems {
		if p.Key != KeySettingsCorrupt {
			kept = append(kept, p)
		}
	}
	a.problems = kept
	a.publishStateLocked()
	return s, nil
}
