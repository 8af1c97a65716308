// Package fleet sends, when the organisation's profile asks for it ([fleet] otlp_endpoint),
// the connectivity events of this computer to the organisation's OpenTelemetry collector over
// OTLP/HTTP: how many times the connection was lost, restored or degraded and why, and the
// latency and loss the watcher measures. The organisation sees a disruption at a site from
// many computers before anyone calls. What is sent and what never is: docs/fleet.md.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// Config is what an Exporter is built from; zero fields get real defaults.
type Config struct {
	// Fleet is the profile's [fleet] table; without an endpoint there is no Exporter.
	Fleet profile.Fleet
	// Version is Apuri's, service.version.
	Version string
	// StatePath keeps the salt and the first export's time; default DefaultStatePath().
	StatePath string
	// Secrets holds the collector's token under SecretAccount; nil: no token is sent.
	Secrets Secrets
	// Client makes the requests; default one through the proxy the desktop chooses.
	Client *http.Client
	// MachineID is the OS's machine ID; default MachineID().
	MachineID string
	// SearchDomains are the network's DNS search domains for site = "auto"; default
	// SearchDomains, read at each event since a laptop moves.
	SearchDomains func() []string
	// MaxBuffered bounds the records kept while offline; default DefaultMaxBuffered.
	MaxBuffered int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Changed is told, on the exporter's goroutines, whenever Status changed.
	Changed func()
}

// Status is what the settings window says about the export.
type Status struct {
	// Collector is the endpoint's host: who receives the data.
	Collector string `json:"collector"`
	// Site is the site the latest data was sent for.
	Site string `json:"site"`
	// Since is when data first reached this collector; zero until it has.
	Since time.Time `json:"since,omitzero"`
	// Waiting counts the event records kept for the collector; Dropped those the bound lost.
	Waiting int `json:"waiting,omitempty"`
	Dropped int `json:"dropped,omitempty"`
}

// Exporter sends one computer's connectivity events. Its methods are safe for concurrent use.
type Exporter struct {
	cfg    Config
	hostID string
	state  *state
	buf    *buffer
	client *http.Client // the exporters' client, with the token

	mu     sync.Mutex
	closed bool
	site   string
	pipe   *pipeline // the SDK's providers for the current site
	// retiring counts the providers of sites left behind that are still sending what they
	// held; Close waits for them before it ends the buffer they send through.
	retiring sync.WaitGroup
	vpn      string // the latest report's VPN client
}

// New starts the export a profile asks for. Without [fleet] otlp_endpoint it returns nil and
// makes nothing: no file, no goroutine, no connection.
func New(cfg Config) (*Exporter, error) {
	if !cfg.Fleet.Enabled() {
		return nil, nil
	}
	quietSDK.Do(func() {
		// The SDK reports each failed export on its own; offline that is once a minute, and
		// Status already says what waits. The log keeps them for whoever debugs.
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { slog.Debug("fleet: export", "error", err) }))
	})
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SearchDomains == nil {
		cfg.SearchDomains = SearchDomains
	}
	if cfg.MaxBuffered <= 0 {
		cfg.MaxBuffered = DefaultMaxBuffered
	}
	if cfg.StatePath == "" {
		cfg.StatePath = DefaultStatePath()
	}
	if cfg.MachineID == "" {
		cfg.MachineID = MachineID(context.Background())
	}
	u, err := url.Parse(cfg.Fleet.OTLPEndpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("fleet: the endpoint %q is no address", cfg.Fleet.OTLPEndpoint)
	}
	st, err := loadState(cfg.StatePath)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	e := &Exporter{cfg: cfg, hostID: HostID(st.salt(), cfg.MachineID), state: st, vpn: VPNClientNone}
	client := cfg.Client
	if client == nil {
		client = netproxy.Client(0)
	}
	c := *client
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = &bearer{base: base, secrets: cfg.Secrets, account: SecretAccount(cfg.Fleet.OTLPEndpoint)}
	c.Timeout = exportTimeout
	logs, err := newLogExporter(u, &c)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	e.buf = &buffer{next: logs, max: cfg.MaxBuffered, delivered: e.delivered, changed: e.changed}
	e.client = &c
	e.site = Site(cfg.Fleet, cfg.SearchDomains())
	if e.pipe, err = e.newPipeline(u, e.site); err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	return e, nil
}

var quietSDK sync.Once

// exportTimeout bounds one request to the collector.
const exportTimeout = 10 * time.Second

// delivered notes the first delivery to this collector.
func (e *Exporter) delivered() {
	if news, err := e.state.exported(e.cfg.Fleet.OTLPEndpoint, e.cfg.Now()); news || err != nil {
		e.changed()
	}
}

func (e *Exporter) changed() {
	if e.cfg.Changed != nil {
		e.cfg.Changed()
	}
}

// Status says who receives the data, for which site, since when, and what waits.
func (e *Exporter) Status() Status {
	if e == nil {
		return Status{}
	}
	e.mu.Lock()
	site := e.site
	e.mu.Unlock()
	waiting, dropped := e.buf.counts()
	return Status{Collector: hostOf(e.cfg.Fleet.OTLPEndpoint), Site: site, Since: e.state.firstExport(e.cfg.Fleet.OTLPEndpoint),
		Waiting: waiting, Dropped: dropped}
}

// HostID is the host.id this installation sends.
func (e *Exporter) HostID() string { return e.hostID }

// current is the pipeline for the site the computer is at now: with site = "auto" a laptop
// that moved gets a new one, since apuri.site is a resource attribute.
func (e *Exporter) current() (*pipeline, string) {
	site := Site(e.cfg.Fleet, e.cfg.SearchDomains())
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, ""
	}
	if site != e.site {
		old := e.pipe
		u, _ := url.Parse(e.cfg.Fleet.OTLPEndpoint)
		p, err := e.newPipeline(u, site)
		if err == nil {
			e.pipe, e.site = p, site
			e.retiring.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
				defer cancel()
				_ = old.shutdown(ctx)
			})
		}
	}
	return e.pipe, e.site
}

// Flush sends what waits now: the connection came back.
func (e *Exporter) Flush(ctx context.Context) error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	p := e.pipe
	e.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.flush(ctx)
}

// Close sends what it can within ctx and stops. Records still undelivered are lost: a
// restart does not resend them (the counters carry the totals anyway).
func (e *Exporter) Close(ctx context.Context) error {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	p := e.pipe
	e.mu.Unlock()
	err := p.shutdown(ctx)
	e.retiring.Wait()
	err = errors.Join(err, e.buf.Shutdown(ctx))
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// NoteReport keeps the VPN client of a finished diagnosis for the events that follow.
func (e *Exporter) NoteReport(r *diagnostics.Report) {
	if e == nil || r == nil {
		return
	}
	e.mu.Lock()
	e.vpn = VPNClient(r)
	e.mu.Unlock()
}

func (e *Exporter) vpnClient() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.vpn
}

// hostOf is an endpoint's host, for the settings window.
func hostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(endpoint)
}
