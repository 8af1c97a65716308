package diagnostics

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Windows lets no program cap a connection's segment size, but lets any user send ICMP echoes
// with Don't Fragment set through the IP Helper API (what `ping -f -l SIZE` does). An echo of N
// bytes crosses the same links as a TCP packet of N bytes, so echoes of the sizes the TCP probe
// tries tell the same story: over a path that drops large packets the small echoes are
// answered and the large ones are lost, or a router answers that they are too big for its next
// link. An echo says nothing about the service itself: a hung server answers echoes of every
// size, so no size fails and nothing is claimed. A host or firewall that lets no echo through
// answers none at any size, which is no proof either (icmp_silent).
//
// With a proxy, the page's packets go to the proxy, so the echoes go there too. Beyond it the
// proxy's own connection carries the page, which no probe from this computer measures (capping
// the segment size measures only as far as the proxy as well); the details say where they went.

// echoStatus is what became of one echo.
type echoStatus int

const (
	echoLost       echoStatus = iota // no answer in time, or an answer that is no echo reply
	echoAnswered                     // the echo came back
	echoTooBig                       // a router on the way: too big for its next link, and not to be fragmented
	echoTooBigHere                   // too big for this computer's own link: the size says nothing of the path
)

// echoer sends ICMP echoes with Don't Fragment set.
type echoer interface {
	// echo sends one echo whose packet is size bytes, IP header included, from src (the local
	// address, when known) to dst and waits at most timeout for what comes back. An error is
	// the call's own failure: no echo was sent.
	echo(src, dst netip.Addr, size int, timeout time.Duration) (echoStatus, error)
	// source is the local address echoes to dst leave from.
	source(dst netip.Addr) (netip.Addr, error)
}

// Bounds on the echoes of one size: a few, so that one lost at random is sent again, each
// waiting at most a second, and none sent with less than minEchoWait left.
const (
	echoesPerSize = 3
	echoTimeout   = time.Second
	minEchoWait   = 50 * time.Millisecond
)

// probeEcho sends echoes at every size the TCP probe tries, all sizes at once, to the host the
// page's packets go to, until ctx ends, and says which were answered. The largest size plays
// the part of the full-size fetch.
func (p *mtuProber) probeEcho(ctx context.Context, u *url.URL) mtuFinding {
	f := mtuFinding{method: MTUProbeICMPSilent}
	host := u.Hostname()
	if proxy := p.proxyFor(ctx, u); proxy != nil {
		host, f.toProxy = proxy.Hostname(), true
	}
	addrs, err := p.dialer.lookup(ctx, host)
	if err != nil {
		Logf(ctx, "path probe: no echo sent, %s not found: %v", host, err)
		return f
	}
	dst := addrs[0].Unmap()
	headers := headersIPv4
	if dst.Is6() {
		headers = headersIPv6
	}
	src, err := p.echo.source(dst)
	if err != nil {
		Logf(ctx, "path probe: the way to %s: %v", dst, err)
	} else {
		f.tunnel = leavesThrough(&net.TCPAddr{IP: src.AsSlice()}, p.tunnels)
	}
	tries := make([]echoTry, len(mtuProbeMSS))
	var wg sync.WaitGroup
	for i, mss := range mtuProbeMSS {
		wg.Go(func() { tries[i] = p.echoSize(ctx, src, dst, mss+headers) })
	}
	wg.Wait()
	// A size too big for this computer's own link is left out: TCP never sends such packets
	// there, so it cannot be what stalls the page.
	for _, t := range tries {
		if t.here {
			Logf(ctx, "path probe: %d bytes is more than this computer's own link carries", t.Bytes)
			continue
		}
		f.tries = append(f.tries, t.mtuTry)
	}
	f.fullPassed = len(f.tries) > 0 && f.tries[0].Passed
	if slices.ContainsFunc(f.tries, func(t mtuTry) bool { return t.Passed || t.TooBig }) {
		f.method = MTUProbeICMPDF
	}
	Logf(ctx, "path probe: echoes with Don't Fragment to %s (the page's proxy: %v): tried %v; through the VPN %v", dst, f.toProxy, f.tries, f.tunnel)
	return f
}

// echoTry is one size's echoes; here says the size was too big for this computer's own link.
type echoTry struct {
	mtuTry
	here bool
}

// echoSize sends up to echoesPerSize echoes of size bytes to dst, one after another, until one
// is answered or a router says it is too big, sharing what is left of ctx between them.
func (p *mtuProber) echoSize(ctx context.Context, src, dst netip.Addr, size int) echoTry {
	try := echoTry{mtuTry: mtuTry{Bytes: size}}
	// The waits given out add up to no more than the time left at the start, even when an
	// echo comes back early.
	budget := time.Duration(echoesPerSize) * echoTimeout
	if deadline, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(deadline))
	}
	for left := echoesPerSize; left > 0; left-- {
		wait := min(echoTimeout, budget/time.Duration(left))
		if deadline, ok := ctx.Deadline(); ok {
			wait = min(wait, time.Until(deadline))
		}
		budget -= wait
		if wait < minEchoWait || ctx.Err() != nil {
			break
		}
		status, err := p.echo.echo(src, dst, size, wait)
		switch {
		case err != nil:
			// The next call would fail the same way.
			Logf(ctx, "path probe: echo of %d bytes to %s not sent: %v", size, dst, err)
			return try
		case status == echoAnswered:
			try.Passed = true
			return try
		case status == echoTooBig:
			try.TooBig = true
			return try
		case status == echoTooBigHere:
			try.here = true
			return try
		}
	}
	return try
}

// proxyFor is the proxy the check's transport sends u through, or nil when it goes direct.
func (p *mtuProber) proxyFor(ctx context.Context, u *url.URL) *url.URL {
	if p.transport == nil || p.transport.Proxy == nil {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil
	}
	proxy, err := p.transport.Proxy(req)
	if err != nil {
		return nil
	}
	return proxy
}
