//go:build linux

package windows_test

import (
	"debug/pe"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

// windowsBuild is `make msi`, which builds the Windows programs first; the Windows and the
// MSI tests share it.
var windowsBuild pkgtest.Once

// windowsDist builds the Windows programs and the MSI once per run and returns their directory.
func windowsDist(tb testing.TB) string {
	tb.Helper()
	pkgtest.NeedBuilds(tb)
	need(tb, "make", "x86_64-w64-mingw32-gcc", "wixl")
	windowsBuild.Make(tb, "msi", windowsBuildDir())
	return filepath.Join(windowsBuildDir(), "windows")
}

func windowsBuildDir() string { return filepath.Join(shared, "msi") }

var windowsPrograms = []struct {
	exe, description string
}{
	{"apuri.exe", "Apuri"},
	{"apuri-window.exe", "Apuri window"},
}

// TestWindowsPrograms: both programs are 64-bit x86 GUI-subsystem programs (the agent starts at
// sign-in and must not open a console window) that carry the icon, a manifest and the version
// of FyneApp.toml.
func TestWindowsPrograms(t *testing.T) {
	dir := windowsDist(t)
	app := pkgtest.ReadFyneApp(t)
	fileVersion := app.Details.Version + "." + strconv.Itoa(app.Details.Build)
	for _, p := range windowsPrograms {
		t.Run(p.exe, func(t *testing.T) {
			path := filepath.Join(dir, p.exe)
			f, err := pe.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
				t.Errorf("machine %#x, want x86-64", f.Machine)
			}
			oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
			if !ok {
				t.Fatalf("not PE32+: %T", f.OptionalHeader)
			}
			if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
				t.Errorf("subsystem %d, want the Windows GUI subsystem (%d)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
			}

			res := readResources(t, path)
			if _, ok := res.GroupIcon["APP"]; !ok {
				t.Errorf("no APP icon: %v", res.GroupIcon)
			}
			for _, m := range res.Manifest["#1"] {
				if m.DPIAwareness != "per monitor v2" || m.MinimumOS != "win10" {
					t.Errorf("manifest: dpi-awareness %q, minimum-os %q", m.DPIAwareness, m.MinimumOS)
				}
			}
			versions := res.Version["#1"]
			if len(versions) == 0 || len(res.Manifest["#1"]) == 0 {
				t.Fatalf("no version information or manifest: %+v", res)
			}
			for _, v := range versions {
				if v.Fixed.FileVersion != fileVersion {
					t.Errorf("file version %q, want %q (FyneApp.toml Version.Build)", v.Fixed.FileVersion, fileVersion)
				}
				for _, info := range v.Info {
					want := map[string]string{"ProductName": app.Details.Name, "OriginalFilename": p.exe,
						"FileDescription": p.description, "FileVersion": fileVersion}
					for k, w := range want {
						if info[k] != w {
							t.Errorf("%s = %q, want %q", k, info[k], w)
						}
					}
				}
			}
		})
	}
}

// resources is what go-winres extract reads back from a program.
type resources struct {
	GroupIcon map[string]map[string]any `json:"RT_GROUP_ICON"`
	Manifest  map[string]map[string]struct {
		DPIAwareness string `json:"dpi-awareness"`
		MinimumOS    string `json:"minimum-os"`
	} `json:"RT_MANIFEST"`
	Version map[string]map[string]struct {
		Fixed struct {
			FileVersion string `json:"file_version"`
		} `json:"fixed"`
		Info map[string]map[string]string `json:"info"`
	} `json:"RT_VERSION"`
}

func readResources(tb testing.TB, exe string) resources {
	tb.Helper()
	out := tb.TempDir()
	cmd := exec.Command("go", "tool", "go-winres", "extract", "--dir", out, exe)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go-winres extract: %v\n%s", err, b)
	}
	data, err := os.ReadFile(filepath.Join(out, "winres.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var r resources
	if err := json.Unmarshal(data, &r); err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestWindowsProgramsRunUnderWine runs both programs' command lines under Wine: they start,
// read a profile and answer.
func TestWindowsProgramsRunUnderWine(t *testing.T) {
	dir := windowsDist(t)
	w := sharedWine(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"apuri version", []string{filepath.Join(dir, "apuri.exe"), "version"}, "apuri " + testVersion},
		{"apuri profile check", []string{filepath.Join(dir, "apuri.exe"), "profile", "check",
			windowsPath(filepath.Join(root, "packaging", "profiles", "generic.toml"))}, "generic.toml"},
		{"apuri-window version", []string{filepath.Join(dir, "apuri-window.exe"), "version"}, "apuri " + testVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := w.run("wine", tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output %q, want %q in it", out, tt.want)
			}
		})
	}
}
