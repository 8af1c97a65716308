package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"reflect"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

// netFake is a NetInfo whose every answer the test sets.
type netFake struct {
	links      []Link
	linksErr   error
	routes     []Route
	routesErr  error
	servers    []string
	serversErr error
	neighbours map[netip.Addr]bool
}

func (f *netFake) Links(context.Context) ([]Link, error)          { return f.links, f.linksErr }
func (f *netFake) DefaultRoutes(context.Context) ([]Route, error) { return f.routes, f.routesErr }
func (f *netFake) Nameservers(context.Context) ([]string, error)  { return f.servers, f.serversErr }
func (f *netFake) NeighbourReachable(_ context.Context, ip netip.Addr) (bool, error) {
	return f.neighbours[ip], nil
}

// netLink builds a link; carrier follows up unless the name says otherwise.
func netLink(name string, up, carrier bool, addrs ...string) Link {
	l := Link{Name: name, Up: up, Carrier: carrier}
	for _, a := range addrs {
		l.Addrs = append(l.Addrs, netip.MustParsePrefix(a))
	}
	return l
}

var netLoopback = Link{Name: "lo", Up: true, Carrier: true, Loopback: true,
	Addrs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/8"), netip.MustParsePrefix("::1/128")}}

func TestInterfaces(t *testing.T) {
	vpn := profile.VPN{Interfaces: []string{"tun*", "wg*"}}
	tests := []struct {
		name    string
		net     *netFake
		status  Status
		reason  string
		key     string
		links   string // the message's links argument
		details []string
	}{
		{
			name:   "no links at all",
			net:    &netFake{},
			status: StatusFail, reason: ReasonNoLink, key: "check.interfaces.no_link",
		},
		{
			name:   "only loopback",
			net:    &netFake{links: []Link{netLoopback}},
			status: StatusFail, reason: ReasonNoLink, key: "check.interfaces.no_link",
		},
		{
			name:   "ethernet with an address",
			net:    &netFake{links: []Link{netLoopback, netLink("eth0", true, true, "192.0.2.10/24", "fe80::1/64")}},
			status: StatusOK, key: "check.interfaces.ok", links: "eth0", details: []string{"eth0"},
		},
		{
			name:   "cable unplugged",
			net:    &netFake{links: []Link{netLink("eth0", true, false, "192.0.2.10/24")}},
			status: StatusFail, reason: ReasonNoLink, key: "check.interfaces.no_link", details: []string{"eth0"},
		},
		{
			name:   "interface switched off",
			net:    &netFake{links: []Link{netLink("wlan0", false, false)}},
			status: StatusFail, reason: ReasonNoLink, key: "check.interfaces.no_link", details: []string{"wlan0"},
		},
		{
			name:   "DHCP gave nothing: only a self-assigned IPv4 address",
			net:    &netFake{links: []Link{netLink("eth0", true, true, "169.254.7.9/16", "fe80::1/64")}},
			status: StatusFail, reason: ReasonNoAddress, key: "check.interfaces.no_address", links: "eth0", details: []string{"eth0"},
		},
		{
			name:   "connected without any address",
			net:    &netFake{links: []Link{netLink("wlan0", true, true)}},
			status: StatusFail, reason: ReasonNoAddress, key: "check.interfaces.no_address", links: "wlan0", details: []string{"wlan0"},
		},
		{
			name:   "IPv6 only network",
			net:    &netFake{links: []Link{netLink("eth0", true, true, "fe80::1/64", "2001:db8::5/64")}},
			status: StatusOK, key: "check.interfaces.ok", links: "eth0", details: []string{"eth0"},
		},
		{
			name:   "a VPN tunnel alone is no network connection",
			net:    &netFake{links: []Link{netLink("wg0", true, true, "10.8.0.2/32"), netLink("eth0", true, false)}},
			status: StatusFail, reason: ReasonNoLink, key: "check.interfaces.no_link", details: []string{"eth0"},
		},
		{
			name: "one usable link among several",
			net: &netFake{links: []Link{netLink("wlan0", true, true, "169.254.1.1/16"),
				netLink("eth0", true, true, "192.0.2.10/24"), netLink("tun0", true, true, "10.9.0.1/24")}},
			status: StatusOK, key: "check.interfaces.ok", links: "eth0", details: []string{"wlan0", "eth0"},
		},
		{
			name:   "address on a link without carrier does not count",
			net:    &netFake{links: []Link{netLink("eth0", true, false, "192.0.2.10/24"), netLink("wlan0", true, true, "fe80::2/64")}},
			status: StatusFail, reason: ReasonNoAddress, key: "check.interfaces.no_address", links: "wlan0", details: []string{"eth0", "wlan0"},
		},
		{
			name:   "interfaces cannot be read",
			net:    &netFake{linksErr: errors.New("netlink: permission denied")},
			status: StatusSkip, key: "check.interfaces.unknown",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newInterfacesCheck(&profile.Profile{VPN: vpn}, tt.net)
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if tt.links != "" && r.Message.Args["links"] != tt.links {
				t.Errorf("links = %v, want %q", r.Message.Args["links"], tt.links)
			}
			if tt.status == StatusSkip {
				return
			}
			var names []string
			for _, d := range r.Details["links"].([]linkDetail) {
				names = append(names, d.Name)
			}
			if !reflect.DeepEqual(names, tt.details) {
				t.Errorf("detail links = %v, want %v", names, tt.details)
			}
		})
	}
}

func TestInterfacesDetailsSayWhy(t *testing.T) {
	n := &netFake{links: []Link{netLink("eth0", true, true, "169.254.7.9/16"), netLink("tun0", true, true, "10.8.0.2/24")}}
	r := newInterfacesCheck(&profile.Profile{VPN: profile.VPN{Interfaces: []string{"tun*"}}}, n).Run(context.Background())
	assertContract(t, r)
	want := []linkDetail{{Name: "eth0", Up: true, Carrier: true, Addrs: []string{"169.254.7.9/16"}, Usable: false}}
	if got := r.Details["links"]; !reflect.DeepEqual(got, want) {
		t.Errorf("links = %#v, want %#v", got, want)
	}
	if got := r.Details["ignored_vpn"]; !reflect.DeepEqual(got, []string{"tun0"}) {
		t.Errorf("ignored_vpn = %v", got)
	}
}

func TestUsableAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"192.0.2.1", true},
		{"10.1.2.3", true},
		{"2001:db8::1", true},
		{"fd00::1", true},
		{"169.254.0.1", false},
		{"169.254.255.254", false},
		{"fe80::1", false},
		{"febf::1", false},
		{"127.0.0.1", false},
		{"::1", false},
		{"0.0.0.0", false},
		{"224.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := usableAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("usableAddr(%s) = %t, want %t", tt.addr, got, tt.want)
			}
		})
	}
}

func TestIPNetPrefix(t *testing.T) {
	tests := []struct {
		name string
		in   *net.IPNet
		want string
	}{
		{"ipv4 in four bytes", &net.IPNet{IP: net.IPv4(192, 0, 2, 1).To4(), Mask: net.CIDRMask(24, 32)}, "192.0.2.1/24"},
		{"ipv4 in sixteen bytes with a short mask", &net.IPNet{IP: net.IPv4(192, 0, 2, 1), Mask: net.CIDRMask(24, 32)}, "192.0.2.1/24"},
		{"ipv4 in sixteen bytes with a long mask", &net.IPNet{IP: net.IPv4(192, 0, 2, 1), Mask: net.CIDRMask(120, 128)}, "192.0.2.1/24"},
		{"ipv6", &net.IPNet{IP: net.ParseIP("2001:db8::1"), Mask: net.CIDRMask(64, 128)}, "2001:db8::1/64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := ipNetPrefix(tt.in)
			if !ok || p.String() != tt.want {
				t.Errorf("got %v %t, want %s", p, ok, tt.want)
			}
		})
	}
}

func TestLinkIsVPN(t *testing.T) {
	patterns := []string{"tun*", "wg*", "[", "utun?"}
	for name, want := range map[string]bool{"tun0": true, "wg-office": true, "utun3": true, "utun12": false, "eth0": false, "wlan0": false} {
		if got := linkIsVPN(name, patterns); got != want {
			t.Errorf("linkIsVPN(%q) = %t, want %t", name, got, want)
		}
	}
}
