package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeIPv6Net is a network as network.ipv6 sees it: routes per family, DNS answers, and
// whether a TCP connection over IPv6 gets through. Nothing is sent anywhere.
type fakeIPv6Net struct {
	route4, route6 bool
	answers        map[string][]netip.Addr // name → addresses of both families
	dialErr        error
	dialed         []string
}

func (f *fakeIPv6Net) check(probeURL string) *ipv6Check {
	return &ipv6Check{
		url: probeURL,
		lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
			if a, ok := f.answers[host]; ok {
				return a, nil
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		},
		route: func(network string, _ netip.Addr) (netip.Addr, bool) {
			if network == "udp6" {
				return netip.MustParseAddr("2001:db8:1::10"), f.route6
			}
			return netip.MustParseAddr("192.0.2.10"), f.route4
		},
		dial: func(_ context.Context, network, addr string) (net.Conn, error) {
			f.dialed = append(f.dialed, network+" "+addr)
			if f.dialErr != nil {
				return nil, f.dialErr
			}
			a, b := net.Pipe()
			_ = b.Close()
			return a, nil
		},
		now: time.Now,
	}
}

func addrs(s ...string) []netip.Addr {
	out := make([]netip.Addr, len(s))
	for i, a := range s {
		out[i] = netip.MustParseAddr(a)
	}
	return out
}

func TestIPv6Modes(t *testing.T) {
	const probe = "http://probe.example/"
	dualDNS := map[string][]netip.Addr{"probe.example": addrs("198.51.100.80", "2001:db8::80")}
	dns64 := map[string][]netip.Addr{
		"probe.example": addrs("198.51.100.80", "64:ff9b::c633:6450"),
		ipv4OnlyName:    addrs("192.0.0.170", "192.0.0.171", "64:ff9b::c000:aa", "64:ff9b::c000:ab"),
	}
	tests := []struct {
		name   string
		net    fakeIPv6Net
		url    string
		mode   string
		status Status
		dialed bool
		nat64  string
	}{
		{"no IPv6 route", fakeIPv6Net{route4: true, answers: dualDNS}, probe, IPv6None, StatusOK, false, ""},
		{"dual stack that works", fakeIPv6Net{route4: true, route6: true, answers: dualDNS}, probe, IPv6Dual, StatusOK, true, ""},
		{"IPv6 alone with DNS64 and NAT64", fakeIPv6Net{route6: true, answers: dns64}, probe, IPv6Only, StatusOK, true, "64:ff9b::/96"},
		{
			"IPv6 offered but black-holed",
			fakeIPv6Net{route4: true, route6: true, answers: dualDNS, dialErr: context.DeadlineExceeded},
			probe, IPv6Broken, StatusWarn, true, "",
		},
		{"the probe has no IPv6 address: not tried", fakeIPv6Net{route4: true, route6: true}, probe, IPv6Dual, StatusOK, false, ""},
		{"no internet_url: the routes tell", fakeIPv6Net{route6: true}, "", IPv6Only, StatusOK, false, ""},
		{"an IPv6 literal is tried as it is", fakeIPv6Net{route4: true, route6: true, dialErr: errors.New("no route")}, "https://[2001:db8::80]/", IPv6Broken, StatusWarn, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.net
			c := f.check(tt.url)
			r := c.Run(context.Background())
			r.ID, r.Group = IDIPv6, GroupNetwork
			assertContract(t, r)
			if m, _ := r.Details[DetailIPv6Mode].(string); !slices.Contains(IPv6Modes, m) {
				t.Errorf("ipv6_mode %q is not in IPv6Modes", m)
			}
			if r.Status != tt.status || r.Details[DetailIPv6Mode] != tt.mode {
				t.Errorf("status %s mode %v, want %s %s (%s)", r.Status, r.Details[DetailIPv6Mode], tt.status, tt.mode, r.Message.Key)
			}
			if (len(f.dialed) > 0) != tt.dialed {
				t.Errorf("dialed %v, want a connection over IPv6: %v", f.dialed, tt.dialed)
			}
			for _, d := range f.dialed {
				if d[:5] != "tcp6 " {
					t.Errorf("dialed %q, want tcp6 only", d)
				}
			}
			if got, _ := r.Details[DetailNAT64Prefix].(string); got != tt.nat64 {
				t.Errorf("nat64_prefix %q, want %q", got, tt.nat64)
			}
			if tt.status == StatusWarn && r.Reason != ReasonIPv6Broken {
				t.Errorf("reason %q, want %s", r.Reason, ReasonIPv6Broken)
			}
		})
	}
}

// The IPv6 connection goes to the probe's port: 443 for https.
func TestIPv6TriesTheProbesPort(t *testing.T) {
	f := fakeIPv6Net{route4: true, route6: true, answers: map[string][]netip.Addr{"probe.example": addrs("2001:db8::80")}}
	f.check("https://probe.example/x").Run(context.Background())
	if !slices.Equal(f.dialed, []string{"tcp6 [2001:db8::80]:443"}) {
		t.Errorf("dialed %v", f.dialed)
	}
}

// Through a proxy a direct connection is not expected to work, so it is not tried.
func TestIPv6NotTriedThroughAProxy(t *testing.T) {
	f := fakeIPv6Net{route4: true, route6: true, answers: map[string][]netip.Addr{"probe.example": addrs("2001:db8::80")}, dialErr: errors.New("blocked")}
	c := f.check("http://probe.example/")
	c.proxy = func(*http.Request) (*url.URL, error) { return url.Parse("http://proxy.example:3128") }
	r := c.Run(context.Background())
	if len(f.dialed) != 0 || r.Status != StatusOK {
		t.Errorf("dialed %v, status %s; want nothing tried and ok", f.dialed, r.Status)
	}
}

// Broken IPv6 is its own degraded verdict, with its own advice; a working mode says nothing.
func TestBrokenIPv6Verdict(t *testing.T) {
	broken := res(IDIPv6, GroupNetwork, StatusWarn, ReasonIPv6Broken)
	v := Decide(append(healthyResults(), broken))
	if v.Cause != CauseDegraded || v.Message.Key != "verdict.degraded.ipv6_broken" {
		t.Fatalf("verdict %s/%s", v.Cause, v.Message.Key)
	}
	if !slices.Contains(v.AdviceKeys, "advice.report_ipv6") || slices.Contains(v.AdviceKeys, "advice.use_cable") {
		t.Errorf("advice %v, want the IPv6 report and no cable", v.AdviceKeys)
	}
	if v := Decide(append(healthyResults(), res(IDIPv6, GroupNetwork, StatusOK, ""))); v.Cause != CauseHealthy {
		t.Errorf("a working IPv6 gives %s", v.Cause)
	}
}

func TestNAT64Prefix(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"64:ff9b::c000:aa", "64:ff9b::/96"},
		{"64:ff9b::192.0.0.171", "64:ff9b::/96"},
		{"2001:db8:100:200:c0:0:aa00:0", "2001:db8:100:200::/64"},
		{"2001:db8:c000:aa::", "2001:db8::/32"},
		{"2001:db8::80", ""},
		{"::ffff:192.0.0.170", ""},
	}
	for _, tt := range tests {
		p, ok := nat64Prefix(netip.MustParseAddr(tt.addr))
		got := ""
		if ok {
			got = p.String()
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// localRoute asks the real routing table: loopback is a route, but not a global one.
func TestLocalRouteWantsAGlobalSource(t *testing.T) {
	if src, ok := localRoute("udp4", netip.MustParseAddr("127.0.0.1")); ok || src.IsValid() && src.IsGlobalUnicast() {
		t.Errorf("loopback counted as a route to the internet: %v %v", src, ok)
	}
}

// The values of ipv6_mode are part of the report's contract: written out here, and documented.
func TestIPv6ModesKeepTheirValuesAndAreDocumented(t *testing.T) {
	want := []string{"broken", "dual", "ipv6_only", "none"}
	got := slices.Sorted(slices.Values(IPv6Modes))
	if !slices.Equal(got, want) {
		t.Errorf("IPv6Modes %v, the report promises %v", got, want)
	}
	doc, err := os.ReadFile(reportDoc)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range IPv6Modes {
		if !strings.Contains(string(doc), "`"+m+"`") {
			t.Errorf("ipv6_mode %q is not in %s", m, reportDoc)
		}
	}
}
