//go:build linux

package fleet_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/profile"
)

// A simulated computer is Apuri's own exporter, fleet.Exporter, built by fleet.New as the
// agent builds it from a profile's [fleet] table: the same resource, salted host.id, metrics,
// log records, buffer and OTLP/HTTP requests a desktop sends. Only what the desktop would read
// from the system is given: the machine ID, the state file's place and the network's search
// domains.

// computerConfig is one simulated computer's place in the fleet.
type computerConfig struct {
	endpoint string // host:port of the collector's OTLP/HTTP receiver
	site     string
	index    int    // makes the machine ID, so each computer is a host.id of its own
	dir      string // holds the computers' state files (the salt of host.id)
	// client is shared by every computer, as the connections of many computers would be.
	client *http.Client
}

// reportInterval is the profile's [fleet] interval the simulated computers have: the longest
// the profile allows, so that the test, through Flush, decides when a computer reports rather
// than a timer in the middle of a measurement.
const reportInterval = time.Hour

// newComputer starts a simulated computer's exporter.
func newComputer(cfg computerConfig) (*fleet.Exporter, error) {
	e, err := fleet.New(fleet.Config{
		Fleet: profile.Fleet{OTLPEndpoint: "http://" + cfg.endpoint, Site: cfg.site,
			Interval: profile.Duration{Duration: reportInterval}},
		Version:       "1.4.0",
		StatePath:     filepath.Join(cfg.dir, fmt.Sprintf("fleet-%d.json", cfg.index)),
		Client:        cfg.client,
		MachineID:     fmt.Sprintf("%032x", uint64(cfg.index)*0x9e3779b97f4a7c15),
		SearchDomains: func() []string { return nil },
	})
	if err != nil {
		return nil, err
	}
	// The tunnel a diagnosis found: the records name its client (openvpn), never the interface.
	e.NoteReport(&diagnostics.Report{Checks: []diagnostics.Result{{ID: diagnostics.IDVPNTunnel,
		Details: map[string]any{diagnostics.DetailInterfaces: []string{"tun0"}}}}})
	return e, nil
}

// send has a computer see one connectivity event and a sample of the path's quality, as its
// watcher would hand them over, and send what it has now.
func send(ctx context.Context, e *fleet.Exporter, kind diagnostics.WatchEventKind, cause diagnostics.Cause, gatewayMs, internetMs, lossPct float64) error {
	now := time.Now()
	ev := diagnostics.WatchEvent{Time: now, Event: kind, Cause: cause, Status: diagnostics.StatusOK}
	if kind == diagnostics.WatchLost {
		ev.Status, ev.Since = diagnostics.StatusFail, now
		ev.Verdict = &diagnostics.Verdict{Cause: cause, Status: diagnostics.StatusFail,
			Evidence: []string{diagnostics.IDVPNInternal, diagnostics.IDInternet}}
	}
	e.Event(ev)
	e.Sample(diagnostics.WatchSample{Time: now, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK,
		Gateway:  &diagnostics.Quality{LatencyMS: gatewayMs, LossPercent: lossPct},
		Internet: &diagnostics.Quality{LatencyMS: internetMs}})
	return e.Flush(ctx)
}
