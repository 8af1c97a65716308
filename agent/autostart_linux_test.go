package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestXDGAutostart(t *testing.T) {
	tests := []struct {
		name       string
		system     bool // IT installed a system-wide entry
		exe        string
		wantExec   string
		offLeaves  bool // turning off leaves a hiding user entry
		wantHidden bool
	}{
		{"plain path", false, "/usr/bin/apuri", "Exec=/usr/bin/apuri", false, false},
		{"path with a space", false, "/opt/My Apps/apuri", `Exec="/opt/My Apps/apuri"`, false, false},
		{"path with quote and dollar", false, `/opt/a"b$c/apuri`, `Exec="/opt/a\\"b\\$c/apuri"`, false, false},
		{"system entry is hidden, not removed", true, "/usr/bin/apuri", "Exec=/usr/bin/apuri", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "autostart")
			sysDir := t.TempDir()
			if tt.system {
				if err := os.WriteFile(filepath.Join(sysDir, DesktopFileName), desktopEntry("/usr/bin/apuri", false), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			x := &XDGAutostart{Dir: dir, SystemDirs: []string{sysDir}, Exec: tt.exe}
			if on, err := x.Enabled(); err != nil || on != tt.system {
				t.Fatalf("before: Enabled() = %v, %v; want %v", on, err, tt.system)
			}
			if err := x.SetEnabled(true); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, DesktopFileName))
			if err != nil {
				t.Fatal(err)
			}
			entry := string(data)
			for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Name=Apuri\n", tt.wantExec + "\n", "Comment[fi]="} {
				if !strings.Contains(entry, want) {
					t.Errorf("entry lacks %q:\n%s", want, entry)
				}
			}
			if on, err := x.Enabled(); err != nil || !on {
				t.Errorf("after enabling: Enabled() = %v, %v", on, err)
			}
			if err := x.SetEnabled(false); err != nil {
				t.Fatal(err)
			}
			data, err = os.ReadFile(filepath.Join(dir, DesktopFileName))
			if exists := err == nil; exists != tt.offLeaves {
				t.Errorf("after disabling the user entry exists: %v, want %v", exists, tt.offLeaves)
			}
			if hidden := strings.Contains(string(data), "Hidden=true\n"); hidden != tt.wantHidden {
				t.Errorf("Hidden=true present: %v, want %v", hidden, tt.wantHidden)
			}
			if on, err := x.Enabled(); err != nil || on {
				t.Errorf("after disabling: Enabled() = %v, %v", on, err)
			}
			if err := x.SetEnabled(false); err != nil {
				t.Errorf("disabling twice: %v", err)
			}
		})
	}
}

func TestXDGAutostartDefaultsToXDGConfigHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("XDG_CONFIG_DIRS", t.TempDir())
	x := &XDGAutostart{Exec: "/usr/bin/apuri"}
	if err := x.SetEnabled(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(home, "autostart", "apuri.desktop")); err != nil {
		t.Errorf("entry not in $XDG_CONFIG_HOME/autostart: %v", err)
	}
}

func TestQuoteExecArg(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "/usr/bin/apuri", "/usr/bin/apuri"},
		{"space", "/a b/apuri", `"/a b/apuri"`},
		{"percent is doubled", "/a%b", "/a%%b"},
		{"backslash", `/a\b`, `"/a\\b"`},
		{"backtick", "/a`b", "\"/a\\`b\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quoteExecArg(tt.in); got != tt.want {
				t.Errorf("quoteExecArg(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
