package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// raceNet is a fake network for dialRace: each address either connects, fails at once, or
// hangs until the dial is given up (a black hole). It records what was dialed.
type raceNet struct {
	mu     sync.Mutex
	dialed []string
	refuse map[string]bool
	hang   map[string]bool
}

func (n *raceNet) dial(ctx context.Context, _, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.dialed = append(n.dialed, addr)
	n.mu.Unlock()
	switch {
	case n.hang[addr]:
		<-ctx.Done()
		return nil, ctx.Err()
	case n.refuse[addr]:
		return nil, errors.New("refused " + addr)
	}
	a, b := net.Pipe()
	_ = b.Close()
	return namedConn{a, addr}, nil
}

type namedConn struct {
	net.Conn
	name string
}

func TestDialRace(t *testing.T) {
	v6, v4 := "[2001:db8::80]:80", "198.51.100.80:80"
	both := []netip.Addr{netip.MustParseAddr("2001:db8::80"), netip.MustParseAddr("198.51.100.80")}
	tests := []struct {
		name    string
		net     *raceNet
		addrs   []netip.Addr
		want    string // the address connected to, or "" for an error
		wantErr string
		dialed  []string
	}{
		{"IPv6 black-holed: IPv4 beside it wins", &raceNet{hang: map[string]bool{v6: true}}, both, v4, "", []string{v6, v4}},
		{"IPv4 unreachable (IPv6 only): IPv6 at once", &raceNet{refuse: map[string]bool{v4: true}},
			[]netip.Addr{both[1], both[0]}, v6, "", []string{v4, v6}},
		{"both refuse: the first family's error", &raceNet{refuse: map[string]bool{v4: true, v6: true}}, both, "", "refused " + v6, []string{v6, v4}},
		{"one family: in turn", &raceNet{refuse: map[string]bool{v4: true}},
			[]netip.Addr{both[1], netip.MustParseAddr("198.51.100.81")}, "198.51.100.81:80", "", []string{v4, "198.51.100.81:80"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newHostDialer(nil)
			d.dial = tt.net.dial
			c, err := d.dialRace(context.Background(), "tcp", "80", tt.addrs)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				if got := c.(namedConn).name; got != tt.want {
					t.Errorf("connected to %s, want %s", got, tt.want)
				}
				c.Close()
			}
			tt.net.mu.Lock()
			defer tt.net.mu.Unlock()
			if !slices.Equal(tt.net.dialed, tt.dialed) {
				t.Errorf("dialed %v, want %v", tt.net.dialed, tt.dialed)
			}
		})
	}
}

// A nameserver's A and AAAA answers both count: on an IPv6-only network the AAAA is the one
// that connects.
func TestHostDialerAsksForBothFamilies(t *testing.T) {
	live := dnsTestServer(t, dnsZone{})
	d := newHostDialer(nil)
	r := d.ask(context.Background(), live, "good.test")
	if r.err != nil {
		t.Fatal(r.err)
	}
	want := []netip.Addr{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("2001:db8::10")}
	if !slices.Equal(r.addrs, want) {
		t.Errorf("addresses %v, want %v (IPv4 first)", r.addrs, want)
	}
	r = d.ask(context.Background(), live, "v4only.test")
	if r.err != nil || len(r.addrs) != 1 {
		t.Errorf("v4only.test: %v %v", r.addrs, r.err)
	}
}

// An IPv6 answer alone does not end the wait for IPv4: IPv6 may be the family that is broken.
// (An IPv4 answer waits only briefly for IPv6, which the test above shows with v4only.test.)
func TestHostDialerWaitsForIPv4AfterIPv6(t *testing.T) {
	d := newHostDialer(nil)
	aaaaAnswered := make(chan struct{})
	d.exchange = func(ctx context.Context, m *dns.Msg, _, _ string) (*dns.Msg, time.Duration, error) {
		r := new(dns.Msg)
		r.SetReply(m)
		hdr := dns.RR_Header{Name: m.Question[0].Name, Class: dns.ClassINET, Ttl: 60, Rrtype: m.Question[0].Qtype}
		if m.Question[0].Qtype == dns.TypeAAAA {
			r.Answer = append(r.Answer, &dns.AAAA{Hdr: hdr, AAAA: net.ParseIP("2001:db8::80")})
			close(aaaaAnswered)
			return r, 0, nil
		}
		// A comes only after AAAA has been handed over, however long that takes.
		<-aaaaAnswered
		time.Sleep(2 * resolutionDelay)
		r.Answer = append(r.Answer, &dns.A{Hdr: hdr, A: net.IPv4(198, 51, 100, 80)})
		return r, 0, nil
	}
	res := d.ask(context.Background(), "192.0.2.53:53", "probe.example")
	want := []netip.Addr{netip.MustParseAddr("198.51.100.80"), netip.MustParseAddr("2001:db8::80")}
	if res.err != nil || !slices.Equal(res.addrs, want) {
		t.Errorf("addresses %v (%v), want %v", res.addrs, res.err, want)
	}
}
