package agent

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
)

// serve makes agent a answer on a fresh socket, and returns a client to it.
func serve(t *testing.T, a *Agent) (*Client, string) {
	t.Helper()
	path := filepath.Join(shortTempDir(t), "run", SocketName)
	ln, existing, err := Acquire(path)
	if err != nil {
		t.Fatalf("Acquire: %v", err)
	}
	if existing != nil {
		t.Fatal("Acquire found another agent on a fresh path")
	}
	srv := NewServer(a)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		ln.Close()
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	c := NewClient(path)
	t.Cleanup(func() { c.Close() })
	return c, path
}

// collect runs Events in the background and hands the updates over a channel.
func collect(t *testing.T, c *Client) <-chan Update {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Update, 1024)
	done := make(chan error, 1)
	go func() {
		done <- c.Events(ctx, func(u Update) { out <- u })
		close(out)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Events: %v", err)
		}
	})
	return out
}
