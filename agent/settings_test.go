package agent

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSettingsRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
	}{
		{"defaults", DefaultSettings()},
		{"everything chosen", Settings{Language: "sv", Notifications: false, StartAtLogin: true}},
		{"finnish with notifications", Settings{Language: "fi", Notifications: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "apuri", "settings.json")
			if err := WriteSettings(path, tt.s); err != nil {
				t.Fatal(err)
			}
			got, problem := LoadSettings(path)
			if problem != nil {
				t.Fatalf("problem reading what was written: %v", problem)
			}
			if got != tt.s {
				t.Errorf("read %+v, wrote %+v", got, tt.s)
			}
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("settings file mode %v, want 0600", perm)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("the directory holds %d files, want only settings.json (no temporary left)", len(entries))
			}
		})
	}
}

func TestSettingsFileProblems(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(path string) error
		problem bool
		want    Settings
	}{
		{"missing file is the defaults", func(string) error { return nil }, false, DefaultSettings()},
		{"missing keys keep their defaults", func(p string) error {
			return os.WriteFile(p, []byte(`{"language":"fi"}`), 0o600)
		}, false, Settings{Language: "fi", Notifications: true}},
		{"unknown keys from a newer version are ignored", func(p string) error {
			return os.WriteFile(p, []byte(`{"language":"en","theme":"dark"}`), 0o600)
		}, false, Settings{Language: "en", Notifications: true}},
		{"not json", func(p string) error {
			return os.WriteFile(p, []byte("language = fi\n"), 0o600)
		}, true, DefaultSettings()},
		{"truncated", func(p string) error {
			return os.WriteFile(p, []byte(`{"language":"f`), 0o600)
		}, true, DefaultSettings()},
		{"wrong type", func(p string) error {
			return os.WriteFile(p, []byte(`{"notifications":"yes"}`), 0o600)
		}, true, DefaultSettings()},
		{"unknown language", func(p string) error {
			return os.WriteFile(p, []byte(`{"language":"de","notifications":false}`), 0o600)
		}, true, DefaultSettings()},
		{"too large", func(p string) error {
			return os.WriteFile(p, []byte(`{"language":"`+strings.Repeat("x", maxSettingsSize)+`"}`), 0o600)
		}, true, DefaultSettings()},
		{"a directory", func(p string) error { return os.Mkdir(p, 0o700) }, true, DefaultSettings()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "settings.json")
			if err := tt.setup(path); err != nil {
				t.Fatal(err)
			}
			got, problem := LoadSettings(path)
			if got != tt.want {
				t.Errorf("settings %+v, want %+v", got, tt.want)
			}
			if (problem != nil) != tt.problem {
				t.Fatalf("problem = %v, want a problem: %v", problem, tt.problem)
			}
			if problem != nil && (problem.Key != KeySettingsCorrupt || problem.Args["path"] != path || problem.English == "") {
				t.Errorf("problem %+v, want %s naming the file", problem, KeySettingsCorrupt)
			}
		})
	}
}

func TestAgentKeepsTheSettingsProblemUntilSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	if err := os.WriteFile(path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := newTestAgent(t, Config{SettingsPath: path})
	st := a.State()
	if len(st.Problems) != 1 || st.Problems[0].Key != KeySettingsCorrupt {
		t.Fatalf("problems %+v, want the corrupt settings file", st.Problems)
	}
	if st.Settings != DefaultSettings() {
		t.Errorf("settings %+v, want the defaults", st.Settings)
	}
	if data, _ := os.ReadFile(path); string(data) != "{broken" {
		t.Errorf("the broken file was changed before the user saved: %q", data)
	}
	if _, err := a.SaveSettings(Settings{Language: "fi", Notifications: true}); err != nil {
		t.Fatal(err)
	}
	if st := a.State(); len(st.Problems) != 0 {
		t.Errorf("problems after saving: %+v", st.Problems)
	}
	if got, problem := LoadSettings(path); problem != nil || got.Language != "fi" {
		t.Errorf("file after saving: %+v %v", got, problem)
	}
}

func TestSaveSettingsAppliesStartAtLogin(t *testing.T) {
	auto := &fakeAutostart{}
	a := newTestAgent(t, Config{Autostart: auto})
	s := a.Settings()
	s.StartAtLogin = true
	if _, err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	s.Language = "sv" // start at login unchanged: the login item is left alone
	if _, err := a.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
	if len(auto.set) != 1 || !auto.set[0] {
		t.Errorf("login item changes %v, want one change to on", auto.set)
	}

	auto.err = errors.New("read-only home")
	s.StartAtLogin = false
	_, err := a.SaveSettings(s)
	var p *Problem
	if !errors.As(err, &p) || p.Key != KeyAutostart {
		t.Fatalf("failing login item: %v, want %s", err, KeyAutostart)
	}
	if got := a.Settings(); !got.StartAtLogin {
		t.Error("settings changed although the login item could not be")
	}
}

func TestStartAtLoginReadsTheLoginItem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	if err := WriteSettings(path, Settings{StartAtLogin: false}); err != nil {
		t.Fatal(err)
	}
	a := newTestAgent(t, Config{SettingsPath: path, Autostart: &fakeAutostart{on: true}})
	if !a.Settings().StartAtLogin {
		t.Error("the login item exists but the settings say it does not")
	}
}

func TestSaveSettingsRefusesAnUnknownLanguage(t *testing.T) {
	a := newTestAgent(t, Config{})
	_, err := a.SaveSettings(Settings{Language: "de"})
	var p *Problem
	if !errors.As(err, &p) || p.Key != KeyBadLanguage {
		t.Errorf("got %v, want %s", err, KeyBadLanguage)
	}
}
