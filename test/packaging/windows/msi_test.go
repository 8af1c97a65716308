//go:build linux

package windows_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/notify"
	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

// msiPath is the MSI `make msi` wrote.
func msiPath(tb testing.TB) string {
	tb.Helper()
	dir := windowsDist(tb)
	need(tb, "msiinfo", "msiextract")
	app := pkgtest.ReadFyneApp(tb)
	path := filepath.Join(dir, "apuri-"+app.Details.Version+"-x64.msi")
	info, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: %.1f MB", filepath.Base(path), float64(info.Size())/1e6)
	return path
}

// msiTable reads one table of the MSI as rows of column name → value (msiinfo export).
func msiTable(tb testing.TB, msi, table string) []map[string]string {
	tb.Helper()
	lines := strings.Split(strings.TrimRight(command(tb, "msiinfo", "export", msi, table), "\r\n"), "\n")
	if len(lines) < 3 {
		tb.Fatalf("table %s: %q", table, lines)
	}
	cols := strings.Split(strings.TrimRight(lines[0], "\r"), "\t")
	var rows []map[string]string
	for _, line := range lines[3:] { // names, types, table name and keys
		fields := strings.Split(strings.TrimRight(line, "\r"), "\t")
		row := map[string]string{}
		for i, c := range cols {
			if i < len(fields) {
				row[c] = fields[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// hasRow reports whether some row has every column of want.
func hasRow(rows []map[string]string, want map[string]string) bool {
	for _, r := range rows {
		match := true
		for k, v := range want {
			if r[k] != v {
				match = false
			}
		}
		if match {
			return true
		}
	}
	return false
}

func TestMSIContents(t *testing.T) {
	msi := msiPath(t)
	app := pkgtest.ReadFyneApp(t)
	runKeyPath, runValueName, runValue := agent.RunKeyPath, agent.RunValueName, agent.RunValueData("[INSTALLDIR]apuri.exe")
	tests := []struct {
		table string
		want  map[string]string
	}{
		{"Directory", map[string]string{"Directory": "INSTALLDIR", "Directory_Parent": "ProgramFiles64Folder", "DefaultDir": "Apuri"}},
		{"File", map[string]string{"File": "apuri.exe", "FileName": "apuri.exe", "Component_": "AgentProgram"}},
		{"File", map[string]string{"FileName": "apuri-window.exe", "Component_": "WindowProgram"}},
		{"Component", map[string]string{"Component": "AgentProgram", "Directory_": "INSTALLDIR"}},
		{"Component", map[string]string{"Component": "WindowProgram", "Directory_": "INSTALLDIR"}},
		{"Shortcut", map[string]string{"Shortcut": "ApuriShortcut", "Directory_": "ProgramMenuFolder", "Name": "Apuri", "Target": "[INSTALLDIR]apuri.exe"}},
		// The identity the toasts are shown under, carried by that shortcut.
		{"MsiShortcutProperty", map[string]string{"Shortcut_": "ApuriShortcut", "PropertyKey": "System.AppUserModel.ID", "PropVariantValue": notify.AppUserModelID}},
		// The Run value that agent.RunKey writes and reads: HKCU (root 1), its key, name and data.
		{"Registry", map[string]string{"Root": "1", "Key": runKeyPath, "Name": runValueName, "Value": runValue, "Component_": "Autostart"}},
		{"FeatureComponents", map[string]string{"Feature_": "Autostart", "Component_": "Autostart"}},
		{"FeatureComponents", map[string]string{"Feature_": "Apuri", "Component_": "StartMenuShortcut"}},
		{"Property", map[string]string{"Property": "ProductVersion", "Value": app.Details.Version}},
		{"Property", map[string]string{"Property": "ProductName", "Value": app.Details.Name}},
		{"Property", map[string]string{"Property": "ALLUSERS", "Value": "1"}},
	}
	tables := map[string][]map[string]string{}
	for _, tt := range tests {
		t.Run(tt.table+" "+strings.Join(values(tt.want), " "), func(t *testing.T) {
			if tables[tt.table] == nil {
				tables[tt.table] = msiTable(t, msi, tt.table)
			}
			if !hasRow(tables[tt.table], tt.want) {
				t.Errorf("no row %v in %v", tt.want, tables[tt.table])
			}
		})
	}
	if info := command(t, "msiinfo", "suminfo", msi); !strings.Contains(info, "Template: x64;1033") {
		t.Errorf("not a 64-bit package:\n%s", info)
	}

	out := t.TempDir()
	listed := command(t, "msiextract", "--directory", out, msi)
	for _, exe := range []string{"apuri.exe", "apuri-window.exe"} {
		if !strings.Contains(listed, "Apuri/"+exe) {
			t.Errorf("msiextract does not list Apuri/%s:\n%s", exe, listed)
		}
		if !sameFile(t, filepath.Join(out, "Apuri", exe), filepath.Join(filepath.Dir(msi), exe)) {
			t.Errorf("the MSI's %s is not the one make windows built", exe)
		}
	}
}

// TestMSIInstallsUnderWine installs the MSI in a Wine prefix as an administrator would
// (msiexec /i /qn), runs the installed program and uninstalls it again.
func TestMSIInstallsUnderWine(t *testing.T) {
	msi := msiPath(t)
	w := sharedWine(t)
	runKeyPath, runValueName, runValue := agent.RunKeyPath, agent.RunValueName, agent.RunValueData(`C:\Program Files\Apuri\apuri.exe`)
	runKeyHKCU := `HKCU\` + runKeyPath
	installDir := w.cDrive(`C:\Program Files\Apuri`)

	if _, err := w.run("wine", "msiexec", "/i", windowsPath(msi), "/qn"); err != nil {
		t.Fatal(err)
	}
	for _, exe := range []string{"apuri.exe", "apuri-window.exe"} {
		if !sameFile(t, filepath.Join(installDir, exe), filepath.Join(filepath.Dir(msi), exe)) {
			t.Errorf("Program Files\\Apuri\\%s is not the built program", exe)
		}
	}
	shortcuts, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "*", "*", "AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "Apuri.lnk"))
	common, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "ProgramData", "Microsoft", "Windows", "Start Menu", "Programs", "Apuri.lnk"))
	if len(shortcuts)+len(common) == 0 {
		t.Error("no Apuri shortcut in the Start menu")
	}
	out, err := w.run("wine", "reg", "query", runKeyHKCU, "/v", runValueName)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "REG_SZ") || !strings.Contains(out, runValue) {
		t.Errorf("Run value:\n%s\nwant %s = %s, as Apuri's own setting writes it", out, runValueName, runValue)
	}
	if out, err := w.run("wine", `C:\Program Files\Apuri\apuri.exe`, "version"); err != nil || !strings.Contains(out, testVersion) {
		t.Errorf("installed apuri.exe version = %q, %v", out, err)
	}

	if _, err := w.run("wine", "msiexec", "/x", windowsPath(msi), "/qn"); err != nil {
		t.Fatal(err)
	}
	for _, exe := range []string{"apuri.exe", "apuri-window.exe"} {
		if _, err := os.Stat(filepath.Join(installDir, exe)); err == nil {
			t.Errorf("%s is still installed after msiexec /x", exe)
		}
	}
	if out, err := w.run("wine", "reg", "query", runKeyHKCU, "/v", runValueName); err == nil {
		t.Errorf("the Run value is still there after msiexec /x:\n%s", out)
	}
}

func sameFile(tb testing.TB, a, b string) bool {
	tb.Helper()
	sum := func(p string) []byte {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		s := sha256.Sum256(data)
		return s[:]
	}
	return bytes.Equal(sum(a), sum(b))
}

func values(m map[string]string) []string {
	var vs []string
	for _, k := range []string{"Directory", "File", "FileName", "Component", "Property", "Feature_", "Component_", "Name", "Key"} {
		if v, ok := m[k]; ok {
			vs = append(vs, v)
		}
	}
	return vs
}
