//go:build linux

package lab

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// A relay refuses a target off loopback before it listens anywhere: it must never carry a
// lab's traffic out of the machine.
func TestRelayTargetsOnlyLoopback(t *testing.T) {
	for _, target := range []string{"192.0.2.1:80", "example.org:80", "127.0.0.1"} {
		if r, err := StartRelay("no-such-namespace", "127.0.0.1:0", target); err == nil || !strings.Contains(err.Error(), "relay target") {
			if r != nil {
				r.Close()
			}
			t.Errorf("target %q: %v, want it refused", target, err)
		}
	}
}

// A server on the test's loopback cannot be reached from a namespace, but through a relay
// listening inside it a request gets there and its answer back; closing the relay ends a
// connection in flight and the listener with it.
func TestRelayCarriesConnectionsOutOfANamespace(t *testing.T) {
	need(t)
	ns, remove, err := NewNamespace("relay")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := remove(); err != nil {
			t.Errorf("remove namespace: %v", err)
		}
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, _ = io.WriteString(w, "got "+r.Method+" "+r.URL.Path+" "+string(body))
	}))
	defer srv.Close()
	target := strings.TrimPrefix(srv.URL, "http://")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if c, err := Dial(ctx, ns, "tcp", target); err == nil {
		c.Close()
		t.Fatalf("the namespace reaches %s without a relay: the test proves nothing", target)
	}

	r, err := StartRelay(ns, "127.0.0.1:0", target)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return Dial(ctx, ns, network, r.Addr)
		},
	}}
	defer client.CloseIdleConnections()
	for i := range 2 { // a kept-alive connection carries the second request
		resp, err := client.Post("http://"+r.Addr+"/v1/logs", "text/plain", strings.NewReader("record"))
		if err != nil {
			t.Fatalf("request %d through the relay: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "got POST /v1/logs record" {
			t.Errorf("request %d: the answer %q", i, body)
		}
	}

	held, err := Dial(ctx, ns, "tcp", r.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if _, err := held.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	if _, err := held.Read(buf); err != nil {
		t.Fatalf("the held connection got no answer: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	// A relay that never ends the connection fails the test by this deadline, not hangs it.
	if err := held.SetReadDeadline(time.Now().Add(poll.Limit)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(held); err != nil && !errors.Is(err, net.ErrClosed) && !isReset(err) {
		t.Errorf("the connection in flight was not ended by Close: %v", err)
	}
	if c, err := Dial(ctx, ns, "tcp", r.Addr); err == nil {
		c.Close()
		t.Error("the relay still listens after Close")
	}
	if err := r.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// isReset says whether a read ended with the peer's reset, which is also an end.
func isReset(err error) bool {
	return strings.Contains(err.Error(), "connection reset")
}
