package diagnostics

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// A path that drops large packets (an MTU black hole: a link with a smaller MTU whose
// "fragmentation needed" messages a firewall drops) lets the TCP handshake and small answers
// through and loses every full-size packet, so pages start and never finish. Fetching the same
// page again with the connection's maximum segment size (MSS) capped at decreasing sizes tells
// it apart from a server that stalls: over such a path the small sizes load at once while a
// fetch at full size stalls again. Capping the MSS needs no privileges, unlike pings with
// Don't Fragment set, and tests the very path the page takes (same host, port and proxy).
// Where the segment size cannot be capped (Windows), echoes with Don't Fragment set measure the
// same path instead (mtu_echo.go); the finding is judged the same way whichever method made it.

// mtuProbeMSS are the segment sizes tried, largest first: a tunnel's usual size, then smaller
// ones down to 536, the size every IPv4 host must accept.
var mtuProbeMSS = []int{1360, 1200, 1000, 536}

// mtuProbeBytes is how much of the page a probe must load (or the whole page, if shorter) to
// pass: tens of full-size segments, which no black hole lets through.
const mtuProbeBytes = 64 << 10

// IP and TCP headers without options: a segment of MSS bytes travels in a packet this much larger.
const (
	headersIPv4 = 40
	headersIPv6 = 60
)

// mtuTry is one size tried: the largest packet it allowed, and whether the page loaded (or an
// echo of that size was answered). TooBig says a router on the way answered that the packet
// was too big for its next link (echoes only).
type mtuTry struct {
	Bytes  int  `json:"bytes"`
	Passed bool `json:"passed"`
	TooBig bool `json:"too_big,omitempty"`
}

// mtuFinding is what probing the path of a stalled page found.
type mtuFinding struct {
	method string
	tries  []mtuTry
	// fullPassed says the page loaded at full size this time: the stall did not repeat. With
	// echoes, the largest size was answered.
	fullPassed bool
	// tunnel says the probe's connections (or echoes) left through a VPN interface.
	tunnel bool
	// toProxy says the echoes went to the proxy the page goes through, not to its host.
	toProxy bool
}

// largest is the size of the largest packet that passed, or 0 when none did.
func (f mtuFinding) largest() int {
	best := 0
	for _, t := range f.tries {
		if t.Passed && t.Bytes > best {
			best = t.Bytes
		}
	}
	return best
}

// blackHole says whether the finding shows a path that drops large packets: full size stalled
// again (or the largest echo went unanswered), some smaller size loaded, and every size smaller
// than that loaded too. Anything else (a server that stalls whatever the size, random loss that
// let one size through and not a smaller one, echoes nobody answers) is no proof, and the
// verdict stays with the service. The method only says which sizes were tried, not how to judge.
func (f mtuFinding) blackHole() bool {
	best := f.largest()
	if !f.measured() || f.fullPassed || best == 0 {
		return false
	}
	return !slices.ContainsFunc(f.tries, func(t mtuTry) bool { return t.Bytes < best && !t.Passed })
}

// measured says whether sizes were tried at all.
func (f mtuFinding) measured() bool {
	return f.method == MTUProbeTCPMSS || f.method == MTUProbeICMPDF || f.method == MTUProbeICMPSilent
}

// details are the finding as the report's details.
func (f mtuFinding) details() map[string]any {
	d := map[string]any{DetailMTUProbe: f.method}
	if !f.measured() {
		return d
	}
	d[DetailMTUTried] = f.tries
	d[DetailMTUTunnel] = f.tunnel
	if f.method != MTUProbeTCPMSS {
		d[DetailMTUToProxy] = f.toProxy
	}
	if f.blackHole() {
		d[DetailPathMTUBytes] = f.largest()
	}
	return d
}

// mtuProber fetches a page again with capped segment sizes.
type mtuProber struct {
	// transport is the service check's; each probe clones it and dials with its own MSS.
	transport *http.Transport
	jar       http.CookieJar
	// dialer resolves and connects as the check does; only its dial is replaced.
	dialer *hostDialer
	// tunnels are the profile's VPN interface patterns, to tell which way the probe went.
	tunnels []string
	// mss says this system caps segment sizes (mssSupported); otherwise echo, when not nil,
	// sends echoes with Don't Fragment set.
	mss  bool
	echo echoer
}

// probeResult is one fetch of the probe.
type probeResult struct {
	mss    int // 0: the system's own, full size
	passed bool
	ipv6   bool
	tunnel bool
}

// probe measures the path of a stalled page with the first method this system has.
func (p *mtuProber) probe(ctx context.Context, u *url.URL) mtuFinding {
	switch {
	case p.mss:
		return p.probeMSS(ctx, u)
	case p.echo != nil:
		return p.probeEcho(ctx, u)
	}
	Logf(ctx, "path probe skipped: %v", errMSSUnsupported)
	return mtuFinding{method: MTUProbeUnsupported}
}

// probeMSS fetches u once at full size and once per size in mtuProbeMSS, all at once, until ctx
// ends, and says which loaded.
func (p *mtuProber) probeMSS(ctx context.Context, u *url.URL) mtuFinding {
	sizes := append([]int{0}, mtuProbeMSS...)
	results := make([]probeResult, len(sizes))
	var wg sync.WaitGroup
	for i, mss := range sizes {
		wg.Go(func() { results[i] = p.fetch(ctx, u, mss) })
	}
	wg.Wait()

	f := mtuFinding{method: MTUProbeTCPMSS}
	ipv6 := slices.ContainsFunc(results, func(r probeResult) bool { return r.ipv6 })
	for _, r := range results {
		f.tunnel = f.tunnel || r.tunnel
		if r.mss == 0 {
			f.fullPassed = r.passed
			continue
		}
		headers := headersIPv4
		if ipv6 {
			headers = headersIPv6
		}
		f.tries = append(f.tries, mtuTry{Bytes: r.mss + headers, Passed: r.passed})
	}
	Logf(ctx, "path probe: full size loaded %v; tried %v; through the VPN %v", f.fullPassed, f.tries, f.tunnel)
	return f
}

// fetch loads u over a connection whose MSS is capped at mss (0: not capped) and says whether
// mtuProbeBytes of it, or all of it, arrived before ctx ended.
func (p *mtuProber) fetch(ctx context.Context, u *url.URL, mss int) probeResult {
	res := probeResult{mss: mss}
	var mu sync.Mutex
	dialer := *p.dialer
	dialer.dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		conn, err := (&net.Dialer{Control: capMSS(mss)}).DialContext(ctx, network, address)
		if err == nil {
			mu.Lock()
			res.ipv6 = isIPv6(conn.RemoteAddr())
			res.tunnel = res.tunnel || leavesThrough(conn.LocalAddr(), p.tunnels)
			mu.Unlock()
		}
		return conn, err
	}
	t := p.transport.Clone()
	t.DialContext = dialer.DialContext
	defer t.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return res
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := (&http.Client{Transport: t, Jar: p.jar}).Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, mtuProbeBytes))
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	res.passed = err == nil
	return res
}

func isIPv6(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.To4() == nil
}

// leavesThrough says whether the local address belongs to an interface matching the VPN
// patterns: the packets then travel in the tunnel.
func leavesThrough(local net.Addr, patterns []string) bool {
	tcp, ok := local.(*net.TCPAddr)
	if !ok || len(patterns) == 0 {
		return false
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return false
	}
	for _, ifi := range ifaces {
		if !linkIsVPN(ifi.Name, patterns) {
			continue
		}
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.Equal(tcp.IP) {
				return true
			}
		}
	}
	return false
}
