package selfhelp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// softwareCentreBin makes a PATH directory holding the named programs as executables.
func softwareCentreBin(t *testing.T, programs ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range programs {
		writeFile(t, filepath.Join(bin, p), "#!/bin/sh\nexit 0\n", 0o755)
	}
	return bin
}

func TestOpenUpdates(t *testing.T) {
	both := softwareCentreBin(t, "gnome-software", "plasma-discover")
	gnome := softwareCentreBin(t, "gnome-software")
	kde := softwareCentreBin(t, "plasma-discover")
	// Neither: one is there but may not be run, the other is a directory.
	neither := softwareCentreBin(t)
	writeFile(t, filepath.Join(neither, "gnome-software"), "#!/bin/sh\n", 0o644)
	if err := os.Mkdir(filepath.Join(neither, "plasma-discover"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		os   string
		env  map[string]string
		cmds []string // nil: no button, nothing started
	}{
		{name: "Windows: Windows Update in Settings, through the shell's protocol handler", os: "windows",
			cmds: []string{"start: rundll32 url.dll,FileProtocolHandler ms-settings:windowsupdate"}},
		{name: "macOS: Software Update", os: "darwin",
			cmds: []string{"start: open x-apple.systempreferences:com.apple.preferences.softwareupdate"}},
		{name: "Linux with GNOME Software: its updates view", os: "linux",
			env:  map[string]string{"PATH": gnome},
			cmds: []string{"start: " + filepath.Join(gnome, "gnome-software") + " --mode=updates"}},
		{name: "Linux with KDE Discover: its updates view", os: "linux",
			env:  map[string]string{"PATH": "/nonexistent:" + kde},
			cmds: []string{"start: " + filepath.Join(kde, "plasma-discover") + " --mode update"}},
		{name: "Linux with both on GNOME: GNOME Software", os: "linux",
			env:  map[string]string{"PATH": both, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"},
			cmds: []string{"start: " + filepath.Join(both, "gnome-software") + " --mode=updates"}},
		{name: "Linux with both on KDE: Discover", os: "linux",
			env:  map[string]string{"PATH": both, "XDG_CURRENT_DESKTOP": "KDE"},
			cmds: []string{"start: " + filepath.Join(both, "plasma-discover") + " --mode update"}},
		{name: "Linux with both on another desktop: GNOME Software", os: "linux",
			env:  map[string]string{"PATH": both, "XDG_CURRENT_DESKTOP": "XFCE"},
			cmds: []string{"start: " + filepath.Join(both, "gnome-software") + " --mode=updates"}},
		{name: "Linux with neither: no button", os: "linux",
			env: map[string]string{"PATH": neither + ":/nonexistent", "XDG_CURRENT_DESKTOP": "GNOME"}},
		{name: "Linux with one only in a relative PATH entry: not run from there", os: "linux",
			env: map[string]string{"PATH": relativeTo(t, both)}},
		{name: "Linux without PATH: no button", os: "linux"},
		{name: "another system: no button", os: "plan9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &cmdLog{}
			r := &Remedies{OS: tt.os, Run: log.runner("run"), Start: log.runner("start"),
				Getenv: func(k string) string { return tt.env[k] }}
			if got, want := r.CanOpenUpdates(), tt.cmds != nil; got != want {
				t.Fatalf("CanOpenUpdates = %v, want %v", got, want)
			}
			err := r.Do(context.Background(), Action{Kind: ActionOpenUpdates})
			if tt.cmds == nil {
				if !errors.Is(err, ErrUnsupported) {
					t.Errorf("err = %v, want ErrUnsupported", err)
				}
			} else if err != nil {
				t.Fatalf("err = %v", err)
			}
			if got := log.got(); !reflect.DeepEqual(got, tt.cmds) {
				t.Errorf("commands = %q, want %q", got, tt.cmds)
			}
		})
	}
}

// relativeTo names dir relative to the working directory, as a PATH entry that must be skipped.
func relativeTo(t *testing.T, dir string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func TestOpenUpdatesFailureIsReported(t *testing.T) {
	log := &cmdLog{err: errors.New("exec: \"open\": executable file not found in $PATH")}
	r := &Remedies{OS: "darwin", Start: log.runner("start")}
	err := r.OpenUpdates(context.Background())
	if err == nil || !errors.Is(err, log.err) {
		t.Fatalf("err = %v, want the start's failure", err)
	}
	if m := ErrorMessage(err); m.Key != "selfhelp.error.failed" {
		t.Errorf("ErrorMessage = %+v", m)
	}
}
