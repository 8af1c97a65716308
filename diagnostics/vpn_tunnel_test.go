package diagnostics

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"testing"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// tunnelNetInfo is a NetInfo that only knows its links.
type tunnelNetInfo struct {
	links []Link
	err   error
}

func (f tunnelNetInfo) Links(context.Context) ([]Link, error) { return f.links, f.err }
func (f tunnelNetInfo) DefaultRoutes(context.Context) ([]Route, error) {
	return nil, errors.New("not in this fake")
}
func (f tunnelNetInfo) Nameservers(context.Context) ([]string, error) {
	return nil, errors.New("not in this fake")
}
func (f tunnelNetInfo) NeighbourReachable(context.Context, netip.Addr) (bool, error) {
	return false, errors.New("not in this fake")
}

func link(name string, up bool, addrs ...string) Link {
	l := Link{Name: name, Up: up, Carrier: up}
	for _, a := range addrs {
		l.Addrs = append(l.Addrs, netip.MustParsePrefix(a))
	}
	return l
}

var (
	ethLink = link("eth0", true, "192.0.2.10/24", "fe80::1/64")
	loLink  = Link{Name: "lo", Up: true, Loopback: true, Addrs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/8")}}
)

func TestVPNTunnel(t *testing.T) {
	tests := []struct {
		name       string
		vpn        profile.VPN
		net        NetInfo
		status     Status
		reason     string
		key        string
		interfaces []string
		inactive   []string
	}{
		{
			name:   "wireguard up with an address",
			vpn:    profile.VPN{Interfaces: []string{"tun*", "wg*"}},
			net:    tunnelNetInfo{links: []Link{loLink, ethLink, link("wg0", true, "10.8.0.2/32")}},
			status: StatusOK, key: "check.vpn_tunnel.ok", interfaces: []string{"wg0"},
		},
		{
			name:   "two tunnels up",
			vpn:    profile.VPN{Required: true, Interfaces: []string{"tun*", "wg*"}},
			net:    tunnelNetInfo{links: []Link{link("tun0", true, "10.9.0.2/24"), link("wg1", true, "fd00::2/64")}},
			status: StatusOK, key: "check.vpn_tunnel.ok", interfaces: []string{"tun0", "wg1"},
		},
		{
			name:   "windows adapter name matched regardless of case",
			vpn:    profile.VPN{Interfaces: []string{"*anyconnect*"}},
			net:    tunnelNetInfo{links: []Link{link("Cisco AnyConnect Secure Mobility Client", true, "10.1.2.3/24")}},
			status: StatusOK, key: "check.vpn_tunnel.ok", interfaces: []string{"Cisco AnyConnect Secure Mobility Client"},
		},
		{
			name:   "default patterns when the profile names none",
			vpn:    profile.VPN{},
			net:    tunnelNetInfo{links: []Link{ethLink, link("tun0", true, "10.9.0.2/24")}},
			status: StatusOK, key: "check.vpn_tunnel.ok", interfaces: []string{"tun0"},
		},
		{
			name:   "a bad pattern is skipped, the good one still matches",
			vpn:    profile.VPN{Interfaces: []string{"[", "wg*"}},
			net:    tunnelNetInfo{links: []Link{link("wg0", true, "10.8.0.2/32")}},
			status: StatusOK, key: "check.vpn_tunnel.ok", interfaces: []string{"wg0"},
		},
		{
			name:   "no tunnel, not required: no VPN in use",
			vpn:    profile.VPN{Interfaces: []string{"tun*"}},
			net:    tunnelNetInfo{links: []Link{loLink, ethLink}},
			status: StatusSkip, reason: ReasonVPNAbsent, key: "check.vpn_tunnel.absent",
		},
		{
			name:   "no tunnel, required: down",
			vpn:    profile.VPN{Required: true, Interfaces: []string{"tun*"}},
			net:    tunnelNetInfo{links: []Link{loLink, ethLink}},
			status: StatusFail, reason: "down", key: "check.vpn_tunnel.down",
		},
		{
			name:   "tunnel device down, required",
			vpn:    profile.VPN{Required: true, Interfaces: []string{"tun*"}},
			net:    tunnelNetInfo{links: []Link{ethLink, link("tun0", false, "10.9.0.2/24")}},
			status: StatusFail, reason: "down", key: "check.vpn_tunnel.down", inactive: []string{"tun0"},
		},
		{
			name:   "tunnel up without an address",
			vpn:    profile.VPN{Required: true, Interfaces: []string{"wg*"}},
			net:    tunnelNetInfo{links: []Link{link("wg0", true)}},
			status: StatusFail, reason: "down", key: "check.vpn_tunnel.down", inactive: []string{"wg0"},
		},
		{
			name:   "only link-local addresses prove nothing",
			vpn:    profile.VPN{Interfaces: []string{"utun*"}},
			net:    tunnelNetInfo{links: []Link{link("utun0", true, "fe80::a/64"), link("utun1", true, "fe80::b/64")}},
			status: StatusSkip, reason: ReasonVPNAbsent, key: "check.vpn_tunnel.absent", inactive: []string{"utun0", "utun1"},
		},
		{
			name:   "loopback never counts even if a pattern matches it",
			vpn:    profile.VPN{Required: true, Interfaces: []string{"*"}},
			net:    tunnelNetInfo{links: []Link{loLink}},
			status: StatusFail, reason: "down", key: "check.vpn_tunnel.down",
		},
		{
			name:   "links cannot be read",
			vpn:    profile.VPN{Required: true, Interfaces: []string{"tun*"}},
			net:    tunnelNetInfo{err: errors.New("netlink: permission denied")},
			status: StatusSkip, reason: "no_data", key: "check.vpn_tunnel.unknown",
		},
		{
			name:   "no network information on this system",
			vpn:    profile.VPN{Required: true},
			net:    nil,
			status: StatusSkip, reason: "no_data", key: "check.vpn_tunnel.unknown",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newVPNTunnelCheck(&profile.Profile{VPN: tt.vpn}, tt.net)
			if c.ID() != IDVPNTunnel || c.Group() != GroupVPN {
				t.Fatalf("identity = %s/%s", c.ID(), c.Group())
			}
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if tt.interfaces != nil && !reflect.DeepEqual(r.Details["interfaces"], tt.interfaces) {
				t.Errorf("interfaces = %v, want %v", r.Details["interfaces"], tt.interfaces)
			}
			if tt.inactive != nil && !reflect.DeepEqual(r.Details["inactive"], tt.inactive) {
				t.Errorf("inactive = %v, want %v", r.Details["inactive"], tt.inactive)
			}
		})
	}
}

func TestVPNTunnelAddresses(t *testing.T) {
	c := newVPNTunnelCheck(&profile.Profile{VPN: profile.VPN{Interfaces: []string{"wg*"}}},
		tunnelNetInfo{links: []Link{link("wg0", true, "fe80::1/64", "10.8.0.2/32", "fd00::2/64")}})
	r := c.Run(context.Background())
	assertContract(t, r)
	want := map[string][]string{"wg0": {"10.8.0.2/32", "fd00::2/64"}}
	if !reflect.DeepEqual(r.Details["addresses"], want) {
		t.Fatalf("addresses = %v, want %v", r.Details["addresses"], want)
	}
	if got := r.Message.Args["interfaces"]; got != "wg0" {
		t.Errorf("message interfaces = %v", got)
	}
}

// The verdict must be able to blame a missing tunnel for a service that lives behind it.
func TestVPNResultsDriveVerdict(t *testing.T) {
	tunnel := newVPNTunnelCheck(&profile.Profile{VPN: profile.VPN{Interfaces: []string{"tun*"}}},
		tunnelNetInfo{links: []Link{ethLink}})
	tr := tunnel.Run(context.Background())
	tr.ID = IDVPNTunnel
	svc := Fail(i18n.Msg("check.service.unreachable", "service", "Intra")).Because("unreachable").Detail(DetailViaVPN, true)
	svc.ID = ServicePrefix + "Intra"
	if got := Decide([]Result{tr, svc}).Cause; got != CauseVPNDown {
		t.Fatalf("cause = %s, want %s", got, CauseVPNDown)
	}
	svc = svc.Detail(DetailViaVPN, false)
	if got := Decide([]Result{tr, svc}).Cause; got != CauseServiceDown {
		t.Fatalf("cause = %s, want %s", got, CauseServiceDown)
	}
}
