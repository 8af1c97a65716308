package diagnostics

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/apuri-project/apuri/profile"
)

// Loopback has an MTU of 64 KiB and drops nothing, so these tests make the black hole at the
// server: it reads each accepted connection's segment size back from the kernel (TCP_MAXSEG,
// which the client's SYN bounded) and ignores connections whose segments are larger than a
// limit, as a path that drops large packets ignores them. The client's cap is thereby proved
// to reach the wire; nothing is assumed about it.

// socketMSS reads TCP_MAXSEG of a connected socket.
func socketMSS(t *testing.T, c net.Conn) int {
	t.Helper()
	raw, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var mss int
	var serr error
	if err := raw.Control(func(fd uintptr) { mss, serr = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG) }); err != nil {
		t.Fatal(err)
	}
	if serr != nil {
		t.Fatal(serr)
	}
	return mss
}

func TestCapMSSReachesBothEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tt := range []struct {
		mss          int
		atMost, over int
	}{
		{mss: 536, atMost: 536},
		{mss: 1200, atMost: 1200},
		{mss: 0, over: 1500}, // uncapped: loopback's own, far larger than any Ethernet size
	} {
		accepted := make(chan net.Conn, 1)
		go func() {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}()
		client, err := (&net.Dialer{Control: capMSS(tt.mss)}).Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatalf("dial with MSS %d: %v", tt.mss, err)
		}
		server, ok := <-accepted
		if !ok {
			t.Fatal("accept failed")
		}
		mine, theirs := socketMSS(t, client), socketMSS(t, server)
		client.Close()
		server.Close()
		if tt.atMost > 0 && (mine > tt.atMost || theirs > tt.atMost || theirs < tt.atMost/2) {
			t.Errorf("MSS %d: client %d, server %d, want both at most %d", tt.mss, mine, theirs, tt.atMost)
		}
		if tt.over > 0 && (mine <= tt.over || theirs <= tt.over) {
			t.Errorf("uncapped: client %d, server %d, want over %d", mine, theirs, tt.over)
		}
	}
}

// blackHole wraps a listener: connections whose segments are larger than limit are accepted by
// the kernel (the handshake's packets are small) and then never answered.
type blackHole struct {
	net.Listener
	t     *testing.T
	limit int
	mu    sync.Mutex
	held  []net.Conn
	// dropped counts the connections swallowed.
	dropped atomic.Int64
}

func (b *blackHole) Accept() (net.Conn, error) {
	for {
		c, err := b.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if socketMSS(b.t, c) <= b.limit {
			return c, nil
		}
		b.dropped.Add(1)
		b.mu.Lock()
		b.held = append(b.held, c)
		b.mu.Unlock()
	}
}

func (b *blackHole) Close() error {
	b.mu.Lock()
	for _, c := range b.held {
		c.Close()
	}
	b.mu.Unlock()
	return b.Listener.Close()
}

// pageHandler serves a page of 200 KiB, many full-size segments at any size.
func pageHandler() http.Handler {
	page := strings.Repeat("p", 200<<10)
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(page)) })
}

// behindBlackHole serves h over TLS (when cert is not nil) or plain HTTP, through a path that
// drops every segment larger than limit bytes.
func behindBlackHole(t *testing.T, h http.Handler, limit int, cert *tls.Certificate) (*httptest.Server, *blackHole) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bh := &blackHole{Listener: ln, t: t, limit: limit}
	srv.Listener = bh
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, bh
}

func mtuTries(t *testing.T, r Result) []mtuTry {
	t.Helper()
	tries, ok := r.Details[DetailMTUTried].([]mtuTry)
	if !ok || len(tries) != len(mtuProbeMSS) {
		t.Fatalf("mtu_tried = %#v", r.Details[DetailMTUTried])
	}
	return tries
}

// A path that drops segments over 1000 bytes: the page stalls at full size, loads at 1000 and
// 536, and the check names the largest packet that passed, 1000 + 40 bytes of headers.
func TestPathThatDropsLargePacketsIsNamed(t *testing.T) {
	ca := newTestCA(t, "Test Issuing CA")
	now := time.Now()
	leaf := ca.leaf(t, now.Add(-time.Hour), now.Add(200*24*time.Hour), nil, net.ParseIP("127.0.0.1"))
	for _, tt := range []struct {
		name string
		cert *tls.Certificate
	}{
		{"plain HTTP: the answer never comes", nil},
		{"HTTPS: the TLS handshake never ends", &leaf},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, bh := behindBlackHole(t, pageHandler(), 1000, tt.cert)
			r, _ := runService(t, srv.URL, ca, 2*time.Second)
			if r.Status != StatusFail || r.Reason != ReasonPathMTU || r.Message.Key != "check.service.path_mtu" {
				t.Fatalf("got %s/%q/%s (%v)", r.Status, r.Reason, r.Message.Key, r.Details)
			}
			if r.Details[DetailPathMTUBytes] != 1040 || r.Message.Args["bytes"] != 1040 {
				t.Errorf("path_mtu_bytes = %v, bytes = %v, want 1040", r.Details[DetailPathMTUBytes], r.Message.Args["bytes"])
			}
			want := []mtuTry{{Bytes: 1400}, {Bytes: 1240}, {Bytes: 1040, Passed: true}, {Bytes: 576, Passed: true}}
			if got := mtuTries(t, r); !slices.Equal(got, want) {
				t.Errorf("mtu_tried = %v, want %v", got, want)
			}
			if r.Details[DetailMTUProbe] != MTUProbeTCPMSS || r.Details[DetailMTUTunnel] != false {
				t.Errorf("details = %v", r.Details)
			}
			// The check's own fetch, the probe at full size, 1360 and 1200.
			if n := bh.dropped.Load(); n < 4 {
				t.Errorf("the black hole swallowed %d connections, want at least 4", n)
			}
		})
	}
}

// The page's first bytes arrive, then nothing: over the black hole the rest of the page is
// what is lost, as when the server's first write is small.
func TestPageStallingAfterItsFirstBytesIsProbed(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		return context.WithValue(ctx, mssKey{}, socketMSS(t, c))
	}
	page := strings.Repeat("q", 100<<10)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "102400")
		_, _ = w.Write([]byte(page[:500]))
		w.(http.Flusher).Flush()
		if r.Context().Value(mssKey{}).(int) > 1200 {
			<-r.Context().Done()
			return
		}
		_, _ = w.Write([]byte(page[500:]))
	})
	srv.Start()
	t.Cleanup(srv.Close)
	r, _ := runService(t, srv.URL, nil, 2*time.Second)
	if r.Reason != ReasonPathMTU || r.Details[DetailPathMTUBytes] != 1240 {
		t.Fatalf("got %s/%q (%v)", r.Status, r.Reason, r.Details)
	}
	if r.Details[DetailBodyBytes] != int64(500) || r.Details[DetailStatus] != 200 {
		t.Errorf("the stalled fetch's own details are lost: %v", r.Details)
	}
}

type mssKey struct{}

// A server that stalls whatever the size is not a path problem: every size stalls, the
// verdict stays with the service, and the sizes tried are the evidence.
func TestServerThatStallsForEveryoneIsNoPathProblem(t *testing.T) {
	srv, _ := behindBlackHole(t, pageHandler(), 0, nil)
	r, _ := runService(t, srv.URL, nil, 2*time.Second)
	if r.Reason != ReasonUnreachable || r.Message.Key != "check.service.timeout" {
		t.Fatalf("got %s/%q/%s", r.Status, r.Reason, r.Message.Key)
	}
	if _, ok := r.Details[DetailPathMTUBytes]; ok {
		t.Errorf("path_mtu_bytes without a size that passed: %v", r.Details)
	}
	for _, try := range mtuTries(t, r) {
		if try.Passed {
			t.Errorf("%d bytes passed a server that answers nobody", try.Bytes)
		}
	}
}

// A stall that does not repeat (the probe at full size loads) is no proof of a path that drops
// large packets, even though the small sizes loaded too.
func TestStallThatDoesNotRepeatIsNoPathProblem(t *testing.T) {
	var first atomic.Bool
	srv := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if first.CompareAndSwap(false, true) {
			<-r.Context().Done()
			return
		}
		pageHandler().ServeHTTP(w, r)
	}), nil)
	r, _ := runService(t, srv.URL, nil, 2*time.Second)
	if r.Reason == ReasonPathMTU || r.Details[DetailMTUProbe] != MTUProbeTCPMSS {
		t.Fatalf("got %s/%q (%v)", r.Status, r.Reason, r.Details)
	}
	if _, ok := r.Details[DetailPathMTUBytes]; ok {
		t.Errorf("path_mtu_bytes although full size loaded: %v", r.Details)
	}
}

// A healthy page is never probed: no connection beyond the check's own.
func TestHealthyPageIsNotProbed(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(pageHandler())
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	r, _ := runService(t, srv.URL, nil, 2*time.Second)
	if r.Status != StatusOK {
		t.Fatalf("got %s/%q", r.Status, r.Reason)
	}
	if _, ok := r.Details[DetailMTUProbe]; ok || conns.Load() != 1 {
		t.Errorf("probed a healthy page: %d connections, details %v", conns.Load(), r.Details)
	}
}

// A service behind the VPN whose path drops large packets is the VPN's: via_vpn in the
// profile, or the probe's packets leaving through a VPN interface (here: loopback, named as
// the VPN's pattern).
func TestLargePacketsLostThroughTheVPN(t *testing.T) {
	srv, _ := behindBlackHole(t, pageHandler(), 1000, nil)
	svc := profile.Service{Name: "intra", URL: srv.URL}
	p := &profile.Profile{VPN: profile.VPN{Interfaces: []string{"lo"}}}
	c := newServiceCheck(p, svc).(*serviceCheck)
	c.transport = trusting(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r := c.Run(ctx)
	assertContract(t, r)
	if r.Reason != ReasonPathMTU || r.Details[DetailMTUTunnel] != true || r.Details[DetailViaVPN] != false {
		t.Fatalf("got %s/%q (%v)", r.Status, r.Reason, r.Details)
	}
	r.ID, r.Group = ServicePrefix+"intra", GroupService
	if v := Decide(with(r)); v.Cause != CauseVPNMTU {
		t.Errorf("verdict %s, want vpn_mtu", v.Cause)
	}
}
