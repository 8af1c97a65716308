package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/profile"
)

type fakeAutostart struct{ on bool }

func (f *fakeAutostart) Enabled() (bool, error)   { return f.on, nil }
func (f *fakeAutostart) SetEnabled(on bool) error { f.on = on; return nil }

// TestLocalAgent: without a running agent the window's own one diagnoses with progress, saves
// the settings to the file and opens windows, as the real one would.
func TestLocalAgent(t *testing.T) {
	dir := t.TempDir()
	var opened []string
	auto := &fakeAutostart{}
	la := newLocalAgent(agent.Config{
		Profile: demo.Loaded(true),
		Lang:    "sv",
		Diagnose: func(_ context.Context, p *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report {
			for _, ev := range demo.Progress() {
				progress(ev)
			}
			return demo.ServiceDown()
		},
		SettingsPath: filepath.Join(dir, "settings.json"),
		Autostart:    auto,
		DetectLang:   func(string) string { return "en" },
		OpenWindow: func(name, lang string) error {
			opened = append(opened, name+" "+lang)
			return nil
		},
	})
	t.Cleanup(func() { la.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	st, err := la.State(ctx)
	if err != nil || st.Lang != "sv" || st.Report != nil {
		t.Fatalf("state %+v, %v", st, err)
	}
	l, _ := la.Profile(ctx)
	if len(l.Problems) != len(demo.Problems()) || l.Source.Path != demo.ProfilePath {
		t.Errorf("profile %+v", l)
	}

	var kinds []agent.UpdateKind
	var report *diagnostics.Report
	events := make(chan error, 1)
	subscribed := make(chan struct{})
	go func() {
		events <- la.Events(ctx, func(u agent.Update) {
			if len(kinds) == 0 {
				close(subscribed) // the first update is the whole state, sent on subscribing
			}
			kinds = append(kinds, u.Kind)
			if u.Kind == agent.UpdateState && u.State.Report != nil {
				report = u.State.Report
				cancel()
			}
		})
	}()
	<-subscribed
	if _, err := la.StartDiagnosis(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-events; !errors.Is(err, context.Canceled) {
		t.Errorf("Events ended with %v", err)
	}
	if report == nil || report.Verdict.Cause != diagnostics.CauseServiceDown {
		t.Fatalf("report %+v", report)
	}
	if !slices.Contains(kinds, agent.UpdateProgress) {
		t.Errorf("updates %v carry no progress", kinds)
	}

	saved, err := la.SaveSettings(context.Background(), agent.Settings{Language: "fi", StartAtLogin: true})
	if err != nil || saved.Language != "fi" {
		t.Fatalf("saved %+v, %v", saved, err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "settings.json")); err != nil || len(data) == 0 {
		t.Errorf("settings file: %v", err)
	}
	if !auto.on {
		t.Error("start at login was not turned on")
	}
	if got, _ := la.Settings(context.Background()); got != saved {
		t.Errorf("settings %+v after saving %+v", got, saved)
	}

	if err := la.OpenWindow(context.Background(), WindowHelp); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(opened, []string{"help sv"}) {
		t.Errorf("opened %q, want help in Swedish (the --lang flag wins)", opened)
	}
}

func TestHasDisplay(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("windows and macOS always have a display")
	}
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"X11", map[string]string{"DISPLAY": ":0"}, true},
		{"Wayland", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true},
		{"none", map[string]string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hasDisplay(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("hasDisplay = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunRefusesWithoutDisplayOrWindow(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("windows and macOS always have a display")
	}
	tests := []struct {
		name, window, display, want string
	}{
		{"unknown window", "frobnicate", ":0", "frobnicate"},
		{"no display", WindowDetails, "", "apuri diagnose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DISPLAY", tt.display)
			t.Setenv("WAYLAND_DISPLAY", "")
			var stderr strings.Builder
			if code := run(tt.window, program.Options{Lang: "en"}, &stderr); code != program.ExitUsage {
				t.Errorf("exit code %d, want %d", code, program.ExitUsage)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr.String(), tt.want)
			}
		})
	}
}
