package agent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/apuri-project/apuri/profile"
)

// The local API (HTTP + JSON over the agent's Unix socket). Versioned paths; errors are
// {"error": Problem} with a translation key, so the windows show them in the user's language.
const (
	PathState    = "/v1/state"    // GET: State
	PathDiagnose = "/v1/diagnose" // POST: start or join a diagnosis → 202 DiagnoseStarted; ?wait=1 → 200 Report
	PathEvents   = "/v1/events"   // GET: newline-delimited Updates until the client goes away
	PathProfile  = "/v1/profile"  // GET: ProfileInfo
	PathSettings = "/v1/settings" // GET: Settings; PUT Settings → Settings
	PathOpen     = "/v1/open"     // POST OpenRequest → 202 OpenRequest
	PathQuit     = "/v1/quit"     // POST → 202 {}
)

// DiagnoseStarted answers POST /v1/diagnose: the run's number, and whether it was running already.
type DiagnoseStarted struct {
	Run    uint64 `json:"run"`
	Joined bool   `json:"joined"`
}

// OpenRequest is the body of POST /v1/open.
type OpenRequest struct {
	Window string `json:"window"`
}

// ProfileInfo is the body of GET /v1/profile: profile.Loaded in JSON.
type ProfileInfo struct {
	Profile  *profile.Profile  `json:"profile"`
	Source   ProfileSource     `json:"source"`
	Problems []profile.Problem `json:"problems"`
}

// ProfileSource is profile.Source in JSON.
type ProfileSource struct {
	Kind string `json:"kind"`
	Path string `json:"path,omitempty"`
}

// Loaded turns the wire form back into what profile.Resolve returns.
func (p ProfileInfo) Loaded() profile.Loaded {
	return profile.Loaded{
		Profile:  p.Profile,
		Source:   profile.Source{Kind: p.Source.Kind, Path: p.Source.Path},
		Problems: p.Problems,
	}
}

// errorBody is how every API error travels.
type errorBody struct {
	Error Problem `json:"error"`
}

// maxBody bounds request bodies; the largest real one is a few hundred bytes.
const maxBody = 64 << 10

// streamWriteTimeout drops an event stream whose reader stopped reading, so that a stuck window
// cannot pin a goroutine and its buffers for ever. Armed only during a write.
const streamWriteTimeout = 10 * time.Second

// Server serves an agent's local API.
type Server struct {
	agent *Agent
	// PeerCheck vets each connection before any byte of it is read; a refused connection is
	// closed. Default: on Linux the peer's uid (SO_PEERCRED) must be ours; elsewhere the
	// socket's mode and private directory decide.
	PeerCheck func(net.Conn) error
	// Log receives refused connections and failed writes; default slog.Default().
	Log *slog.Logger

	once sync.Once
	srv  *http.Server
}

// NewServer returns the API server of a.
func NewServer(a *Agent) *Server {
	return &Server{agent: a}
}

// Serve answers on ln until the agent or the server is closed; then it returns nil. When the
// agent closes, Serve returns once the server has shut down, and the agent's Close waits for it.
func (s *Server) Serve(ln net.Listener) error {
	s.once.Do(s.init)
	check := s.PeerCheck
	if check == nil {
		check = checkPeer
	}
	if !s.agent.goroutines.enter("serve") {
		ln.Close()
		return nil // the agent is closed
	}
	defer s.agent.goroutines.leave("serve")
	stop := make(chan struct{})
	shutDown := make(chan struct{})
	go func() {
		defer close(shutDown)
		select {
		case <-s.agent.ctx.Done():
			// The agent ended every subscription, so the streams finish on their own; give them
			// a moment to end cleanly, then cut what remains.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if s.srv.Shutdown(ctx) != nil {
				s.srv.Close()
			}
		case <-stop:
		}
	}()
	err := s.srv.Serve(&peerListener{Listener: ln, check: check, log: s.log()})
	close(stop)
	<-shutDown
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops serving and ends every open connection, event streams included.
func (s *Server) Close() error {
	s.once.Do(s.init)
	return s.srv.Close()
}

// Handler is the API as an http.Handler, for tests and for other transports.
func (s *Server) Handler() http.Handler {
	s.once.Do(s.init)
	return s.srv.Handler
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Server) init() {
	routes := map[string]map[string]http.HandlerFunc{
		PathState:    {http.MethodGet: s.getState},
		PathDiagnose: {http.MethodPost: s.postDiagnose},
		PathEvents:   {http.MethodGet: s.getEvents},
		PathProfile:  {http.MethodGet: s.getProfile},
		PathSettings: {http.MethodGet: s.getSettings, http.MethodPut: s.putSettings},
		PathOpen:     {http.MethodPost: s.postOpen},
		PathQuit:     {http.MethodPost: s.postQuit},
		PathTimeline: {http.MethodGet: s.getTimeline},
	}
	for path, methods := range s.requestRoutes() {
		routes[path] = methods
	}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Each call counts as the agent's, so that Close waits for it (an event stream
			// ends when Close ends its subscription).
			if !s.agent.goroutines.enter("api") {
				writeError(w, http.StatusServiceUnavailable, newProblem(KeyClosed))
				return
			}
			defer s.agent.goroutines.leave("api")
			methods, ok := routes[r.URL.Path]
			if !ok {
				writeError(w, http.StatusNotFound, newProblem(KeyNotFound, "path", r.URL.Path))
				return
			}
			h, ok := methods[r.Method]
			if !ok {
				for m := range methods {
					w.Header().Add("Allow", m)
				}
				writeError(w, http.StatusMethodNotAllowed,
					newProblem(KeyMethodNotAllowed, "method", r.Method, "path", r.URL.Path))
				return
			}
			h(w, r)
		}),
		// Bounds a client that opens a connection and sends half a request. No idle timeout:
		// an idle connection costs nothing, and a timer would wake the agent.
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log().Handler(), slog.LevelDebug),
	}
}

func (s *Server) getState(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.agent.State())
}

func (s *Server) postDiagnose(w http.ResponseWriter, r *http.Request) {
	if wait := r.URL.Query().Get("wait"); wait == "1" || wait == "true" {
		report, err := s.agent.RunDiagnosis(r.Context())
		if err != nil {
			if r.Context().Err() != nil {
				return // the client went away
			}
			writeAgentError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, report)
		return
	}
	id, joined, err := s.agent.StartDiagnosis()
	if err != nil {
		writeAgentError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, DiagnoseStarted{Run: id, Joined: joined})
}

// getEvents streams updates, one JSON object a line, starting with the whole state. The
// subscription never blocks the agent: a reader that falls behind gets a fresh state instead of
// the updates it missed, and one that stops reading is dropped after streamWriteTimeout.
func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) {
	updates, cancel := s.agent.Subscribe()
	defer cancel()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	for {
		select {
		case <-r.Context().Done():
			return
		case u, ok := <-updates:
			if !ok {
				return // the agent closed
			}
			_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
			err := enc.Encode(u)
			if err == nil {
				err = rc.Flush()
			}
			_ = rc.SetWriteDeadline(time.Time{})
			if err != nil {
				s.log().Debug("event stream ended", "error", err)
				return
			}
		}
	}
}

func (s *Server) getProfile(w http.ResponseWriter, _ *http.Request) {
	l := s.agent.Profile()
	problems := l.Problems
	if problems == nil {
		problems = []profile.Problem{}
	}
	writeJSON(w, http.StatusOK, ProfileInfo{
		Profile:  l.Profile,
		Source:   ProfileSource{Kind: l.Source.Kind, Path: l.Source.Path},
		Problems: problems,
	})
}

func (s *Server) getSettings(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.agent.Settings())
}

// putSettings replaces the settings; fields the body leaves out keep their values.
func (s *Server) putSettings(w http.ResponseWriter, r *http.Request) {
	settings := s.agent.Settings()
	if !readJSON(w, r, &settings) {
		return
	}
	saved, err := s.agent.SaveSettings(settings)
	if err != nil {
		writeAgentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, saved)
}

func (s *Server) postOpen(w http.ResponseWriter, r *http.Request) {
	var req OpenRequest
	if !readJSON(w, r, &req) {
		return
	}
	if err := s.agent.OpenWindow(req.Window); err != nil {
		writeAgentError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, req)
}

func (s *Server) postQuit(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusAccepted, struct{}{})
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	s.agent.RequestQuit()
}

// bodyReadTimeout bounds how long a client may take to send a request's body: a local program
// that sends half a body must not hold a handler (and so Close) forever. The deadline is set
// only while a body is read, so event streams and idle connections keep no timer.
const bodyReadTimeout = 5 * time.Second

// readJSON decodes a request body into v, or answers 400.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	// On a failure the deadline stays: the server then gives up on the rest of the body at once
	// and closes the connection after the answer, instead of waiting to read it.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, newProblem(KeyBadRequest, "error", err.Error()))
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, newProblem(KeyBadRequest, "error", "trailing data after the JSON value"))
		return false
	}
	_ = rc.SetReadDeadline(time.Time{})
	return true
}

// httpStatus gives each problem of the agent its status code.
var httpStatus = map[string]int{
	KeyBadLanguage:   http.StatusBadRequest,
	KeyUnknownWindow: http.StatusBadRequest,
	KeyUnavailable:   http.StatusNotImplemented,
	KeyClosed:        http.StatusServiceUnavailable,
}

func writeAgentError(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrClosed) {
		writeError(w, http.StatusServiceUnavailable, newProblem(KeyClosed))
		return
	}
	var p *Problem
	if !errors.As(err, &p) {
		p = newProblem(KeyDiagnosis, "error", err.Error())
	}
	code, ok := httpStatus[p.Key]
	if !ok {
		code = http.StatusInternalServerError
	}
	writeError(w, code, p)
}

func writeError(w http.ResponseWriter, code int, p *Problem) {
	writeJSON(w, code, errorBody{Error: *p})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		data, _ = json.Marshal(errorBody{Error: *newProblem(KeyInternal, "error", err.Error())})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(data, '\n'))
}

// peerListener refuses connections that fail the peer check before HTTP sees them.
type peerListener struct {
	net.Listener
	check func(net.Conn) error
	log   *slog.Logger
}

func (l *peerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if err := l.check(c); err != nil {
			l.log.Warn("refused a connection to the local API", "error", err)
			c.Close()
			continue
		}
		return c, nil
	}
}
