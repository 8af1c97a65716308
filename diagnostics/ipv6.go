package diagnostics

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// A network that offers IPv6 (addresses, a route, AAAA answers) but does not carry it is worse
// than one without: every program tries IPv6 first and waits before it falls back to IPv4, so
// pages load slowly for no visible reason. network.ipv6 tells the three working kinds apart
// from that one: no IPv6, both, and IPv6 alone with NAT64 for the IPv4 internet (RFC 7050 finds
// it: the name ipv4only.arpa has an IPv6 address only where DNS64 made one up).

// The values of DetailIPv6Mode.
const (
	IPv6None   = "none"      // no IPv6 route: IPv4 alone, which is fine
	IPv6Dual   = "dual"      // routes for both, and IPv6 works as far as it was tried
	IPv6Only   = "ipv6_only" // IPv6 alone: no IPv4 route, the IPv4 internet through NAT64
	IPv6Broken = "broken"    // IPv6 offered (route and AAAA) but a connection over it failed
)

// IPv6Modes lists every value of DetailIPv6Mode.
var IPv6Modes = []string{IPv6None, IPv6Dual, IPv6Only, IPv6Broken}

// ipv4OnlyName is RFC 7050's name with only IPv4 addresses (192.0.0.170 and .171): an IPv6
// answer for it was made up by DNS64, and carries the NAT64 prefix.
const ipv4OnlyName = "ipv4only.arpa"

// routeProbe4 and routeProbe6 are where the routing table is asked about when the probe's own
// addresses are not known: any global destination follows the default route. Asking sends
// nothing (a UDP socket is connected, never written).
var (
	routeProbe4 = netip.MustParseAddr("192.0.0.170")
	routeProbe6 = netip.MustParseAddr("2000::1")
)

// ipv6ConnectLimit bounds the attempt over IPv6: browsers fall back to IPv4 after about 0.3 s,
// so an IPv6 path that has not answered in this long is one they wait for every time.
const ipv6ConnectLimit = 1500 * time.Millisecond

type ipv6Check struct {
	url string
	// lookup gives a name's addresses of both families, past a dead nameserver (hostDialer).
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// route says which local address the system would send from to dst ("udp4" or "udp6"),
	// false when it has no route there.
	route func(network string, dst netip.Addr) (netip.Addr, bool)
	dial  func(ctx context.Context, network, addr string) (net.Conn, error)
	proxy func(*http.Request) (*url.URL, error)
	now   func() time.Time
}

func newIPv6Check(p *profile.Profile) Check {
	return &ipv6Check{
		url:    p.Network.InternetURL,
		lookup: defaultHostDialer().lookup,
		route:  localRoute,
		dial:   (&net.Dialer{}).DialContext,
		proxy:  netproxy.Shared().Func(),
		now:    time.Now,
	}
}

func (c *ipv6Check) ID() string   { return IDIPv6 }
func (c *ipv6Check) Group() Group { return GroupNetwork }

func (c *ipv6Check) Run(ctx context.Context) Result {
	if _, ok := c.route("udp6", routeProbe6); !ok {
		_, v4 := c.route("udp4", routeProbe4)
		Logf(ctx, "no IPv6 route")
		return c.mode(IPv6None, false, v4)
	}
	u, err := url.Parse(c.url)
	if err != nil || u.Hostname() == "" {
		_, v4 := c.route("udp4", routeProbe4)
		Logf(ctx, "IPv6 route, but no internet_url to try it with")
		return c.mode(modeOf(true, v4), true, v4)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"https": "443"}[u.Scheme]
		if port == "" {
			port = "80"
		}
	}
	lctx, cancel := withMargin(ctx)
	defer cancel()
	aaaa, a, synth := c.lookups(lctx, host)
	target4 := routeProbe4
	if len(a) > 0 {
		target4 = a[0]
	}
	_, v4 := c.route("udp4", target4)
	r := c.evidence(ctx, aaaa, synth)
	switch {
	case len(aaaa) == 0:
		Logf(ctx, "%s has no IPv6 address: IPv6 not tried", host)
		return merge(r, c.mode(modeOf(true, v4), true, v4))
	case c.proxied(u):
		Logf(ctx, "the internet is reached through a proxy: IPv6 not tried directly")
		return merge(r, c.mode(modeOf(true, v4), true, v4))
	}
	if _, ok := c.route("udp6", aaaa[0]); !ok {
		Logf(ctx, "no IPv6 route to %s", aaaa[0])
		return merge(r, c.mode(IPv6None, false, v4))
	}
	dctx, dcancel := context.WithTimeout(lctx, ipv6ConnectLimit)
	defer dcancel()
	addr := net.JoinHostPort(aaaa[0].String(), port)
	start := c.now()
	conn, err := c.dial(dctx, "tcp6", addr)
	took := c.now().Sub(start)
	if err != nil {
		Logf(ctx, "TCP to %s failed after %v: %v", addr, took.Round(time.Millisecond), err)
		return merge(r, c.mode(IPv6Broken, true, v4)).Detail(DetailError, err.Error()).
			Detail(DetailLatencyMS, netRound(msOf(took)))
	}
	_ = conn.Close()
	Logf(ctx, "TCP to %s in %v", addr, took.Round(time.Millisecond))
	return merge(r, c.mode(modeOf(true, v4), true, v4)).Detail(DetailLatencyMS, netRound(msOf(took)))
}

// lookups asks at once for the probe's addresses and ipv4only.arpa's, and sorts them: the
// probe's IPv6 and IPv4 addresses, and ipv4only.arpa's IPv6 ones. A lookup that fails or runs
// out of time counts as no answer.
func (c *ipv6Check) lookups(ctx context.Context, host string) (aaaa, a, synth []netip.Addr) {
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Unmap().Is4() {
			return nil, []netip.Addr{ip.Unmap()}, nil
		}
		return []netip.Addr{ip}, nil, nil
	}
	var wg sync.WaitGroup
	var probe, only []netip.Addr
	for name, dst := range map[string]*[]netip.Addr{host: &probe, ipv4OnlyName: &only} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addrs, err := c.lookup(ctx, name)
			if err != nil {
				Logf(ctx, "%s: %v", name, err)
			}
			*dst = addrs
		}()
	}
	wg.Wait()
	for _, ip := range probe {
		if ip = ip.Unmap(); ip.Is4() {
			a = append(a, ip)
		} else {
			aaaa = append(aaaa, ip)
		}
	}
	for _, ip := range only {
		if !ip.Unmap().Is4() {
			synth = append(synth, ip)
		}
	}
	return aaaa, a, synth
}

// evidence is what the lookups found: the probe's IPv6 addresses and the NAT64 prefix.
func (c *ipv6Check) evidence(ctx context.Context, aaaa, synth []netip.Addr) Result {
	r := Result{}
	shown := make([]string, 0, len(aaaa))
	for _, ip := range aaaa {
		shown = append(shown, ip.String())
	}
	r = r.Detail(DetailAAAA, shown)
	for _, ip := range synth {
		if p, ok := nat64Prefix(ip); ok {
			Logf(ctx, "%s answers %s: NAT64 prefix %s", ipv4OnlyName, ip, p)
			return r.Detail(DetailNAT64Prefix, p.String())
		}
	}
	return r
}

// proxied says whether the probe goes through a proxy, where a direct connection is not
// expected to work at all.
func (c *ipv6Check) proxied(u *url.URL) bool {
	if c.proxy == nil {
		return false
	}
	p, err := c.proxy(&http.Request{URL: u})
	return err == nil && p != nil
}

// mode is the result for one mode, with the routes as its evidence.
func (c *ipv6Check) mode(mode string, v6, v4 bool) Result {
	var r Result
	if mode == IPv6Broken {
		r = Warn(i18n.Msg("check.ipv6.broken")).Because(ReasonIPv6Broken)
	} else {
		r = OK(i18n.Msg("check.ipv6." + mode))
	}
	return r.Detail(DetailIPv6Mode, mode).Detail(DetailIPv6Route, v6).Detail(DetailIPv4Route, v4)
}

// merge adds evidence's details to r.
func merge(evidence, r Result) Result {
	for k, v := range evidence.Details {
		r = r.Detail(k, v)
	}
	return r
}

// modeOf is the working mode for the routes there are.
func modeOf(v6, v4 bool) string {
	switch {
	case v6 && v4:
		return IPv6Dual
	case v6:
		return IPv6Only
	}
	return IPv6None
}

// localRoute asks the routing table which local address would carry traffic to dst. Only a
// global address counts: an IPv6 route with nothing but a link-local source reaches no further
// than the link.
func localRoute(network string, dst netip.Addr) (netip.Addr, bool) {
	src, err := routeSource(network, dst)
	if err != nil {
		return netip.Addr{}, false
	}
	src = src.Unmap()
	return src, src.IsGlobalUnicast()
}

// wellKnownIPv4Only are the addresses of ipv4only.arpa (RFC 7050).
var wellKnownIPv4Only = []netip.Addr{netip.MustParseAddr("192.0.0.170"), netip.MustParseAddr("192.0.0.171")}

// nat64Prefix finds the NAT64 prefix in a DNS64 answer for ipv4only.arpa: the IPv4 address sits
// where RFC 6052 puts it for one of its prefix lengths (bits 64-71 are skipped below /96).
func nat64Prefix(ip netip.Addr) (netip.Prefix, bool) {
	if !ip.Is6() || ip.Is4In6() {
		return netip.Prefix{}, false
	}
	b := ip.As16()
	positions := map[int][4]int{
		96: {12, 13, 14, 15}, 64: {9, 10, 11, 12}, 56: {7, 9, 10, 11},
		48: {6, 7, 9, 10}, 40: {5, 6, 7, 9}, 32: {4, 5, 6, 7},
	}
	for _, bits := range []int{96, 64, 56, 48, 40, 32} {
		pos := positions[bits]
		v4 := netip.AddrFrom4([4]byte{b[pos[0]], b[pos[1]], b[pos[2]], b[pos[3]]})
		for _, known := range wellKnownIPv4Only {
			if v4 == known {
				p, err := ip.Prefix(bits)
				return p, err == nil
			}
		}
	}
	return netip.Prefix{}, false
}
