package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/timeline"
)

// Where no agent runs, `apuri watch` sends its watcher's events to the collector the
// profile's [fleet] names, and what waits is sent as it ends.
func TestWatchWithoutAnAgentSendsToTheFleet(t *testing.T) {
	var mu sync.Mutex
	var logs []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/v1/logs" {
			logs = append(logs, string(b))
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "profile.toml")
	toml := "schema = 1\n[fleet]\notlp_endpoint = \"" + srv.URL + "\"\nsite = \"turku-office\"\n"
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	useWatchDeps(t, scriptedWatch, noAgent, timeline.Open(filepath.Join(dir, "timeline.db")))
	var made *fleet.Exporter
	watchDeps.fleet = func(f profile.Fleet) (*fleet.Exporter, error) {
		e, err := fleet.New(fleet.Config{Fleet: f, Version: program.Version, MachineID: "m-1",
			StatePath: filepath.Join(dir, "fleet.json"), SearchDomains: func() []string { return nil }})
		made = e
		return e, err
	}
	code, _, errOut := run(t, noRoute, "--profile", path, "watch", "--json")
	if code != program.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if made == nil {
		t.Fatal("no exporter was made for a profile with [fleet]")
	}
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(logs, "")
	for _, want := range []string{"lost", "restored", "diagnosis", "turku-office"} {
		if !strings.Contains(all, want) {
			t.Errorf("the collector got no %q", want)
		}
	}
}
