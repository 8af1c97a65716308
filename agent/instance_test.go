package agent

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func TestSecondInstanceFindsTheFirst(t *testing.T) {
	opened := make(chan string, 1)
	a := newTestAgent(t, Config{OpenWindow: func(name, _ string) error { opened <- name; return nil }})
	_, path := serve(t, a)

	ln, existing, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if ln != nil {
		ln.Close()
		t.Fatal("a second instance got to listen beside the first")
	}
	defer existing.Close()
	// What a second `apuri` does: ask the first to show its details, then exit.
	if err := existing.OpenWindow(context.Background(), "details"); err != nil {
		t.Fatal(err)
	}
	if got := <-opened; got != "details" {
		t.Errorf("the first instance opened %q", got)
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	path := filepath.Join(shortTempDir(t), SocketName)
	// A dead agent's socket: the file is there, nobody listens.
	dead, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	dead.SetUnlinkOnClose(false)
	dead.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("the stale socket is not there: %v", err)
	}

	ln, existing, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	if existing != nil {
		t.Fatal("Acquire took a dead socket for a running agent")
	}
	srv := NewServer(newTestAgent(t, Config{}))
	go srv.Serve(ln)
	defer srv.Close()
	if _, err := NewClient(path).State(context.Background()); err != nil {
		t.Errorf("the new agent does not answer on the old path: %v", err)
	}
}

func TestSocketIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps the socket private by the profile directory's access list")
	}
	dir := filepath.Join(shortTempDir(t), "apuri")
	if err := os.Mkdir(dir, 0o755); err != nil { // left loose by someone
		t.Fatal(err)
	}
	path := filepath.Join(dir, SocketName)
	ln, _, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Type() != os.ModeSocket || info.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", info.Mode())
	}
	dirInfo, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := dirInfo.Mode().Perm(); perm != 0o700 {
		t.Errorf("socket directory mode %v, want 0700", perm)
	}
}

// Two agents starting at the same moment: exactly one listens, the other finds it.
func TestTwoStartingAtOnce(t *testing.T) {
	path := filepath.Join(shortTempDir(t), SocketName)
	a := newTestAgent(t, Config{})
	srv := NewServer(a)
	defer srv.Close()

	const starters = 4
	var wg sync.WaitGroup
	var mu sync.Mutex
	var listeners []net.Listener
	var clients []*Client
	for range starters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ln, c, err := Acquire(path)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if ln != nil {
				listeners = append(listeners, ln)
				go srv.Serve(ln) // the others are waiting for it to answer
			} else {
				clients = append(clients, c)
			}
		}()
	}
	wg.Wait()
	if len(listeners) != 1 || len(clients) != starters-1 {
		t.Fatalf("%d listened and %d found another; want 1 and %d", len(listeners), len(clients), starters-1)
	}
	for _, c := range clients {
		if _, err := c.State(context.Background()); err != nil {
			t.Errorf("a second instance cannot reach the first: %v", err)
		}
	}
}

// After the first agent stops, the next one takes its place.
func TestAgentAfterAgent(t *testing.T) {
	path := filepath.Join(shortTempDir(t), SocketName)
	for i := range 3 {
		ln, existing, err := Acquire(path)
		if err != nil || existing != nil {
			t.Fatalf("agent %d: existing %v, err %v", i, existing, err)
		}
		srv := NewServer(newTestAgent(t, Config{}))
		go srv.Serve(ln)
		if _, err := NewClient(path).State(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv.Close()
	}
}

func TestRefusedPeerGetsNothing(t *testing.T) {
	a := newTestAgent(t, Config{})
	path := filepath.Join(shortTempDir(t), SocketName)
	ln, _, err := Acquire(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(a)
	srv.PeerCheck = func(net.Conn) error { return errors.New("not our user") }
	go srv.Serve(ln)
	defer srv.Close()
	_, err = NewClient(path).State(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 0 || apiErr.Key != KeyUnreachable {
		t.Errorf("a refused peer got %v, want the connection closed", err)
	}
}
