//go:build linux

package lab

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

// Relay carries TCP connections made inside a lab namespace to a server on loopback in the
// namespace the test runs in, which no lab namespace can reach: a collector or an Alertmanager
// the test started on 127.0.0.1 then has an address on the lab's network, where Apuri in the
// client namespace sends to it as it would over a real network, and a fault in the lab that
// cuts the path to that address cuts what Apuri sends. The target must be a loopback address,
// so a relay never carries the lab's traffic anywhere else.
type Relay struct {
	// Addr is host:port of the listener inside the namespace.
	Addr   string
	target string
	ln     net.Listener

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// StartRelay listens on listen (host:port) inside ns and forwards each connection to target,
// a host:port on loopback dialled from the test's own namespace. Close stops it.
func StartRelay(ns, listen, target string) (*Relay, error) {
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return nil, fmt.Errorf("relay target %q: %w", target, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("relay target %q is not a loopback address", target)
	}
	ln, err := Listen(ns, "tcp", listen)
	if err != nil {
		return nil, err
	}
	r := &Relay{Addr: ln.Addr().String(), target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	r.wg.Go(r.accept)
	return r, nil
}

func (r *Relay) accept() {
	for {
		in, err := r.ln.Accept()
		if err != nil {
			return // closed
		}
		// The listener's namespace binds only the listening socket: this goroutine's thread,
		// and so the dial, is in the test's namespace, where the target listens.
		out, err := net.Dial("tcp", r.target)
		if err != nil {
			in.Close()
			continue
		}
		if !r.track(in, out) {
			in.Close()
			out.Close()
			return
		}
		r.wg.Go(func() { r.pipe(in, out) })
	}
}

// track notes an open pair, unless the relay is closing.
func (r *Relay) track(conns ...net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	for _, c := range conns {
		r.conns[c] = struct{}{}
	}
	return true
}

// pipe copies both ways until either side ends, passing a half-close on.
func (r *Relay) pipe(in, out net.Conn) {
	var both sync.WaitGroup
	both.Go(func() { copyHalf(out, in) })
	both.Go(func() { copyHalf(in, out) })
	both.Wait()
	in.Close()
	out.Close()
	r.mu.Lock()
	delete(r.conns, in)
	delete(r.conns, out)
	r.mu.Unlock()
}

// copyHalf copies src to dst and then closes dst's writing side, so the far end sees the end
// of the request or the answer; a connection that cannot half-close is closed.
func copyHalf(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		return
	}
	dst.Close()
}

// Close stops listening, ends the connections in flight and waits until every goroutine of the
// relay has returned. It is safe to call more than once.
func (r *Relay) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	err := r.ln.Close()
	for c := range r.conns {
		c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}
