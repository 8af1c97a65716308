package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/profile"
)

// echoPath is a path as echoes find it, no packet sent: echoes up to limit bytes are answered,
// larger ones dropped silently or, with tooBig, answered "too big" by a router. Nothing waits:
// the probe's arithmetic of timeouts is checked, not the clock.
type echoPath struct {
	limit  int
	tooBig bool
	// here is the largest packet this computer's own link carries; 0: any.
	here int
	// loseFirst drops the first echo of each size, as random loss would.
	loseFirst bool
	src       netip.Addr
	fail      error

	mu       sync.Mutex
	dsts     []netip.Addr
	timeouts map[int][]time.Duration
}

func (p *echoPath) echo(src, dst netip.Addr, size int, timeout time.Duration) (echoStatus, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timeouts == nil {
		p.timeouts = map[int][]time.Duration{}
	}
	p.dsts = append(p.dsts, dst)
	p.timeouts[size] = append(p.timeouts[size], timeout)
	switch {
	case p.fail != nil:
		return echoLost, p.fail
	case src != p.src:
		return echoLost, errors.New("sent from another address than source gave")
	case p.here > 0 && size > p.here:
		return echoTooBigHere, nil
	case p.loseFirst && len(p.timeouts[size]) == 1:
		return echoLost, nil
	case size <= p.limit:
		return echoAnswered, nil
	case p.tooBig:
		return echoTooBig, nil
	}
	return echoLost, nil
}

func (p *echoPath) source(netip.Addr) (netip.Addr, error) { return p.src, nil }

// probeThrough runs the echo probe of page over path, with a proxy when not "".
func probeThrough(t *testing.T, path *echoPath, page, proxy string, tunnels []string) mtuFinding {
	t.Helper()
	if !path.src.IsValid() {
		path.src = netip.MustParseAddr("127.0.0.1")
	}
	tr := &http.Transport{}
	if proxy != "" {
		pu, _ := url.Parse(proxy)
		tr.Proxy = http.ProxyURL(pu)
	}
	p := &mtuProber{transport: tr, dialer: newHostDialer(nil), echo: path, tunnels: tunnels}
	u, err := url.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return p.probe(ctx, u)
}

func TestEchoProbe(t *testing.T) {
	for _, tt := range []struct {
		name   string
		path   *echoPath
		method string
		tries  []mtuTry
		hole   int // path_mtu_bytes; 0: no proof
	}{
		{"large echoes dropped silently", &echoPath{limit: 1200}, MTUProbeICMPDF,
			[]mtuTry{{Bytes: 1400}, {Bytes: 1240}, {Bytes: 1040, Passed: true}, {Bytes: 576, Passed: true}}, 1040},
		{"a router says they are too big", &echoPath{limit: 1100, tooBig: true}, MTUProbeICMPDF,
			[]mtuTry{{Bytes: 1400, TooBig: true}, {Bytes: 1240, TooBig: true}, {Bytes: 1040, Passed: true}, {Bytes: 576, Passed: true}}, 1040},
		{"random loss: each size is sent again", &echoPath{limit: 1200, loseFirst: true}, MTUProbeICMPDF,
			[]mtuTry{{Bytes: 1400}, {Bytes: 1240}, {Bytes: 1040, Passed: true}, {Bytes: 576, Passed: true}}, 1040},
		// A hung server answers echoes of every size: its path is no explanation.
		{"every size answered", &echoPath{limit: 1500}, MTUProbeICMPDF,
			[]mtuTry{{Bytes: 1400, Passed: true}, {Bytes: 1240, Passed: true}, {Bytes: 1040, Passed: true}, {Bytes: 576, Passed: true}}, 0},
		// ICMP filtered: nothing answers, nothing is proved.
		{"no echo answered at any size", &echoPath{}, MTUProbeICMPSilent,
			[]mtuTry{{Bytes: 1400}, {Bytes: 1240}, {Bytes: 1040}, {Bytes: 576}}, 0},
		{"echoes refused here", &echoPath{fail: errors.New("access denied")}, MTUProbeICMPSilent,
			[]mtuTry{{Bytes: 1400}, {Bytes: 1240}, {Bytes: 1040}, {Bytes: 576}}, 0},
		// This computer's own link carries 1300 bytes: 1400 is never sent by TCP there either.
		{"too big for this computer's own link", &echoPath{limit: 1500, here: 1300}, MTUProbeICMPDF,
			[]mtuTry{{Bytes: 1240, Passed: true}, {Bytes: 1040, Passed: true}, {Bytes: 576, Passed: true}}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := probeThrough(t, tt.path, "https://192.0.2.80/portal", "", nil)
			if f.method != tt.method || !slices.Equal(f.tries, tt.tries) {
				t.Fatalf("method %s, tries %v; want %s, %v", f.method, f.tries, tt.method, tt.tries)
			}
			d := f.details()
			if got, _ := d[DetailPathMTUBytes].(int); got != tt.hole || f.blackHole() != (tt.hole > 0) {
				t.Errorf("path_mtu_bytes = %v, blackHole %v; want %d", d[DetailPathMTUBytes], f.blackHole(), tt.hole)
			}
			if d[DetailMTUProbe] != tt.method || d[DetailMTUToProxy] != false || d[DetailMTUTunnel] != false {
				t.Errorf("details = %v", d)
			}
			for _, dst := range tt.path.dsts {
				if dst != netip.MustParseAddr("192.0.2.80") {
					t.Errorf("an echo went to %s, not the page's host", dst)
				}
			}
		})
	}
}

// Every size's echoes share what is left of the check's time: their waits add up to no more.
func TestEchoesStayWithinTheDeadline(t *testing.T) {
	path := &echoPath{}
	probeThrough(t, path, "http://192.0.2.80/", "", nil)
	for _, mss := range mtuProbeMSS {
		waits := path.timeouts[mss+headersIPv4]
		var sum time.Duration
		for _, w := range waits {
			sum += w
		}
		if len(waits) != echoesPerSize || sum > 2*time.Second {
			t.Errorf("%d bytes: %d echoes waiting %v in all, want %d within 2 s", mss+headersIPv4, len(waits), sum, echoesPerSize)
		}
	}
}

// Through a proxy the page's packets go to the proxy, and so do the echoes; the details say so.
func TestEchoesGoToTheProxy(t *testing.T) {
	path := &echoPath{limit: 1200}
	f := probeThrough(t, path, "https://192.0.2.80/portal", "http://192.0.2.3:3128", nil)
	if !f.toProxy || f.details()[DetailMTUToProxy] != true || !f.blackHole() {
		t.Errorf("finding %+v, details %v", f, f.details())
	}
	for _, dst := range path.dsts {
		if dst != netip.MustParseAddr("192.0.2.3") {
			t.Errorf("an echo went to %s, not the proxy", dst)
		}
	}
}

// Echoes that leave from a VPN interface's address went through the tunnel (here: loopback,
// named as the VPN's pattern).
func TestEchoesThroughTheTunnel(t *testing.T) {
	ifaces, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	var loopback string
	for _, ifi := range ifaces {
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.Equal(net.IPv4(127, 0, 0, 1)) {
				loopback = ifi.Name
			}
		}
	}
	if loopback == "" {
		t.Skip("no interface holds 127.0.0.1")
	}
	f := probeThrough(t, &echoPath{limit: 1200}, "https://192.0.2.80/portal", "", []string{loopback})
	if !f.tunnel || f.details()[DetailMTUTunnel] != true {
		t.Errorf("finding %+v", f)
	}
}

// A stalled page whose echoes show large packets lost is the path's, through the whole check
// and verdict, as with capped segment sizes; a stalled page whose echoes nobody answers stays
// the service's.
func TestStalledPageProbedWithEchoes(t *testing.T) {
	srv := quietServer(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }), nil)
	for _, tt := range []struct {
		path   *echoPath
		reason string
		method string
		cause  Cause
	}{
		{&echoPath{limit: 1200}, ReasonPathMTU, MTUProbeICMPDF, CausePathMTU},
		{&echoPath{}, ReasonUnreachable, MTUProbeICMPSilent, CauseServiceDown},
	} {
		t.Run(tt.method, func(t *testing.T) {
			tt.path.src = netip.MustParseAddr("127.0.0.1")
			r, _ := runServiceWith(t, srv.URL, func(c *serviceCheck) { c.mss, c.echo = false, tt.path })
			if r.Reason != tt.reason || r.Details[DetailMTUProbe] != tt.method {
				t.Fatalf("got %s/%q (%v)", r.Status, r.Reason, r.Details)
			}
			if tt.reason == ReasonPathMTU && (r.Details[DetailPathMTUBytes] != 1040 || r.Message.Args["bytes"] != 1040) {
				t.Errorf("path_mtu_bytes = %v, want 1040", r.Details[DetailPathMTUBytes])
			}
			r.ID, r.Group = ServicePrefix+"intra", GroupService
			if v := Decide(with(r)); v.Cause != tt.cause {
				t.Errorf("verdict %s, want %s", v.Cause, tt.cause)
			}
		})
	}
}

// runServiceWith runs a service check at url within 2 s, changed by adjust first.
func runServiceWith(t *testing.T, url string, adjust func(*serviceCheck)) (Result, *serviceCheck) {
	t.Helper()
	svc := profile.Service{Name: "Intra", Title: profile.Title{FI: "Intranetti", EN: "Intranet"}, URL: url}
	c := newServiceCheck(&profile.Profile{}, svc).(*serviceCheck)
	c.transport = trusting(nil)
	adjust(c)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r := c.Run(ctx)
	assertContract(t, r)
	return r, c
}
