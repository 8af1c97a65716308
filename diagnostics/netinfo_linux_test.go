//go:build linux

package diagnostics

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

func TestHasCarrier(t *testing.T) {
	const (
		up      = unix.IFF_UP
		running = unix.IFF_RUNNING
		lower   = unix.IFF_LOWER_UP
	)
	tests := []struct {
		name string
		raw  uint32
		oper netlink.LinkOperState
		want bool
	}{
		{"ethernet with a cable", up | running | lower, netlink.OperUp, true},
		{"ethernet without a cable", up, netlink.OperDown, false},
		{"dummy device (state unknown, lower up)", up | running | lower, netlink.OperUnknown, true},
		{"tun with its VPN process", up | running | lower, netlink.OperUnknown, true},
		{"tun without a process", up, netlink.OperDown, false},
		{"veth whose peer is down", up, netlink.OperLowerLayerDown, false},
		{"wifi associated but not authenticated", up | lower, netlink.OperDormant, false},
		{"stale running flag without lower up", up | running, netlink.OperUnknown, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hasCarrier(tt.raw, tt.oper); got != tt.want {
				t.Errorf("hasCarrier = %t, want %t", got, tt.want)
			}
		})
	}
}

func TestIsDefaultDst(t *testing.T) {
	_, v4, _ := net.ParseCIDR("0.0.0.0/0")
	_, v6, _ := net.ParseCIDR("::/0")
	_, half, _ := net.ParseCIDR("0.0.0.0/1") // OpenVPN's def1 routes are not the default route
	_, lan, _ := net.ParseCIDR("192.0.2.0/24")
	for _, tt := range []struct {
		name string
		dst  *net.IPNet
		want bool
	}{{"nil", nil, true}, {"0.0.0.0/0", v4, true}, {"::/0", v6, true}, {"0.0.0.0/1", half, false}, {"a LAN", lan, false}} {
		if got := isDefaultDst(tt.dst); got != tt.want {
			t.Errorf("%s: got %t", tt.name, got)
		}
	}
}

func TestLinuxNameservers(t *testing.T) {
	p := filepath.Join(t.TempDir(), "resolv.conf")
	if err := os.WriteFile(p, []byte("nameserver 192.0.2.53\nnameserver ::1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n := &linuxNetInfo{nl: &netlink.Handle{}, resolvConf: p}
	got, err := n.Nameservers(context.Background())
	if err != nil || !reflect.DeepEqual(got, []string{"192.0.2.53:53", "[::1]:53"}) {
		t.Errorf("got %v %v", got, err)
	}
}

// TestSystemNetInfoSeesLoopback reads this computer's own links: loopback is always there.
func TestSystemNetInfoSeesLoopback(t *testing.T) {
	links, err := SystemNetInfo().Links(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if l.Name == "lo" && l.Loopback {
			return
		}
	}
	t.Errorf("no loopback in %+v", links)
}

// nlTestNamespace creates a network namespace of the test's own and a netlink handle into it.
func nlTestNamespace(t *testing.T) *netlink.Handle {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("creating a network namespace needs root")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	orig, err := netns.Get()
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	ns, err := netns.New()
	if err != nil {
		t.Skipf("no network namespaces here: %v", err)
	}
	if err := netns.Set(orig); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Close() })
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

func nlMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// nlWaitLink polls until the kernel's link watcher has settled a link into the wanted state; it
// runs asynchronously, up to a second after the change.
func nlWaitLink(t *testing.T, n *linuxNetInfo, name string, want func(Link) bool) Link {
	t.Helper()
	var last Link
	settled := func() bool {
		links, err := n.Links(context.Background())
		nlMust(t, err)
		for _, l := range links {
			if l.Name == name {
				last = l
				return want(l)
			}
		}
		return false
	}
	if err := poll.Within(10*time.Second, settled); err != nil {
		t.Fatalf("%s never reached the wanted state: %+v", name, last)
	}
	return last
}

// TestLinuxNetInfoInNamespace builds links, routes and neighbours in a namespace of its own and
// reads them back the way the checks do.
func TestLinuxNetInfoInNamespace(t *testing.T) {
	h := nlTestNamespace(t)
	n := &linuxNetInfo{nl: h, userHZ: 100}
	ctx := context.Background()

	nlMust(t, h.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "va"}, PeerName: "vb"}))
	va, err := h.LinkByName("va")
	nlMust(t, err)
	vb, err := h.LinkByName("vb")
	nlMust(t, err)
	lo, err := h.LinkByName("lo")
	nlMust(t, err)
	nlMust(t, h.LinkSetUp(lo))
	nlMust(t, h.LinkSetUp(va))
	addr, err := netlink.ParseAddr("10.77.0.2/24")
	nlMust(t, err)
	nlMust(t, h.AddrAdd(va, addr))

	t.Run("veth whose peer is down has no carrier", func(t *testing.T) {
		l := nlWaitLink(t, n, "va", func(l Link) bool { return l.Up })
		if l.Carrier {
			t.Errorf("va has a carrier while vb is down: %+v", l)
		}
		if peer := nlWaitLink(t, n, "vb", func(Link) bool { return true }); peer.Up || peer.Carrier {
			t.Errorf("vb: %+v", peer)
		}
	})

	nlMust(t, h.LinkSetUp(vb))
	t.Run("veth gets a carrier when its peer comes up", func(t *testing.T) {
		l := nlWaitLink(t, n, "va", func(l Link) bool { return l.Carrier })
		if !slices.Contains(l.Addrs, netip.MustParsePrefix("10.77.0.2/24")) || l.Loopback || l.MAC == "" {
			t.Errorf("va: %+v", l)
		}
		if lo := nlWaitLink(t, n, "lo", func(l Link) bool { return l.Carrier }); !lo.Loopback || !lo.Up {
			t.Errorf("lo: %+v", lo)
		}
	})

	t.Run("no default route yet", func(t *testing.T) {
		routes, err := n.DefaultRoutes(ctx)
		if err != nil || len(routes) != 0 {
			t.Errorf("got %v %v", routes, err)
		}
	})

	nlMust(t, h.RouteAdd(&netlink.Route{LinkIndex: va.Attrs().Index, Gw: net.ParseIP("10.77.0.1")}))
	_, v4any, _ := net.ParseCIDR("0.0.0.0/0")
	nlMust(t, h.RouteAdd(&netlink.Route{Dst: v4any, Priority: 200, MultiPath: []*netlink.NexthopInfo{
		{LinkIndex: va.Attrs().Index, Gw: net.ParseIP("10.77.0.3")},
		{LinkIndex: va.Attrs().Index, Gw: net.ParseIP("10.77.0.4")},
	}}))
	_, v6any, _ := net.ParseCIDR("::/0")
	nlMust(t, h.RouteAdd(&netlink.Route{LinkIndex: va.Attrs().Index, Dst: v6any, Gw: net.ParseIP("fe80::1")}))
	nlMust(t, h.RouteAdd(&netlink.Route{Dst: v6any, Type: unix.RTN_UNREACHABLE, Priority: 9999}))
	_, half, _ := net.ParseCIDR("0.0.0.0/1")
	nlMust(t, h.RouteAdd(&netlink.Route{LinkIndex: va.Attrs().Index, Dst: half, Gw: net.ParseIP("10.77.0.9")}))

	t.Run("default routes: IPv4 by metric, multipath split, IPv6 with its zone, unreachable left out", func(t *testing.T) {
		routes, err := n.DefaultRoutes(ctx)
		nlMust(t, err)
		want := []Route{
			{Gateway: netip.MustParseAddr("10.77.0.1"), Interface: "va"},
			{Gateway: netip.MustParseAddr("10.77.0.3"), Interface: "va"},
			{Gateway: netip.MustParseAddr("10.77.0.4"), Interface: "va"},
			{Gateway: netip.MustParseAddr("fe80::1%va"), Interface: "va"},
		}
		if !reflect.DeepEqual(routes, want) {
			t.Errorf("got %v, want %v", routes, want)
		}
	})

	mac, _ := net.ParseMAC("02:00:00:00:00:01")
	for ip, state := range map[string]int{
		"10.77.0.1": unix.NUD_REACHABLE, "10.77.0.5": unix.NUD_STALE, "10.77.0.6": unix.NUD_PERMANENT,
		"10.77.0.7": unix.NUD_FAILED, "10.77.0.8": unix.NUD_INCOMPLETE, "fe80::1": unix.NUD_REACHABLE,
	} {
		family := netlink.FAMILY_V4
		if net.ParseIP(ip).To4() == nil {
			family = netlink.FAMILY_V6
		}
		nlMust(t, h.NeighAdd(&netlink.Neigh{LinkIndex: va.Attrs().Index, Family: family, State: state, IP: net.ParseIP(ip), HardwareAddr: mac}))
	}
	t.Run("neighbour table", func(t *testing.T) {
		for ip, want := range map[string]bool{
			"10.77.0.1": true, "10.77.0.5": true, "10.77.0.6": true,
			"10.77.0.7": false, "10.77.0.8": false, "10.77.0.99": false,
			"fe80::1%va": true, "fe80::1%vb": false, "fe80::2%va": false,
		} {
			got, err := n.NeighbourReachable(ctx, netip.MustParseAddr(ip))
			if err != nil || got != want {
				t.Errorf("%s: got %t %v, want %t", ip, got, err, want)
			}
		}
		if _, err := n.NeighbourReachable(ctx, netip.MustParseAddr("fe80::1%nosuch")); err == nil {
			t.Error("an unknown zone should be an error")
		}
	})
	t.Run("a neighbour entry made just now was confirmed just now", func(t *testing.T) {
		live, ago, err := n.NeighbourConfirmed(ctx, netip.MustParseAddr("10.77.0.1"))
		if err != nil || !live || ago > 5*time.Second {
			t.Errorf("got %t %v %v", live, ago, err)
		}
		if live, _, err := n.NeighbourConfirmed(ctx, netip.MustParseAddr("10.77.0.99")); live || err != nil {
			t.Errorf("absent entry: %t %v", live, err)
		}
	})

	nlMust(t, h.LinkSetDown(va))
	t.Run("a link set down is neither up nor carrying", func(t *testing.T) {
		l := nlWaitLink(t, n, "va", func(l Link) bool { return !l.Up })
		if l.Carrier {
			t.Errorf("va: %+v", l)
		}
	})
}

func TestLinuxKind(t *testing.T) {
	attrs := func(name, encap string, flags uint32) netlink.LinkAttrs {
		return netlink.LinkAttrs{Name: name, EncapType: encap, RawFlags: flags}
	}
	tests := []struct {
		link netlink.Link
		want string
	}{
		{&netlink.Tuntap{LinkAttrs: attrs("tun0", "none", 0), Mode: netlink.TUNTAP_MODE_TUN}, LinkTunnel},
		{&netlink.Tuntap{LinkAttrs: attrs("tap0", "ether", 0), Mode: netlink.TUNTAP_MODE_TAP}, LinkEthernet},
		{&netlink.Wireguard{LinkAttrs: attrs("wg0", "none", 0)}, LinkTunnel},
		{&netlink.Device{LinkAttrs: attrs("ppp0", "ppp", 0)}, LinkPPP},
		{&netlink.Device{LinkAttrs: attrs("lo", "loopback", unix.IFF_LOOPBACK)}, LinkLoopback},
		{&netlink.Veth{LinkAttrs: attrs("apuri-no-such-link0", "ether", 0)}, LinkEthernet},
		{&netlink.Sittun{LinkAttrs: attrs("sit0", "sit", 0)}, LinkOther},
	}
	for _, tt := range tests {
		if got := linuxKind(tt.link); got != tt.want {
			t.Errorf("%s (%s): got %q, want %q", tt.link.Attrs().Name, tt.link.Type(), got, tt.want)
		}
	}
}
