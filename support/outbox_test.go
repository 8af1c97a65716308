package support

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// hookServer is a webhook receiver on loopback that deduplicates by Idempotency-Key, as
// the channel's contract asks of a receiver.
type hookServer struct {
	*httptest.Server
	mu      sync.Mutex
	status  []int // answers, in order; the last one repeats; empty: 201
	calls   int
	tickets map[string]string // Idempotency-Key → ticket
	bodies  []WebhookBody
	auth    []string
	delay   time.Duration
}

func newHookServer(t *testing.T, status ...int) *hookServer {
	h := &hookServer{status: status, tickets: map[string]string{}}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) serve(w http.ResponseWriter, r *http.Request) {
	var body WebhookBody
	_ = json.NewDecoder(r.Body).Decode(&body)
	h.mu.Lock()
	code := http.StatusCreated
	if len(h.status) > 0 {
		code = h.status[min(h.calls, len(h.status)-1)]
	}
	h.calls++
	h.auth = append(h.auth, r.Header.Get("Authorization"))
	delay := h.delay
	h.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if code/100 != 2 {
		http.Error(w, "no", code)
		return
	}
	h.mu.Lock()
	key := r.Header.Get("Idempotency-Key")
	ticket, seen := h.tickets[key]
	if !seen {
		ticket = fmt.Sprint(100 + len(h.tickets))
		h.tickets[key] = ticket
		h.bodies = append(h.bodies, body)
	}
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"ticket":%q,"link":"%s/t/%s"}`, ticket, "http://"+r.Host, ticket)
}

func (h *hookServer) delivered() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.tickets)
}

func (h *hookServer) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newTestOutbox(t *testing.T, ch Channels, clock *fakeClock) *Outbox {
	t.Helper()
	return &Outbox{Dir: t.TempDir(), Channel: ch.Get, Now: clock.Now}
}

func outgoing(channel, target string) *Outgoing {
	return &Outgoing{Ref: NewRef(), Channel: channel, Created: fixedNow, Lang: "en", Summary: "VPN down",
		Text: "VPN down\n\nwhat happened", Category: CategoryVPN, Urgency: UrgencyNormal,
		Contact: Contact{Name: "Matti", Email: "matti@example.org"}, Target: target,
		BundleName: "apuri-diagnostics-20261125-100000.zip", Bundle: []byte("PK\x03\x04 zip bytes")}
}

// deadAddress is a loopback URL where nothing listens: the connection is refused.
func deadAddress(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/hook"
}

// offlineClient fails every dial the way a computer without a network does.
func offlineClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
	}}}
}

func TestOutboxFailuresAreKeptAndRetried(t *testing.T) {
	tests := []struct {
		name     string
		status   []int
		dead     bool
		offline  bool
		timeout  bool
		state    State
		errKey   string
		retried  bool // a forced flush (connection back) retries it
		attempts int  // server calls before the fix
	}{
		{"server error 500", []int{500, 201}, false, false, false, StateWaiting, "outbox.error.server", true, 1},
		{"bad gateway 502", []int{502, 201}, false, false, false, StateWaiting, "outbox.error.server", true, 1},
		{"too many requests 429", []int{429, 201}, false, false, false, StateWaiting, "outbox.error.server", true, 1},
		{"refused", nil, true, false, false, StateWaiting, "outbox.error.refused", true, 0},
		{"offline", nil, false, true, false, StateWaiting, "outbox.error.offline", true, 0},
		{"timeout", nil, false, false, true, StateWaiting, "outbox.error.timeout", true, 1},
		{"unauthorized 401", []int{401, 201}, false, false, false, StateNeedsCredentials, "outbox.error.credentials", false, 1},
		{"forbidden 403", []int{403, 201}, false, false, false, StateNeedsCredentials, "outbox.error.credentials", false, 1},
		{"bad request 400", []int{400, 201}, false, false, false, StateFailed, "outbox.error.rejected", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newHookServer(t, tc.status...)
			clock := &fakeClock{t: fixedNow}
			client := &http.Client{Timeout: 5 * time.Second}
			target := srv.URL + "/hook"
			switch {
			case tc.dead:
				target = deadAddress(t)
			case tc.offline:
				client = offlineClient()
			case tc.timeout:
				srv.delay = time.Minute
				client = &http.Client{Timeout: 50 * time.Millisecond}
			}
			secrets := &MemorySecrets{}
			ob := newTestOutbox(t, Channels{Secrets: secrets, Client: client}, clock)
			m := outgoing("webhook", target)
			if _, err := ob.Add(m, 5); err != nil {
				t.Fatal(err)
			}
			e, _, err := ob.Attempt(context.Background(), m.Ref)
			if err == nil {
				t.Fatal("the first attempt should fail")
			}
			if e.State != tc.state || e.Error == nil || e.Error.Key != tc.errKey {
				t.Fatalf("state %s, error %+v; want %s, %s", e.State, e.Error, tc.state, tc.errKey)
			}
			if got := ob.Pending(); len(got) != 1 || got[0].State != tc.state {
				t.Fatalf("the outbox holds %+v", got)
			}
			if srv.count() != tc.attempts {
				t.Errorf("server saw %d calls, want %d", srv.count(), tc.attempts)
			}
			// The fault goes away; then the connection "returns".
			srv.mu.Lock()
			srv.delay = 0
			srv.mu.Unlock()
			if tc.dead || tc.offline || tc.timeout {
				client.Timeout = 5 * time.Second
				client.Transport = nil
				m2 := *m
				m2.Target = srv.URL + "/hook"
				rewriteRequest(t, ob, &m2)
			}
			ob.Flush(context.Background(), true)
			pending := ob.Pending()
			if !tc.retried {
				if len(pending) != 1 || pending[0].State != tc.state {
					t.Fatalf("a %s request must wait for the user, the outbox holds %+v", tc.state, pending)
				}
				if srv.count() != tc.attempts {
					t.Errorf("retried blindly: %d calls", srv.count())
				}
				if tc.state == StateNeedsCredentials {
					if err := secrets.Set(SecretAccount("webhook", target), "new-token"); err != nil {
						t.Fatal(err)
					}
					ob.CredentialsChanged("webhook")
					ob.Flush(context.Background(), false)
				} else {
					if _, _, err := ob.Retry(context.Background(), m.Ref); err != nil {
						t.Fatalf("retry by the user: %v", err)
					}
				}
				pending = ob.Pending()
			}
			if len(pending) != 0 {
				t.Fatalf("still in the outbox: %+v", pending)
			}
			if srv.delivered() != 1 {
				t.Errorf("delivered %d times, want exactly once", srv.delivered())
			}
			h := ob.History()
			if len(h) != 1 || h[0].State != StateSent || h[0].Receipt == nil || h[0].Receipt.Ticket != "100" {
				t.Fatalf("history: %+v", h)
			}
			if tc.state == StateNeedsCredentials {
				if got := srv.auth[len(srv.auth)-1]; got != "Bearer new-token" {
					t.Errorf("the new token was not sent: %q", got)
				}
			}
		})
	}
}

// rewriteRequest points a stored request at another target, as if the network had changed
// (a test needs the fault to go away; a real request keeps its target).
func rewriteRequest(t *testing.T, ob *Outbox, m *Outgoing) {
	t.Helper()
	if err := writeJSONFile(filepath.Join(ob.entryDir(m.Ref), "request.json"), m); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxBackoffAndExactlyOnce(t *testing.T) {
	srv := newHookServer(t, 503, 503, 201)
	clock := &fakeClock{t: fixedNow}
	ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, clock)
	var changes int
	var mu sync.Mutex
	ob.OnChange = func() { mu.Lock(); changes++; mu.Unlock() }
	m := outgoing("webhook", srv.URL)
	if _, err := ob.Add(m, 5); err != nil {
		t.Fatal(err)
	}
	next := ob.Flush(context.Background(), false)
	if want := fixedNow.Add(30 * time.Second); !next.Equal(want) {
		t.Fatalf("next attempt %v, want %v (30 s after the first failure)", next, want)
	}
	clock.Advance(10 * time.Second)
	ob.Flush(context.Background(), false)
	if srv.count() != 1 {
		t.Fatalf("retried before its time: %d calls", srv.count())
	}
	clock.Advance(25 * time.Second)
	next = ob.Flush(context.Background(), false)
	if srv.count() != 2 {
		t.Fatalf("not retried when due: %d calls", srv.count())
	}
	if want := clock.Now().Add(time.Minute); !next.Equal(want) {
		t.Errorf("second back-off ends %v, want %v", next, want)
	}
	next = ob.Flush(context.Background(), true) // the connection returned
	if !next.IsZero() || len(ob.Pending()) != 0 {
		t.Fatalf("not sent when the connection returned: next %v, pending %+v", next, ob.Pending())
	}
	// Flushing again sends nothing more.
	ob.Flush(context.Background(), true)
	if srv.count() != 3 || srv.delivered() != 1 {
		t.Errorf("%d calls, %d deliveries; want 3 and exactly 1", srv.count(), srv.delivered())
	}
	mu.Lock()
	defer mu.Unlock()
	if changes == 0 {
		t.Error("OnChange never called")
	}
}

func TestDefaultBackoff(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {7, 30 * time.Minute}, {50, 30 * time.Minute}}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.attempts), func(t *testing.T) {
			if got := DefaultBackoff(tc.attempts); got != tc.want {
				t.Errorf("DefaultBackoff(%d) = %v, want %v", tc.attempts, got, tc.want)
			}
		})
	}
}

func TestOutboxResumesAnAttemptACrashCutShort(t *testing.T) {
	srv := newHookServer(t)
	clock := &fakeClock{t: fixedNow}
	ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, clock)
	m := outgoing("webhook", srv.URL)
	e, err := ob.Add(m, 5)
	if err != nil {
		t.Fatal(err)
	}
	// What a process killed during a send leaves: the attempt recorded, no answer.
	e.State, e.Attempts = StateSending, 1
	if err := writeJSONFile(ob.entryPath(m.Ref), e); err != nil {
		t.Fatal(err)
	}
	// And a half-written Add, which must be ignored.
	if err := os.MkdirAll(filepath.Join(ob.pendingDir(), ".new-123"), 0o700); err != nil {
		t.Fatal(err)
	}
	ob.Flush(context.Background(), false)
	h := ob.History()
	if len(h) != 1 || h[0].Attempts != 2 || srv.delivered() != 1 {
		t.Fatalf("history %+v, %d deliveries", h, srv.delivered())
	}
}

func TestOutboxDeliveredButNotArchivedIsNotResent(t *testing.T) {
	srv := newHookServer(t)
	ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, &fakeClock{t: fixedNow})
	m := outgoing("webhook", srv.URL)
	e, _ := ob.Add(m, 5)
	e.State, e.Attempts, e.SentAt, e.Receipt = StateSent, 1, fixedNow, &Receipt{Ticket: "7"}
	if err := writeJSONFile(ob.entryPath(m.Ref), e); err != nil {
		t.Fatal(err)
	}
	ob.Flush(context.Background(), true)
	if srv.count() != 0 {
		t.Error("a delivered request was sent again")
	}
	if h := ob.History(); len(h) != 1 || h[0].Receipt.Ticket != "7" || len(ob.Pending()) != 0 {
		t.Errorf("history %+v pending %+v", h, ob.Pending())
	}
}

func TestHistoryRule(t *testing.T) {
	srv := newHookServer(t)
	clock := &fakeClock{t: fixedNow}
	ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}}, clock)
	m := outgoing("webhook", srv.URL)
	ob.Add(m, 5)
	if _, _, err := ob.Attempt(context.Background(), m.Ref); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		after time.Duration
		key   string
	}{
		{"the same day", time.Hour, "outbox.history.can_reject"},
		{"four days later", 4 * 24 * time.Hour, "outbox.history.can_reject"},
		{"six days later", 6 * 24 * time.Hour, "outbox.history.new_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeClock{t: fixedNow.Add(tc.after)}
			ob.Now = c.Now
			h := ob.History()
			if len(h) != 1 || h[0].Rule == nil || h[0].Rule.Key != tc.key {
				t.Fatalf("history %+v", h)
			}
			if !h[0].FeedbackUntil.Equal(fixedNow.AddDate(0, 0, 5)) {
				t.Errorf("feedback until %v", h[0].FeedbackUntil)
			}
		})
	}

	// The deadline reads as each language writes a date, also after the agent's JSON.
	ob.Now = (&fakeClock{t: fixedNow.Add(time.Hour)}).Now
	data, err := json.Marshal(ob.History()[0].Rule)
	if err != nil {
		t.Fatal(err)
	}
	var rule i18n.Message
	if err := json.Unmarshal(data, &rule); err != nil {
		t.Fatal(err)
	}
	until := fixedNow.AddDate(0, 0, 5).Local()
	for _, lang := range i18n.Languages {
		if got, want := i18n.New(lang).T(rule.Key, rule.Args), i18n.FormatDate(lang, until); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not give the date as %q", lang, got, want)
		}
	}
}

func TestOutboxHandOverIsNeverRetriedBehindTheUsersBack(t *testing.T) {
	var opened []string
	failOpen := true
	open := func(_ context.Context, target string) error {
		opened = append(opened, target)
		if failOpen {
			return errors.New("no browser")
		}
		return nil
	}
	dir := t.TempDir()
	ob := newTestOutbox(t, Channels{Open: open, SaveDir: dir}, &fakeClock{t: fixedNow})
	m := outgoing("portal", "https://support.example.org/new?t={summary}")
	ob.Add(m, 5)
	e, _, err := ob.Attempt(context.Background(), m.Ref)
	if err == nil || e.State != StateFailed {
		t.Fatalf("state %s err %v", e.State, err)
	}
	ob.Flush(context.Background(), true)
	if len(opened) != 1 {
		t.Fatalf("a portal request was reopened by a flush: %v", opened)
	}
	failOpen = false
	e, receipt, err := ob.Retry(context.Background(), m.Ref)
	if err != nil || e.State != StateHandedOver {
		t.Fatalf("retry: %s %v", e.State, err)
	}
	if receipt.Clipboard == "" || e.Receipt.Clipboard != "" {
		t.Error("the text must reach the caller for the clipboard, and not be stored in the history")
	}
	if !strings.HasPrefix(receipt.Saved, dir) {
		t.Errorf("bundle saved at %q", receipt.Saved)
	}
}

func TestOutboxDiscard(t *testing.T) {
	ob := newTestOutbox(t, Channels{Secrets: &MemorySecrets{}, Client: offlineClient()}, &fakeClock{t: fixedNow})
	m := outgoing("webhook", "http://127.0.0.1:9/hook")
	ob.Add(m, 5)
	ob.Attempt(context.Background(), m.Ref)
	if err := ob.Discard(context.Background(), m.Ref); err != nil {
		t.Fatal(err)
	}
	if len(ob.Pending()) != 0 {
		t.Error("discarded request still pending")
	}
	if err := ob.Discard(context.Background(), m.Ref); !errors.Is(err, ErrUnknownRequest) {
		t.Errorf("second discard: %v", err)
	}
	if err := ob.Discard(context.Background(), "../../etc"); !errors.Is(err, ErrUnknownRequest) {
		t.Errorf("a path as a reference: %v", err)
	}
}
