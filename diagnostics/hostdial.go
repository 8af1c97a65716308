package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// hostDialer dials "host:port" for the checks above DNS (internet, services, clock). It resolves
// the host by asking every configured nameserver at once and racing the system resolver, and takes
// the first answer. One dead or slow resolver is network.dns's finding (a warning); without this,
// the system resolver would wait out the dead one and every check above it would time out too,
// blaming the internet or a service for what is a DNS problem.
type hostDialer struct {
	nameservers func(ctx context.Context) ([]string, error)
	exchange    func(ctx context.Context, m *dns.Msg, network, server string) (*dns.Msg, time.Duration, error)
	system      func(ctx context.Context, host string) ([]netip.Addr, error)
	dial        func(ctx context.Context, network, address string) (net.Conn, error)
}

func newHostDialer(n NetInfo) *hostDialer {
	d := &hostDialer{
		exchange: dnsExchange,
		system: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
		dial: (&net.Dialer{}).DialContext,
	}
	if n != nil {
		d.nameservers = n.Nameservers
	}
	return d
}

// defaultHostDialer is shared by every check's transport: it holds no connections, only how to
// reach the system's nameservers.
var defaultHostDialer = sync.OnceValue(func() *hostDialer { return newHostDialer(SystemNetInfo()) })

// DialContext resolves the host of address and connects to its addresses, both address families
// raced as browsers race them (dialRace).
func (d *hostDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := d.lookup(ctx, host)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	return d.dialRace(ctx, network, port, addrs)
}

// lookupResult is one resolver's answer in the race.
type lookupResult struct {
	addrs []netip.Addr
	err   error
}

// lookup returns the addresses of host, IPv4 first, from whichever resolver answers first.
func (d *hostDialer) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var servers []string
	if d.nameservers != nil {
		servers, _ = d.nameservers(ctx)
	}
	results := make(chan lookupResult, len(servers)+1)
	go func() {
		addrs, err := d.system(ctx, host)
		results <- lookupResult{addrs, err}
	}()
	for _, s := range servers {
		go func() { results <- d.ask(ctx, s, host) }()
	}
	var firstErr error
	for range len(servers) + 1 {
		r := <-results
		if r.err == nil && len(r.addrs) > 0 {
			return r.addrs, nil
		}
		if firstErr == nil && r.err != nil {
			firstErr = r.err
		}
	}
	// One error that names the host, like the system resolver's; the answers of each server
	// are network.dns's to report.
	dnsErr := &net.DNSError{Err: "no address found", Name: host, IsNotFound: firstErr == nil}
	if firstErr != nil {
		dnsErr.Err = netShortError(firstErr)
		dnsErr.IsTimeout = netIsTimeout(firstErr)
	}
	return nil, dnsErr
}

// ask queries one nameserver for A and AAAA records at once: an IPv6-only network's
// nameserver answers both, and its IPv4 addresses lead nowhere.
func (d *hostDialer) ask(ctx context.Context, server, host string) lookupResult {
	type answer struct {
		v4    bool
		addrs []netip.Addr
		err   error
	}
	answers := make(chan answer, 2)
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		go func() {
			addrs, err := d.askType(ctx, server, host, qt)
			answers <- answer{qt == dns.TypeA, addrs, err}
		}()
	}
	var v4, v6 []netip.Addr
	var errs []error
	var grace <-chan time.Time
	for got := 0; got < 2; got++ {
		select {
		case a := <-answers:
			if a.v4 {
				v4 = a.addrs
			} else {
				v6 = a.addrs
			}
			if a.err != nil {
				errs = append(errs, a.err)
			}
			if a.v4 && len(v4) > 0 && grace == nil {
				// IPv4 is enough to connect: wait only briefly for IPv6, so a server that never
				// answers AAAA does not hold the connection up. IPv6 alone is not enough: it
				// may be the broken family, and IPv4 the one that works.
				grace = time.After(resolutionDelay)
			}
		case <-grace:
			got = 2
		}
	}
	// IPv4 first, as lookup promises; dialRace still tries IPv6 beside it.
	out := append(v4, v6...)
	if len(out) == 0 {
		return lookupResult{err: errors.Join(append(errs, fmt.Errorf("%s has no address for %s", server, host))...)}
	}
	return lookupResult{addrs: out}
}

// resolutionDelay is how long an answer for one address family waits for the other's (RFC 8305).
const resolutionDelay = 50 * time.Millisecond

// askType queries one nameserver for one record type, over TCP when the UDP answer is cut short.
func (d *hostDialer) askType(ctx context.Context, server, host string, qt uint16) ([]netip.Addr, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(host), qt)
	m.RecursionDesired = true
	resp, _, err := d.exchange(ctx, m, "udp", server)
	if err == nil && resp.Truncated {
		resp, _, err = d.exchange(ctx, m, "tcp", server)
	}
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, rr := range resp.Answer {
		switch rr := rr.(type) {
		case *dns.A:
			if a, ok := netip.AddrFromSlice(rr.A.To4()); ok {
				out = append(out, a)
			}
		case *dns.AAAA:
			if a, ok := netip.AddrFromSlice(rr.AAAA); ok {
				out = append(out, a)
			}
		}
	}
	return out, nil
}
