package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/profile"
	"github.com/miekg/dns"
)

// dnsZone answers like a small recursive resolver: known names, NXDOMAIN for "missing.test.",
// SERVFAIL for everything when servfail is set, and a truncated UDP answer for "big.test.".
type dnsZone struct{ servfail bool }

func (z dnsZone) ServeDNS(w dns.ResponseWriter, q *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(q)
	name, qt := q.Question[0].Name, q.Question[0].Qtype
	_, overUDP := w.RemoteAddr().(*net.UDPAddr)
	switch {
	case z.servfail:
		m.Rcode = dns.RcodeServerFailure
	case name == "missing.test.":
		m.Rcode = dns.RcodeNameError
	case name == "big.test." && overUDP:
		m.Truncated = true
	case name == "good.test." || name == "big.test.":
		if qt == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(192, 0, 2, 10)})
		}
		if qt == dns.TypeAAAA {
			m.Answer = append(m.Answer, &dns.AAAA{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: 60}, AAAA: net.ParseIP("2001:db8::10")})
		}
	case name == "v4only.test." && qt == dns.TypeA:
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(192, 0, 2, 11)})
	case name == "v4only.test.":
		// NOERROR without records: the name exists, without an IPv6 address.
	default:
		m.Rcode = dns.RcodeNameError
	}
	w.WriteMsg(m)
}

// dnsTestServer serves z on 127.0.0.1, UDP and TCP on the same port, until the test ends.
func dnsTestServer(t *testing.T, z dnsZone) string {
	t.Helper()
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		l, err := net.Listen("tcp", pc.LocalAddr().String())
		if err != nil {
			pc.Close() // the TCP port is taken: try another
			continue
		}
		for _, s := range []*dns.Server{{PacketConn: pc, Handler: z}, {Listener: l, Handler: z}} {
			started := make(chan struct{})
			s.NotifyStartedFunc = func() { close(started) }
			go s.ActivateAndServe()
			<-started
			t.Cleanup(func() { s.Shutdown() })
		}
		return pc.LocalAddr().String()
	}
	t.Fatal("no free loopback port for both UDP and TCP")
	return ""
}

// dnsDeadServer is a bound UDP socket that never answers: a name server that is down behind a
// firewall that drops, not rejects.
func dnsDeadServer(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}

// dnsClosedServer is a UDP port where nothing listens: the kernel answers "port unreachable".
func dnsClosedServer(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	return addr
}

// dnsResolverVia is a system resolver that asks only server.
func dnsResolverVia(server string) func(context.Context, string) ([]netip.Addr, error) {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, server)
	}}
	return func(ctx context.Context, host string) ([]netip.Addr, error) {
		return r.LookupNetIP(ctx, "ip", host)
	}
}

// dnsStepClock advances by step on every reading; safe for concurrent queries.
func dnsStepClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}

func testDNSCheck(names []string, servers []string, lookup func(context.Context, string) ([]netip.Addr, error)) *dnsCheck {
	p := &profile.Profile{Network: profile.Network{DNSNames: names}, Thresholds: profile.Thresholds{LatencyMS: 300}}
	c := newDNSCheck(p, &netFake{servers: servers}).(*dnsCheck)
	c.lookup = lookup
	c.queryTimeout = 150 * time.Millisecond
	c.lookupTimeout = time.Second
	return c
}

func TestDNS(t *testing.T) {
	good := dnsTestServer(t, dnsZone{})
	good2 := dnsTestServer(t, dnsZone{})
	failing := dnsTestServer(t, dnsZone{servfail: true})
	dead, dead2 := dnsDeadServer(t), dnsDeadServer(t)
	closed := dnsClosedServer(t)
	brokenSystem := func(context.Context, string) ([]netip.Addr, error) {
		return nil, &net.DNSError{Err: "i/o timeout", IsTimeout: true}
	}
	// goodOnly resolves good.test through a working server and times out on every other name.
	goodOnly := func(ctx context.Context, name string) ([]netip.Addr, error) {
		if name == "good.test" {
			return dnsResolverVia(good)(ctx, name)
		}
		return brokenSystem(ctx, name)
	}
	tests := []struct {
		name    string
		names   []string
		servers []string
		lookup  func(context.Context, string) ([]netip.Addr, error)
		now     func() time.Time
		status  Status
		reason  string
		key     string
		dead    []string
		arg     string // the message's names or servers argument
	}{
		{
			name:   "no names in the profile",
			status: StatusSkip, key: "check.dns.no_names",
		},
		{
			name:  "every server answers",
			names: []string{"good.test", "v4only.test"}, servers: []string{good, good2}, lookup: dnsResolverVia(good),
			status: StatusOK, key: "check.dns.ok", dead: []string{},
		},
		{
			name:  "one of two servers dead",
			names: []string{"good.test"}, servers: []string{good, dead}, lookup: dnsResolverVia(good),
			status: StatusWarn, reason: "dead_server", key: "check.dns.dead_servers", dead: []string{dead}, arg: dead,
		},
		{
			name:  "one server refuses at once (port unreachable)",
			names: []string{"good.test"}, servers: []string{closed, good}, lookup: dnsResolverVia(good),
			status: StatusWarn, reason: "dead_server", key: "check.dns.dead_servers", dead: []string{closed}, arg: closed,
		},
		{
			name:  "one server answers SERVFAIL",
			names: []string{"good.test"}, servers: []string{good, failing}, lookup: dnsResolverVia(good),
			status: StatusWarn, reason: "dead_server", key: "check.dns.dead_servers", dead: []string{failing}, arg: failing,
		},
		{
			name:  "every server dead and the system resolver fails",
			names: []string{"good.test"}, servers: []string{dead, dead2}, lookup: dnsResolverVia(dead),
			status: StatusFail, reason: "no_answer", key: "check.dns.fail", dead: []string{dead, dead2}, arg: dead + ", " + dead2,
		},
		{
			name:  "no servers known and the system resolver fails",
			names: []string{"good.test"}, lookup: brokenSystem,
			status: StatusFail, reason: "no_answer", key: "check.dns.fail", dead: []string{}, arg: "-",
		},
		{
			name:  "no servers known, the system resolver works",
			names: []string{"good.test"}, lookup: dnsResolverVia(good),
			status: StatusOK, key: "check.dns.ok", dead: []string{},
		},
		{
			name:  "a name that does not exist is an answer, not an outage",
			names: []string{"good.test", "missing.test"}, servers: []string{good}, lookup: dnsResolverVia(good),
			status: StatusWarn, reason: "nxdomain", key: "check.dns.nxdomain", dead: []string{}, arg: "missing.test",
		},
		{
			name:  "only names that do not exist",
			names: []string{"missing.test"}, servers: []string{good, good2}, lookup: dnsResolverVia(good),
			status: StatusWarn, reason: "nxdomain", key: "check.dns.nxdomain", dead: []string{}, arg: "missing.test",
		},
		{
			name:  "one name resolves, nobody answers about the other",
			names: []string{"good.test", "lost.test"}, servers: []string{failing}, lookup: goodOnly,
			status: StatusWarn, reason: "partial", key: "check.dns.name_fails", dead: []string{failing}, arg: "lost.test",
		},
		{
			name:  "servers answer but the system resolver fails",
			names: []string{"good.test"}, servers: []string{good}, lookup: brokenSystem,
			status: StatusWarn, reason: "system_resolver", key: "check.dns.system_fails", dead: []string{}, arg: "good.test",
		},
		{
			name:  "truncated answer is asked again over TCP",
			names: []string{"big.test"}, servers: []string{good}, lookup: dnsResolverVia(good2),
			status: StatusOK, key: "check.dns.ok", dead: []string{},
		},
		{
			name:  "slow answers",
			names: []string{"good.test"}, servers: []string{good}, lookup: dnsResolverVia(good), now: dnsStepClock(400 * time.Millisecond),
			status: StatusWarn, reason: "slow", key: "check.dns.slow", dead: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testDNSCheck(tt.names, tt.servers, tt.lookup)
			if tt.now != nil {
				c.now = tt.now
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			r := c.Run(ctx)
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s\n%+v", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key, r.Details)
			}
			if tt.status == StatusSkip {
				return
			}
			if got := r.Details["dead_servers"]; !reflect.DeepEqual(got, tt.dead) {
				t.Errorf("dead_servers = %v, want %v", got, tt.dead)
			}
			if tt.arg != "" {
				arg := r.Message.Args["names"]
				if arg == nil {
					arg = r.Message.Args["servers"]
				}
				if arg != tt.arg {
					t.Errorf("message argument = %v, want %q", arg, tt.arg)
				}
			}
		})
	}
}

func TestDNSDetails(t *testing.T) {
	good, dead := dnsTestServer(t, dnsZone{}), dnsDeadServer(t)
	l := &checkLog{}
	ctx := context.WithValue(context.Background(), logKey{}, l)
	r := testDNSCheck([]string{"good.test"}, []string{good, dead}, dnsResolverVia(good)).Run(ctx)
	assertContract(t, r)

	names := r.Details["names"].([]dnsNameDetail)
	if len(names) != 1 || !reflect.DeepEqual(names[0].Addrs, []string{"192.0.2.10", "2001:db8::10"}) {
		t.Errorf("names = %+v", names)
	}
	if got := names[0].Servers[good]; got != "A 1, AAAA 1" {
		t.Errorf("answer of the live server = %q", got)
	}
	if got := names[0].Servers[dead]; got != "A timeout, AAAA timeout" {
		t.Errorf("answer of the dead server = %q", got)
	}
	servers := r.Details["servers"].([]dnsServerDetail)
	if servers[0].Status != "ok" || servers[1].Status != "dead" || servers[1].Error != "timeout" {
		t.Errorf("servers = %+v", servers)
	}
	log := strings.Join(l.snapshot(), "\n")
	for _, want := range []string{"nameservers: " + good + ", " + dead, good + " good.test A: NOERROR, 1 answers", dead + " good.test AAAA: attempt 2"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestDNSNameserversUnreadable(t *testing.T) {
	good := dnsTestServer(t, dnsZone{})
	c := testDNSCheck([]string{"good.test"}, nil, dnsResolverVia(good))
	c.net = &netFake{serversErr: errors.New("permission denied")}
	if r := c.Run(context.Background()); r.Status != StatusOK {
		t.Errorf("status %s: the system resolver alone should do", r.Status)
	}
}

func TestDNSSkipsOldEDNSServers(t *testing.T) {
	// A server that answers FORMERR to EDNS0 gets the question again without it.
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		if q.IsEdns0() != nil {
			m.Rcode = dns.RcodeFormatError
		} else if q.Question[0].Qtype == dns.TypeA {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET}, A: net.IPv4(192, 0, 2, 1)})
		}
		w.WriteMsg(m)
	})
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &dns.Server{PacketConn: pc, Handler: h}
	started := make(chan struct{})
	s.NotifyStartedFunc = func() { close(started) }
	go s.ActivateAndServe()
	<-started
	t.Cleanup(func() { s.Shutdown() })

	system := func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("192.0.2.1")}, nil
	}
	c := testDNSCheck([]string{"old.test"}, []string{pc.LocalAddr().String()}, system)
	r := c.Run(context.Background())
	assertContract(t, r)
	servers := r.Details["servers"].([]dnsServerDetail)
	if r.Status != StatusOK || servers[0].Status != "ok" {
		t.Errorf("got %s %v", r.Status, r.Details)
	}
}

func TestNameserversFrom(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		want []string
	}{
		{"systemd-resolved stub", write("stub", "# managed\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n"), []string{"127.0.0.53:53"}},
		{"several servers, IPv6 with a zone", write("many", "nameserver 192.0.2.53\nnameserver 2001:db8::53\nnameserver fe80::1%eth0\n"),
			[]string{"192.0.2.53:53", "[2001:db8::53]:53", "[fe80::1%eth0]:53"}},
		{"no nameserver lines", write("empty", "search example.org\n"), []string{}},
		{"no file (Windows)", filepath.Join(dir, "absent"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := nameserversFrom(tt.path)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q %v, want %q", got, err, tt.want)
			}
		})
	}
}

// BenchmarkDNSHealthy measures a healthy lookup of two names against two loopback servers.
func BenchmarkDNSHealthy(b *testing.B) {
	var servers []string
	for range 2 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		s := &dns.Server{PacketConn: pc, Handler: dnsZone{}}
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go s.ActivateAndServe()
		<-started
		b.Cleanup(func() { s.Shutdown() })
		servers = append(servers, pc.LocalAddr().String())
	}
	c := testDNSCheck([]string{"good.test", "v4only.test"}, servers, dnsResolverVia(servers[0]))
	for b.Loop() {
		if r := c.Run(context.Background()); r.Status != StatusOK {
			b.Fatalf("%s %v", r.Status, r.Details)
		}
	}
}
