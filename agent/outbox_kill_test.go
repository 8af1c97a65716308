//go:build unix

package agent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/support"
)

// outboxChildEnv makes the test binary, started by TestKilledMidSendDeliversOnce, act as an
// agent that submits one request: "DIR URL".
const outboxChildEnv = "APURI_OUTBOX_CHILD"

// TestOutboxChildProcess is the agent the kill test kills: it submits one request to the
// webhook and waits in the first attempt. It does nothing unless the kill test started it.
func TestOutboxChildProcess(t *testing.T) {
	arg := os.Getenv(outboxChildEnv)
	if arg == "" {
		t.Skip("only run as the child of TestKilledMidSendDeliversOnce")
	}
	dir, url, _ := strings.Cut(arg, " ")
	a := requestAgent(t, dir, hookProfile(url), nil)
	ctx := context.Background()
	if _, err := a.RunDiagnosis(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := a.RequestDraft()
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.SubmitRequest(ctx, SubmitRequest{Draft: info.Draft})
	// Only reached if the parent failed to kill us.
	t.Fatalf("the child was not killed: %+v %v", res, err)
}

// slowHook is a webhook receiver whose first answer never comes: the request is received
// (and, with commit, recorded) but the answer waits until the sender is gone.
type slowHook struct {
	*httptest.Server
	commit  bool // record the first request before waiting, as a server that answers late does
	mu      sync.Mutex
	calls   []string // Idempotency-Key of each call
	tickets map[string]string
	seen    chan struct{}
}

func newSlowHook(t *testing.T, commit bool) *slowHook {
	h := &slowHook{commit: commit, tickets: map[string]string{}, seen: make(chan struct{}, 4)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		// Read the whole body: only then does the server notice the sender going away.
		_, _ = io.Copy(io.Discard, r.Body)
		h.mu.Lock()
		h.calls = append(h.calls, key)
		first := len(h.calls) == 1
		h.mu.Unlock()
		record := func() string {
			h.mu.Lock()
			defer h.mu.Unlock()
			ticket, ok := h.tickets[key]
			if !ok {
				ticket = fmt.Sprint(700 + len(h.tickets))
				h.tickets[key] = ticket
			}
			return ticket
		}
		if first {
			if h.commit {
				record()
			}
			h.seen <- struct{}{}
			<-r.Context().Done() // the sender dies before the answer
			return
		}
		ticket := record()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"ticket":%q}`, ticket)
	}))
	t.Cleanup(h.Close)
	return h
}

// TestKilledMidSendDeliversOnce kills an agent (a real process) with SIGKILL while its first
// attempt waits for the server's answer, restarts the agent on the same outbox and checks that
// the request is delivered exactly once, whether or not the server had recorded it.
func TestKilledMidSendDeliversOnce(t *testing.T) {
	tests := []struct {
		name   string
		commit bool
	}{
		{"the server had recorded it", true},
		{"the server had not recorded it", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newSlowHook(t, tc.commit)
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestOutboxChildProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), outboxChildEnv+"="+dir+" "+h.URL)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-h.seen:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the child never sent its request:\n%s", out.String())
			}
			// Stored before the attempt, and the attempt recorded: the outbox on disk says so.
			pending := (&support.Outbox{Dir: dir}).Pending()
			if len(pending) != 1 || pending[0].State != support.StateSending || pending[0].Attempts != 1 {
				t.Fatalf("outbox while sending: %+v", pending)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed by SIGKILL: %v\n%s", err, out.String())
			}

			// The restarted agent resumes the outbox by itself.
			a := requestAgent(t, dir, hookProfile(h.URL), nil)
			poll.Until(t, "delivery after the restart", func() bool {
				l, _ := a.Outbox()
				return len(l.Pending) == 0 && len(l.History) == 1
			})
			l, _ := a.Outbox()
			h.mu.Lock()
			defer h.mu.Unlock()
			if len(h.tickets) != 1 || len(h.calls) != 2 || h.calls[0] != h.calls[1] {
				t.Fatalf("%d tickets from calls %v: want one ticket, the retry with the same key", len(h.tickets), h.calls)
			}
			e := l.History[0]
			if e.State != support.StateSent || e.Attempts != 2 || e.Receipt == nil || e.Receipt.Ticket != "700" {
				t.Errorf("history entry %+v", e)
			}
		})
	}
}
