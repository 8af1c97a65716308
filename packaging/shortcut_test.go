package packaging

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/notify"
)

// TestInstallerMarksTheShortcut: the notifier tries native toasts only where the MSI's mark of
// its shortcut is; the MSI must write the very value it looks for.
func TestInstallerMarksTheShortcut(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("windows", "apuri.wxs"))
	if err != nil {
		t.Fatal(err)
	}
	want := `<RegistryValue Root="HKLM" Key="` + notify.InstalledKey + `" Name="` + notify.InstalledValue + `" Type="integer" Value="1"`
	if !strings.Contains(string(data), want) {
		t.Errorf("apuri.wxs writes no %s", want)
	}
}

// TestShortcutCarriesTheToastIdentity: the table the MSI adds to its Start-menu shortcut gives
// it the AppUserModelID the notifier shows toasts under; any other and Windows shows none.
func TestShortcutCarriesTheToastIdentity(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("windows", "MsiShortcutProperty.idt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\r\n"), "\n")
	if len(lines) != 4 || lines[2] != "MsiShortcutProperty\tMsiShortcutProperty" {
		t.Fatalf("not one row of an MsiShortcutProperty table:\n%s", data)
	}
	row := strings.Split(lines[3], "\t")
	if len(row) != 4 || row[1] != "ApuriShortcut" || row[2] != "System.AppUserModel.ID" || row[3] != notify.AppUserModelID {
		t.Errorf("row %q, want ApuriShortcut's System.AppUserModel.ID = %s", row, notify.AppUserModelID)
	}
}
