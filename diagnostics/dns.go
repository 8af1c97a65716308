package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/miekg/dns"
)

// dnsCheck resolves the profile's names the way applications do (the system resolver) and also
// asks every configured nameserver directly, all at once, so that one dead server shows even
// while the others hide it, and a name that does not exist is told apart from a DNS outage.
type dnsCheck struct {
	names []string
	net   NetInfo
	// lookup is the system resolver.
	lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// exchange sends one query to one server over "udp" or "tcp".
	exchange func(ctx context.Context, m *dns.Msg, network, server string) (*dns.Msg, time.Duration, error)
	// queryTimeout bounds one attempt; a server that stays silent gets attempts tries.
	queryTimeout  time.Duration
	attempts      int
	lookupTimeout time.Duration
	latency       time.Duration
	now           func() time.Time
}

func newDNSCheck(p *profile.Profile, n NetInfo) Check {
	return &dnsCheck{
		names: p.Network.DNSNames,
		net:   n,
		lookup: func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		},
		exchange:     dnsExchange,
		queryTimeout: 750 * time.Millisecond,
		attempts:     2,
		// The system resolver gets as long as a silent server does, so that a dead network
		// ends the check on its own rather than at the runner's deadline.
		lookupTimeout: 1500 * time.Millisecond,
		latency:       netLatencyLimit(p),
		now:           time.Now,
	}
}

func (c *dnsCheck) ID() string   { return IDDNS }
func (c *dnsCheck) Group() Group { return GroupNetwork }

// dnsExchange is the real query: one round trip through miekg/dns.
func dnsExchange(ctx context.Context, m *dns.Msg, network, server string) (*dns.Msg, time.Duration, error) {
	client := &dns.Client{Net: network}
	return client.ExchangeContext(ctx, m, server)
}

// dnsNameDetail is what was learnt about one name.
type dnsNameDetail struct {
	Name      string            `json:"name"`
	Addrs     []string          `json:"addrs"`
	Error     string            `json:"error,omitempty"`
	LatencyMS float64           `json:"latency_ms"`
	Servers   map[string]string `json:"servers"` // server -> its answer, e.g. "NOERROR A 2, AAAA 0"
	status    dnsNameStatus
}

// dnsServerDetail is how one nameserver did.
type dnsServerDetail struct {
	Server    string  `json:"server"`
	Status    string  `json:"status"` // ok, failing (answers with errors), dead (no answer)
	Error     string  `json:"error,omitempty"`
	LatencyMS float64 `json:"latency_ms,omitempty"`
}

type dnsNameStatus int

const (
	dnsNameFailed   dnsNameStatus = iota // nobody answered about the name
	dnsNameMissing                       // a server said it does not exist or has no address
	dnsNameResolved                      // addresses came back
)

// dnsQueryOutcome is one (server, name, type) query.
type dnsQueryOutcome struct {
	resp *dns.Msg
	rtt  time.Duration
	err  error
}

// dnsLookupOutcome is the system resolver's answer for one name.
type dnsLookupOutcome struct {
	addrs []netip.Addr
	took  time.Duration
	err   error
}

func (c *dnsCheck) Run(ctx context.Context) Result {
	if len(c.names) == 0 {
		return Skip(i18n.Msg("check.dns.no_names"))
	}
	servers, err := c.net.Nameservers(ctx)
	if err != nil {
		Logf(ctx, "reading the nameservers failed: %v; using the system resolver only", err)
	}
	Logf(ctx, "names: %s; nameservers: %s", strings.Join(c.names, ", "), strings.Join(servers, ", "))

	qtypes := []uint16{dns.TypeA, dns.TypeAAAA}
	lookups := make([]dnsLookupOutcome, len(c.names))
	queries := make([][][]dnsQueryOutcome, len(servers)) // [server][name][qtype]
	var wg sync.WaitGroup
	for ni, name := range c.names {
		wg.Go(func() { lookups[ni] = c.systemLookup(ctx, name) })
	}
	for si, server := range servers {
		queries[si] = make([][]dnsQueryOutcome, len(c.names))
		for ni, name := range c.names {
			queries[si][ni] = make([]dnsQueryOutcome, len(qtypes))
			for qi, qt := range qtypes {
				wg.Go(func() { queries[si][ni][qi] = c.query(ctx, server, name, qt) })
			}
		}
	}
	wg.Wait()
	// A computer that will not even open the socket says nothing about the servers: judge the
	// names by the system resolver alone rather than call every server dead.
	unasked := dnsLocalFailure(queries)
	if unasked != "" {
		Logf(ctx, "the nameservers cannot be asked directly here (%s); using the system resolver only", unasked)
		servers, queries = nil, nil
	}

	names := make([]dnsNameDetail, len(c.names))
	serverDetails := make([]dnsServerDetail, len(servers))
	for si, server := range servers {
		serverDetails[si] = dnsServerDetail{Server: server, Status: DNSServerOK}
	}
	var (
		resolved, missing, failed, systemFails []string
		slowest                                time.Duration
	)
	for ni, name := range c.names {
		d := dnsNameDetail{Name: name, Addrs: []string{}, Servers: map[string]string{}}
		lk := lookups[ni]
		systemMissing := false
		var best time.Duration = -1
		if lk.err != nil {
			d.Error = lk.err.Error()
			var dnsErr *net.DNSError
			systemMissing = errors.As(lk.err, &dnsErr) && dnsErr.IsNotFound
		}
		for _, a := range lk.addrs {
			d.Addrs = append(d.Addrs, a.String())
		}
		serverAnswered, serverMissing := false, false
		for si, server := range servers {
			summary, answered, missingHere, rtt, problem := dnsSummarize(queries[si][ni], qtypes)
			d.Servers[server] = summary
			if answered || missingHere {
				if best < 0 || rtt < best {
					best = rtt
				}
				if sd := &serverDetails[si]; sd.LatencyMS == 0 || msOf(rtt) < sd.LatencyMS {
					sd.LatencyMS = netRound(msOf(rtt))
				}
			}
			serverAnswered = serverAnswered || answered
			serverMissing = serverMissing || missingHere
			if problem != "" {
				sd := &serverDetails[si]
				sd.Error = problem
				if sd.Status == DNSServerOK {
					sd.Status = DNSServerFailing
				}
			}
		}
		switch {
		case len(lk.addrs) > 0:
			d.status = dnsNameResolved
			d.LatencyMS = netRound(msOf(lk.took))
			slowest = max(slowest, lk.took)
		case serverAnswered:
			d.status = dnsNameResolved
			systemFails = append(systemFails, name)
			d.LatencyMS = netRound(msOf(best))
			slowest = max(slowest, best)
		case systemMissing || serverMissing:
			d.status = dnsNameMissing
		default:
			d.status = dnsNameFailed
		}
		switch d.status {
		case dnsNameResolved:
			resolved = append(resolved, name)
		case dnsNameMissing:
			missing = append(missing, name)
		default:
			failed = append(failed, name)
		}
		Logf(ctx, "%s: system resolver %v in %v (%s); servers: %s",
			name, d.Addrs, lk.took.Round(time.Millisecond), dnsOrText(d.Error, "ok"), dnsServerSummaries(d.Servers))
		names[ni] = d
	}

	// A server that never answered any query is dead, not just failing.
	var dead []string
	for si := range servers {
		sd := &serverDetails[si]
		if !dnsAnyResponse(queries[si]) {
			sd.Status = DNSServerDead
			sd.Error = dnsFirstError(queries[si])
		}
		if sd.Status != DNSServerOK {
			dead = append(dead, sd.Server)
		}
	}

	var res Result
	switch {
	case len(resolved) == 0 && len(missing) == 0:
		who := strings.Join(servers, ", ")
		if who == "" {
			who = "-"
		}
		res = Fail(i18n.Msg("check.dns.fail", "servers", who)).Because(ReasonNoAnswer)
		if dnsAllTimedOut(queries) {
			res = res.Detail(DetailErrorKind, ErrorKindTimeout)
		}
	case len(failed) > 0:
		res = Warn(i18n.Msg("check.dns.name_fails", "names", strings.Join(failed, ", "))).Because(ReasonPartial)
	case len(systemFails) > 0:
		res = Warn(i18n.Msg("check.dns.system_fails", "names", strings.Join(systemFails, ", "))).Because(ReasonSystemResolver)
	case len(dead) > 0:
		res = Warn(i18n.Msg("check.dns.dead_servers", "servers", strings.Join(dead, ", "))).Because(ReasonDeadServer)
	case len(missing) > 0:
		// The servers work: they say the name does not exist. That is a fact about the name (a
		// typo in the profile, or an internal name seen from outside the VPN), not a DNS outage.
		res = Warn(i18n.Msg("check.dns.nxdomain", "names", strings.Join(missing, ", "))).Because(ReasonNXDomain)
	case c.latency > 0 && slowest > c.latency:
		res = Warn(i18n.Msg("check.dns.slow", "latency_ms", netRound(msOf(slowest)))).Because(ReasonSlow)
	default:
		res = OK(i18n.Msg("check.dns.ok", "names", len(resolved), "latency_ms", netRound(msOf(slowest))))
	}
	res = res.Detail(DetailNames, names).Detail(DetailServers, serverDetails).
		Detail(DetailLatencyMS, netRound(msOf(slowest))).Detail(DetailDeadServers, dnsOrEmpty(dead))
	if unasked != "" {
		res = res.Detail(DetailServersUnasked, unasked)
	}
	return res
}

// dnsLocalFailure returns the first error when every query to every server failed before a
// packet left: the socket could not be made or set up (Go sets up UDP sockets on Windows with
// SIO_UDP_CONNRESET, which Wine 8 refuses; a security product may refuse the socket itself).
// A failed connect is not local: "network unreachable" is a finding.
func dnsLocalFailure(queries [][][]dnsQueryOutcome) string {
	first := ""
	for _, byName := range queries {
		for _, qs := range byName {
			for _, q := range qs {
				var sys *os.SyscallError
				if q.err == nil || !errors.As(q.err, &sys) || !slices.Contains([]string{"socket", "wsaioctl", "setsockopt"}, sys.Syscall) {
					return ""
				}
				if first == "" {
					first = netShortError(q.err)
					if !strings.Contains(first, sys.Syscall) {
						first = sys.Syscall + ": " + first
					}
				}
			}
		}
	}
	return first
}

// systemLookup resolves name the way applications on this computer do.
func (c *dnsCheck) systemLookup(ctx context.Context, name string) dnsLookupOutcome {
	if c.lookupTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.lookupTimeout)
		defer cancel()
	}
	t0 := c.now()
	addrs, err := c.lookup(ctx, name)
	return dnsLookupOutcome{addrs: addrs, took: c.now().Sub(t0), err: err}
}

// query asks one server about one name and type: UDP first, TCP when the answer was truncated,
// and once more when the server stayed silent (a single lost datagram must not condemn it).
func (c *dnsCheck) query(ctx context.Context, server, name string, qt uint16) dnsQueryOutcome {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qt)
	m.RecursionDesired = true
	m.SetEdns0(1232, false)
	attempts := max(c.attempts, 1)
	var out dnsQueryOutcome
	for i := 0; i < attempts; i++ {
		actx, cancel := context.WithTimeout(ctx, c.queryTimeout)
		t0 := c.now()
		r, _, err := c.exchange(actx, m, "udp", server)
		if err == nil && r.Truncated {
			Logf(ctx, "%s %s %s: truncated, asking again over TCP", server, name, dns.TypeToString[qt])
			r, _, err = c.exchange(actx, m, "tcp", server)
		}
		if err == nil && r.Rcode == dns.RcodeFormatError && m.IsEdns0() != nil {
			// An old server that does not understand EDNS0: ask the plain way.
			m.Extra = nil
			r, _, err = c.exchange(actx, m, "udp", server)
		}
		out = dnsQueryOutcome{resp: r, rtt: c.now().Sub(t0), err: err}
		cancel()
		if err == nil {
			Logf(ctx, "%s %s %s: %s, %d answers in %v", server, name, dns.TypeToString[qt],
				dns.RcodeToString[r.Rcode], len(r.Answer), out.rtt.Round(time.Millisecond))
			return out
		}
		Logf(ctx, "%s %s %s: attempt %d: %v", server, name, dns.TypeToString[qt], i+1, err)
		// Only silence deserves another try; a refusal or an unreachable network will not change.
		if ctx.Err() != nil || !netIsTimeout(err) {
			break
		}
	}
	return out
}

// dnsSummarize reads one server's answers about one name: whether it gave addresses, whether it
// said the name has none, its fastest answer, and what went wrong if anything.
func dnsSummarize(qs []dnsQueryOutcome, qtypes []uint16) (summary string, answered, missing bool, rtt time.Duration, problem string) {
	parts := make([]string, len(qs))
	good := 0
	rtt = -1
	for i, q := range qs {
		t := dns.TypeToString[qtypes[i]]
		if q.err != nil {
			parts[i] = t + " " + netShortError(q.err)
			continue
		}
		rc := dns.RcodeToString[q.resp.Rcode]
		if rtt < 0 || q.rtt < rtt {
			rtt = q.rtt
		}
		switch q.resp.Rcode {
		case dns.RcodeSuccess:
			good++
			n := dnsCountAddrs(q.resp.Answer)
			parts[i] = fmt.Sprintf("%s %d", t, n)
			if n > 0 {
				answered = true
			}
		case dns.RcodeNameError:
			good++
			missing = true
			parts[i] = t + " " + rc
		default:
			parts[i] = t + " " + rc
		}
	}
	if good > 0 && !answered {
		// NOERROR without addresses (NODATA) or NXDOMAIN: the name has no address here.
		missing = true
	}
	if good == 0 {
		problem = strings.Join(parts, ", ")
	}
	if rtt < 0 {
		rtt = 0
	}
	return strings.Join(parts, ", "), answered, missing, rtt, problem
}

func dnsCountAddrs(rrs []dns.RR) int {
	n := 0
	for _, rr := range rrs {
		switch rr.(type) {
		case *dns.A, *dns.AAAA:
			n++
		}
	}
	return n
}

func dnsAnyResponse(byName [][]dnsQueryOutcome) bool {
	for _, qs := range byName {
		for _, q := range qs {
			if q.err == nil {
				return true
			}
		}
	}
	return false
}

// dnsAllTimedOut reports whether no query got any answer, and none was refused: silence, as on a
// path that loses packets.
func dnsAllTimedOut(queries [][][]dnsQueryOutcome) bool {
	for _, byName := range queries {
		for _, qs := range byName {
			for _, q := range qs {
				if q.err == nil || !netIsTimeout(q.err) {
					return false
				}
			}
		}
	}
	return len(queries) > 0
}

func dnsFirstError(byName [][]dnsQueryOutcome) string {
	for _, qs := range byName {
		for _, q := range qs {
			if q.err != nil {
				return netShortError(q.err)
			}
		}
	}
	return ""
}

func dnsServerSummaries(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + m[k]
	}
	return dnsOrText(strings.Join(parts, "; "), "none asked")
}

func dnsOrText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// dnsOrEmpty keeps empty lists as [] rather than null in the JSON report.
func dnsOrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// nameserversFrom parses a resolv.conf(5) file into "ip:port" addresses.
func nameserversFrom(path string) ([]string, error) {
	conf, err := dns.ClientConfigFromFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := make([]string, 0, len(conf.Servers))
	for _, s := range conf.Servers {
		out = append(out, net.JoinHostPort(s, conf.Port))
	}
	return out, nil
}
