package fleet

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

// The salt is made once per installation: host.id stays the same across restarts, and the
// first delivery's time is kept per collector.
func TestSaltAndFirstExportSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "apuri", "fleet.json")
	s1, err := loadState(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 3, 0, 0, time.UTC)
	if news, err := s1.exported("https://otel.example.org:4318/", at); !news || err != nil {
		t.Fatalf("exported = %v, %v", news, err)
	}
	if news, _ := s1.exported("https://otel.example.org:4318", at.Add(time.Hour)); news {
		t.Error("a second delivery counted as the first")
	}
	s2, err := loadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if s2.salt() != s1.salt() || len(s2.salt()) != 64 {
		t.Errorf("salt changed across a restart: %q, %q", s1.salt(), s2.salt())
	}
	if got := s2.firstExport("https://otel.example.org:4318"); !got.Equal(at) {
		t.Errorf("firstExport = %v, want %v", got, at)
	}
	if got := s2.firstExport("https://other.example.org"); !got.IsZero() {
		t.Errorf("another collector's firstExport = %v, want none", got)
	}
	if HostID(s1.salt(), "m") == HostID("another-installation-salt-000000000000000000", "m") {
		t.Error("two installations of one machine share a host.id")
	}
	if len(HostID(s1.salt(), "m")) != 16 {
		t.Error("host.id is not 16 hex characters")
	}
}

// Without [fleet] there is no exporter: nothing is made and nothing dials.
func TestWithoutAnEndpointNothingIsMadeOrSent(t *testing.T) {
	dir := t.TempDir()
	e, err := New(Config{Fleet: profile.Fleet{Site: "x", Interval: profile.Duration{Duration: time.Minute}},
		StatePath: filepath.Join(dir, "fleet.json")})
	if e != nil || err != nil {
		t.Fatalf("New without an endpoint = %v, %v; want nil, nil", e, err)
	}
	// A nil exporter takes every call and does nothing.
	e.Event(lostEvent("no_link"))
	e.Sample(diagnostics.WatchSample{Gateway: &diagnostics.Quality{LatencyMS: 1}})
	e.NoteReport(&diagnostics.Report{})
	if err := e.Flush(context.Background()); err != nil {
		t.Error(err)
	}
	if st := e.Status(); st != (Status{}) {
		t.Errorf("Status = %+v", st)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*")); len(matches) != 0 {
		t.Errorf("files made without an endpoint: %v", matches)
	}
}
