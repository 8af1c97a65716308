package agent

import (
	"net/http"
	"sync"
	"time"

	"github.com/apuri-project/apuri/support"
)

// Support requests in the agent (docs/architecture.md). The outbox belongs to the agent, so a
// request keeps going to support with no window open: it is stored before the first attempt,
// retried with back-off while it waits, and sent at once when the watcher sees the connection
// return (OnRestored). The request window only edits the draft, previews what will leave and
// hands the request over, through the endpoints of api_requests.go. Drafts, previews and
// submits are in drafts.go, the outbox's sending in outbox.go, the channels' secrets in secrets.go.

// RequestsConfig configures support requests. Zero fields get real defaults.
type RequestsConfig struct {
	// Dir holds the draft, the remembered contact details, the outbox and the history;
	// default support.DefaultDataDir(). With none, requests are unavailable.
	Dir string
	// Secrets is the keyring of the channels' tokens; default support.Keyring{}.
	Secrets support.Secrets
	// Client sends webhook and RT requests; default a client with a 60 s timeout.
	Client *http.Client
	// Open opens the portal form, mail drafts and folders; default support.OpenDefault.
	Open support.Opener
	// Run runs xdg-email; default support.RunCommand.
	Run support.CommandRunner
	// SaveDir is where bundles and e-mail drafts are saved for the user to attach; default
	// support.DefaultSaveDir().
	SaveDir string
	// Identity is what redaction removes and where the contact name comes from; default
	// support.OSIdentity().
	Identity *support.Identity
	// Logs returns the program's recent log lines for the bundle; nil: only the checks' own.
	Logs func() ([]byte, error)
	// Backoff is the outbox's wait after n failed attempts; default support.DefaultBackoff.
	Backoff func(attempts int) time.Duration
}

// RequestsState is what the agent's state says of requests: those not yet delivered.
type RequestsState struct {
	Pending []support.Entry `json:"pending,omitempty"`
}

// requests is the agent's support-request machinery.
type requests struct {
	a        *Agent
	cfg      RequestsConfig
	store    support.Store
	outbox   *support.Outbox
	channels support.Channels

	mu       sync.Mutex
	previews map[string]*preview
	// submitted maps the previews already submitted to their requests, so that a second click
	// on send returns the first request instead of filing another.
	submitted map[string]string
	timer     *time.Timer
	flushing  bool
	again     bool // a flush was asked for while one ran
	force     bool // ... and it was because the connection returned
	closed    bool
	pending   []support.Entry // guarded by Agent.mu: read by stateLocked
}

// newRequests sets up requests for a and resumes the outbox: requests a previous run left
// (one killed mid-send included) are sent now. Nothing runs when the outbox is empty.
func newRequests(a *Agent) *requests {
	cfg := a.cfg.Requests
	if cfg.Dir == "" {
		cfg.Dir = support.DefaultDataDir()
	}
	if cfg.Secrets == nil {
		cfg.Secrets = support.Keyring{}
	}
	if cfg.Identity == nil {
		id := support.OSIdentity()
		cfg.Identity = &id
	}
	r := &requests{a: a, cfg: cfg, store: support.Store{Dir: cfg.Dir}, previews: map[string]*preview{},
		submitted: map[string]string{}}
	r.channels = support.Channels{Secrets: cfg.Secrets, Client: cfg.Client, Open: cfg.Open, Run: cfg.Run, SaveDir: cfg.SaveDir}
	if cfg.Dir == "" {
		return r
	}
	r.outbox = &support.Outbox{Dir: cfg.Dir, Channel: r.channels.Get, Now: a.cfg.Now, Backoff: cfg.Backoff,
		OnChange: r.changed}
	r.pending = r.outbox.Pending()
	a.OnRestored(func() { r.kick(true) })
	if len(r.pending) > 0 {
		r.kick(false)
	}
	return r
}

func (r *requests) available() error {
	if r == nil || r.outbox == nil {
		return newProblem(KeyUnavailable)
	}
	return nil
}

// changed refreshes the pending list the state carries and tells the subscribers.
func (r *requests) changed() {
	pending := r.outbox.Pending()
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	r.pending = pending
	if !r.a.closed {
		r.a.publishStateLocked()
	}
}

// stateLocked is the requests part of the agent's state; the caller holds Agent.mu.
func (r *requests) stateLocked() RequestsState {
	if r == nil {
		return RequestsState{}
	}
	return RequestsState{Pending: append([]support.Entry(nil), r.pending...)}
}

// Problems of the request endpoints; each key is in every language.
const (
	KeyRequestStore   = "outbox.error.store_failed" // error
	KeyRequestBundle  = "outbox.error.bundle"       // error
	KeyRequestUnknown = "outbox.error.unknown_request"
	KeyRequestChannel = "outbox.error.secret_channel" // channel
)

// RequestKeys lists the keys above, so a test can prove each one is translated.
var RequestKeys = []string{KeyRequestStore, KeyRequestBundle, KeyRequestUnknown, KeyRequestChannel}
