package agent

import (
	"context"
	"errors"
	"fmt"
	"github.com/apuri-project/apuri/internal/filelock"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

// AcquireTimeout bounds how long Acquire waits for another agent that holds the lock to answer.
const AcquireTimeout = 5 * time.Second

// ErrNotResponding says another agent holds the lock but does not answer on the socket.
var ErrNotResponding = errors.New("another Apuri agent is running but does not answer")

// Acquire makes this process the user's one agent, or finds the one already running. It
// returns either a listener on path for this agent's API, or a client to the agent that
// answers there (the caller asks it to open the details window and exits).
//
// Two agents starting at once are told apart by an exclusive lock on path+".lock", held for
// the agent's whole life: the kernel frees it when the process dies. The holder removes any
// socket left by a dead agent and listens; the other waits until the holder answers. A socket
// file with nobody behind it is therefore always stale.
func Acquire(path string) (net.Listener, *Client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), AcquireTimeout)
	defer cancel()
	return AcquireContext(ctx, path)
}

// AcquireContext is Acquire with the caller's deadline for waiting on another agent.
func AcquireContext(ctx context.Context, path string) (net.Listener, *Client, error) {
	if err := ensurePrivateDir(filepath.Dir(path)); err != nil {
		return nil, nil, err
	}
	backoff := 5 * time.Millisecond
	for {
		lock, err := filelock.TryLock(path + ".lock")
		switch {
		case err == nil:
			// Where file locks work nobody else can be listening now, and asking costs only a
			// refused connect; where they do not, this is the only guard.
			if c, err := ping(ctx, path); err == nil {
				lock.Close()
				return nil, c, nil
			}
			ln, err := listenFresh(path)
			if err != nil {
				lock.Close()
				return nil, nil, err
			}
			return &instanceListener{Listener: ln, lock: lock}, nil, nil
		case !errors.Is(err, filelock.ErrLocked):
			return nil, nil, err
		}
		// Another agent holds the lock: it is listening, or about to.
		if c, err := ping(ctx, path); err == nil {
			return nil, c, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("%w: %w", ErrNotResponding, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 200*time.Millisecond)
	}
}

// ping returns a client when an agent answers on path.
func ping(ctx context.Context, path string) (*Client, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c := NewClient(path)
	if _, err := c.State(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// listenFresh removes a stale socket and listens on path, for this user only.
func listenFresh(path string) (net.Listener, error) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("remove stale socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	// The directory is private already; the mode keeps the socket so if it is ever moved.
	if err := os.Chmod(path, 0o600); err != nil && runtime.GOOS != "windows" {
		ln.Close()
		return nil, fmt.Errorf("restrict %s: %w", path, err)
	}
	return ln, nil
}

// instanceListener holds the single-instance lock as long as it listens.
type instanceListener struct {
	net.Listener
	lock *os.File
	once sync.Once
	err  error
}

// Close stops listening, removes the socket and frees the lock, in that order, so that the
// next agent never finds a live-looking socket without a lock holder.
func (l *instanceListener) Close() error {
	l.once.Do(func() {
		l.err = l.Listener.Close()
		l.lock.Close()
	})
	return l.err
}
