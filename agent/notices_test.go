package agent

import (
	"os"
	"path/filepath"
	"testing"
)

func TestANoticeIsToldOnceAcrossRestarts(t *testing.T) {
	settings := filepath.Join(t.TempDir(), "apuri", "settings.json")
	first := New(Config{SettingsPath: settings, Autostart: &fakeAutostart{}})
	defer first.Close()
	if first.Told(NoticeNoTray) {
		t.Fatal("told before anything was said")
	}
	if err := first.MarkTold(NoticeNoTray); err != nil {
		t.Fatal(err)
	}
	if !first.Told(NoticeNoTray) || first.Told("another") {
		t.Error("the mark is not kept, or marks another notice too")
	}
	// The settings window saves the settings whole: that must not undo the mark.
	if _, err := first.SaveSettings(DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	again := New(Config{SettingsPath: settings, Autostart: &fakeAutostart{}})
	defer again.Close()
	if !again.Told(NoticeNoTray) {
		t.Error("after a restart the notice would be told again")
	}
	info, err := os.Stat(filepath.Join(filepath.Dir(settings), noticesFileName))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("notices file mode %v, want 0600", info.Mode().Perm())
	}
}

func TestABrokenNoticesFileIsReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, noticesFileName)
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := New(Config{SettingsPath: filepath.Join(dir, "settings.json"), Autostart: &fakeAutostart{}})
	defer a.Close()
	if a.Told(NoticeNoTray) {
		t.Error("a broken file says the notice was told")
	}
	if err := a.MarkTold(NoticeNoTray); err != nil {
		t.Fatal(err)
	}
	if !a.Told(NoticeNoTray) {
		t.Error("the mark was not kept after replacing the broken file")
	}
}
