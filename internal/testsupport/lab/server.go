//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Mode is how a Site answers.
type Mode int32

// The ways a Site can answer.
const (
	// Healthy answers 200 with the site's body.
	Healthy Mode = iota
	// ServerError answers 500, as a broken service does.
	ServerError
	// CaptiveRedirect answers 302 to a login page on the same server, as a hotel or guest
	// network's portal does until the user signs in.
	CaptiveRedirect
	// ForeignContent answers 200 with a login page instead of the expected body, as a portal
	// that intercepts without redirecting does.
	ForeignContent
	// StalledBody answers 200 and the start of a page, then nothing more until the client
	// gives up, to every connection: a server that stalls, whatever the packet size.
	StalledBody
)

// pageSize is how large the services' pages are: 32 KiB, over twenty full-size packets.
const pageSize = 32 << 10

// page is a service's page: first its body, then filler lines up to pageSize.
func page(body string) string {
	const line = "apuri-lab: a line of the page, to make it as large as a real one\n"
	return body + "\n" + strings.Repeat(line, (pageSize-len(body))/len(line))
}

// SmallPath answers only the page's first line, one small packet, as an API call does: the
// user's requests of StartTraffic, which measure the watcher and not large transfers.
const SmallPath = "/small"

// CaptiveLoginPath is where CaptiveRedirect sends the browser.
const CaptiveLoginPath = "/guest-login"

// CaptivePage is the portal's login page.
const CaptivePage = "<html><title>Guest network</title><body>Sign in to use the guest network.</body></html>"

// Site is an HTTP server inside a namespace whose answer a test can switch.
type Site struct {
	Name string
	Addr string
	body string
	mode atomic.Int32
	hits atomic.Int64
	// delay and skew are time.Durations: how long to wait before answering, and how far the
	// Date header is from this computer's clock.
	delay atomic.Int64
	skew  atomic.Int64
	srv   *http.Server
	done  chan struct{}
}

// StartSite serves HTTP on addr inside ns, healthy at first.
func StartSite(ns, addr, name, body string) (*Site, error) {
	ln, err := Listen(ns, "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Site{Name: name, Addr: addr, body: body, done: make(chan struct{})}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// Set switches how the site answers from now on.
func (s *Site) Set(m Mode) { s.mode.Store(int32(m)) }

// SetDelay makes the site wait d before answering, as an overloaded server or a congested
// link does.
func (s *Site) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// SetDateSkew makes the site's Date header d away from this computer's clock, which from the
// client's side is the same as the client's clock being -d off.
func (s *Site) SetDateSkew(d time.Duration) { s.skew.Store(int64(d)) }

// Hits counts the requests the site has had.
func (s *Site) Hits() int64 { return s.hits.Load() }

// ServeHTTP answers according to the current mode.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.hits.Add(1)
	if d := time.Duration(s.delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if d := time.Duration(s.skew.Load()); d != 0 {
		w.Header().Set("Date", time.Now().Add(d).UTC().Format(http.TimeFormat))
	}
	w.Header().Set("Cache-Control", "no-store")
	switch Mode(s.mode.Load()) {
	case ServerError:
		http.Error(w, "internal server error", http.StatusInternalServerError)
	case CaptiveRedirect:
		if r.URL.Path == CaptiveLoginPath {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, CaptivePage)
			return
		}
		http.Redirect(w, r, "http://"+s.Addr+CaptiveLoginPath+"?continue="+r.URL.Path, http.StatusFound)
	case ForeignContent:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, CaptivePage)
	case StalledBody:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(64<<10))
		_, _ = io.WriteString(w, s.body)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		<-r.Context().Done()
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		body := s.body
		if r.URL.Path == SmallPath {
			body, _, _ = strings.Cut(body, "\n")
		}
		_, _ = io.WriteString(w, body)
	}
}

// Close stops the server and closes its connections.
func (s *Site) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}

// TCPServer accepts TCP connections inside a namespace and closes them after a greeting, like
// an SSH server that a port check only connects to.
type TCPServer struct {
	Addr  string
	ln    net.Listener
	wg    sync.WaitGroup
	conns atomic.Int64
}

// StartTCP listens on addr inside ns.
func StartTCP(ns, addr string) (*TCPServer, error) {
	ln, err := Listen(ns, "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &TCPServer{Addr: addr, ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			_, _ = io.WriteString(c, "SSH-2.0-apuri-lab\r\n")
			_ = c.Close()
		}
	}()
	return s, nil
}

// Conns counts the connections accepted so far.
func (s *TCPServer) Conns() int64 { return s.conns.Load() }

// Close stops listening.
func (s *TCPServer) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// getExpect fetches url and checks that the answer is 200 and contains want.
func getExpect(ctx context.Context, c *http.Client, url, want string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		return fmt.Errorf("get %s: %s %q, want 200 with %q", url, resp.Status, body, want)
	}
	return nil
}
