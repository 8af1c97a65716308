package agent

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// dialCounter is an HTTP client that counts every connection it tries to open.
func dialCounter() (*http.Client, *atomic.Int32) {
	var dials atomic.Int32
	d := &net.Dialer{}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return d.DialContext(ctx, network, addr)
	}}}, &dials
}

func fleetProfile(endpoint string) profile.Loaded {
	p := profile.Default()
	p.Fleet = profile.Fleet{OTLPEndpoint: endpoint, Site: "turku-office", Interval: profile.Duration{Duration: time.Hour}}
	return profile.Loaded{Profile: p, Source: profile.Source{Kind: profile.SourceFlag}}
}

// Without [fleet] the agent makes no exporter: the watcher's events and the automatic
// diagnosis go nowhere, no connection is tried and no state file is written.
func TestWithoutFleetNothingIsSent(t *testing.T) {
	client, dials := dialCounter()
	stateDir := t.TempDir()
	var started atomic.Int32
	fw := newFakeWatch()
	a := newTestAgent(t, Config{Watch: fw.run, Fleet: FleetConfig{
		Client: client, StatePath: filepath.Join(stateDir, "fleet.json"), Secrets: &support.MemorySecrets{}},
		traceGoroutine: func(name string, running bool) {
			if running && strings.HasPrefix(name, "fleet") {
				started.Add(1)
			}
		}})
	updates, cancel := a.Subscribe()
	defer cancel()
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	h := <-fw.started
	h.emit(watchEvent(diagnostics.WatchLost, diagnostics.CauseVPNBroken, 0))
	untilDiagnosis(t, updates)
	restored := watchEvent(diagnostics.WatchRestored, diagnostics.CauseVPNBroken, time.Minute)
	restored.Ended = diagnostics.WatchLost
	h.emit(restored)
	untilDiagnosis(t, updates)
	a.Close()
	if n := dials.Load(); n != 0 {
		t.Errorf("%d connections tried without [fleet]", n)
	}
	if n := started.Load(); n != 0 {
		t.Errorf("%d fleet goroutines started without [fleet]", n)
	}
	if a.State().Fleet != nil {
		t.Error("State.Fleet is set without [fleet]")
	}
	if entries, _ := os.ReadDir(stateDir); len(entries) != 0 {
		t.Errorf("files written without [fleet]: %v", entries)
	}
}

// untilDiagnosis waits for the automatic diagnosis' event.
func untilDiagnosis(t *testing.T, updates <-chan Update) {
	t.Helper()
	for untilWatch(t, updates).Event != diagnostics.WatchDiagnosis {
	}
}

// With [fleet] the watcher's events reach the collector, with the keyring's token, and the
// state says who receives them and since when.
func TestFleetSendsTheWatchersEvents(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		if r.URL.Path == "/v1/logs" {
			bodies = append(bodies, string(b))
		}
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer srv.Close()
	secrets := &support.MemorySecrets{}
	if err := secrets.Set(fleet.SecretAccount(srv.URL), "t0ken"); err != nil {
		t.Fatal(err)
	}
	fw := newFakeWatch()
	a := newTestAgent(t, Config{Watch: fw.run, Profile: fleetProfile(srv.URL), Fleet: FleetConfig{
		StatePath: filepath.Join(t.TempDir(), "fleet.json"), Secrets: secrets, MachineID: "m-1",
		SearchDomains: func() []string { return nil }}})
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	h := <-fw.started
	poll.Until(t, "the exporter to start", func() bool { return a.State().Fleet != nil })
	if st := a.State().Fleet; st.Collector != strings.TrimPrefix(srv.URL, "http://") || st.Site != "turku-office" || !st.Since.IsZero() {
		t.Errorf("before any delivery State.Fleet = %+v", st)
	}
	h.emit(watchEvent(diagnostics.WatchLost, diagnostics.CauseVPNBroken, 0))
	restored := watchEvent(diagnostics.WatchRestored, diagnostics.CauseVPNBroken, time.Minute)
	restored.Ended, restored.DurationS = diagnostics.WatchLost, 60
	h.emit(restored) // a restore sends what waits at once
	poll.Until(t, "the lost and restored records at the collector", func() bool {
		mu.Lock()
		defer mu.Unlock()
		all := strings.Join(bodies, "")
		return strings.Contains(all, "lost") && strings.Contains(all, "restored")
	})
	poll.Until(t, "State.Fleet.Since after a delivery", func() bool {
		st := a.State().Fleet
		return st != nil && !st.Since.IsZero()
	})
	mu.Lock()
	defer mu.Unlock()
	for _, au := range auths {
		if au != "Bearer t0ken" {
			t.Errorf("Authorization = %q", au)
		}
	}
}
