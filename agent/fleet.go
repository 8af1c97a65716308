package agent

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// FleetConfig says how the agent sends its connectivity events to the organisation's
// collector when the profile's [fleet] asks for it (docs/fleet.md).
type FleetConfig struct {
	// StatePath keeps the installation's salt; default fleet.DefaultStatePath().
	StatePath string
	// Client makes the requests; default one through the proxy the desktop chooses.
	Client *http.Client
	// Secrets holds the collector's token; default the requests' keyring.
	Secrets fleet.Secrets
	// MachineID and SearchDomains replace the system's (tests).
	MachineID     string
	SearchDomains func() []string
}

// fleetCloseWait bounds how long a stopping export may try to deliver what waits.
const fleetCloseWait = 3 * time.Second

// fleeting is the agent's export; guarded by Agent.mu.
type fleeting struct {
	exp   *fleet.Exporter // nil while the profile asks for none
	cfg   profile.Fleet   // what exp was made for
	gen   uint64
	shown fleet.Status // what the state last said
}

// startFleetLocked follows the profile's [fleet]: it makes the exporter the profile asks for,
// on a goroutine of its own (reading the machine ID may take a moment), and stops one the
// profile no longer asks for. Without [fleet] otlp_endpoint nothing is made and nothing sent.
func (a *Agent) startFleetLocked() {
	want := a.loaded.Profile.Fleet
	if a.fleet.exp != nil && reflect.DeepEqual(a.fleet.cfg, want) {
		return
	}
	a.fleet.gen++
	a.stopFleetLocked()
	a.fleet.cfg = want
	if !want.Enabled() {
		return
	}
	gen, cfg := a.fleet.gen, a.cfg.Fleet
	secrets := cfg.Secrets
	if secrets == nil && a.requests != nil {
		secrets = a.requests.cfg.Secrets
	}
	a.goroutines.Go("fleet start", func() {
		exp, err := fleet.New(fleet.Config{
			Fleet: want, Version: program.Version, StatePath: cfg.StatePath, Secrets: secrets,
			Client: cfg.Client, MachineID: cfg.MachineID, SearchDomains: cfg.SearchDomains,
			Now: a.cfg.Now, Changed: a.fleetChanged,
		})
		if err != nil {
			slog.Warn("fleet: the export could not start", "error", err)
			return
		}
		a.mu.Lock()
		if a.closed || gen != a.fleet.gen {
			a.mu.Unlock()
			_ = exp.Close(context.Background()) // made for a profile no longer in use
			return
		}
		a.fleet.exp = exp
		a.publishStateLocked()
		a.mu.Unlock()
	})
}

// stopFleetLocked closes the running export on a goroutine Close waits for.
func (a *Agent) stopFleetLocked() {
	exp := a.fleet.exp
	a.fleet.exp = nil
	if exp == nil {
		return
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), fleetCloseWait)
		defer cancel()
		_ = exp.Close(ctx)
	}
	if !a.goroutines.Go("fleet stop", stop) {
		go stop() // never under Agent.mu: the exporter's last delivery tells fleetChanged
	}
}

// fleetChanged publishes the state when what the settings window shows of the export changed.
func (a *Agent) fleetChanged() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed || a.fleet.exp == nil {
		return
	}
	if st := a.fleet.exp.Status(); st != a.fleet.shown {
		a.publishStateLocked()
	}
}

// fleetStatusLocked is State.Fleet: nil while nothing is exported.
func (a *Agent) fleetStatusLocked() *fleet.Status {
	if a.fleet.exp == nil {
		return nil
	}
	st := a.fleet.exp.Status()
	a.fleet.shown = st
	return &st
}
