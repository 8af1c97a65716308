//go:build linux

package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// linuxNetInfo reads links, routes and neighbours straight from the kernel over netlink, so it
// sees what `ip link`, `ip route` and `ip neigh` see, in whatever network namespace it runs in.
type linuxNetInfo struct {
	// nl is the netlink handle; the zero Handle talks to the caller's network namespace.
	nl *netlink.Handle
	// resolvConf is the resolver configuration to read nameservers from.
	resolvConf string
	// userHZ converts the kernel's neighbour cache ages (clock ticks) to time.
	userHZ int
}

// SystemNetInfo returns the NetInfo of this computer.
func SystemNetInfo() NetInfo {
	// The kernel reports neighbour ages in USER_HZ ticks, which is 100 on every Linux
	// architecture Apuri is built for.
	return &linuxNetInfo{nl: &netlink.Handle{}, resolvConf: "/etc/resolv.conf", userHZ: 100}
}

// Links lists every link with its flags and addresses.
func (l *linuxNetInfo) Links(ctx context.Context) ([]Link, error) {
	links, err := l.nl.LinkList()
	if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
		return nil, fmt.Errorf("list links: %w", err)
	}
	addrs, err := l.nl.AddrList(nil, netlink.FAMILY_ALL)
	if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
		return nil, fmt.Errorf("list addresses: %w", err)
	}
	byIndex := map[int][]netip.Prefix{}
	for _, a := range addrs {
		// An address that failed duplicate detection is configured but never used.
		if a.IPNet == nil || a.Flags&unix.IFA_F_DADFAILED != 0 {
			continue
		}
		if p, ok := ipNetPrefix(a.IPNet); ok {
			byIndex[a.LinkIndex] = append(byIndex[a.LinkIndex], p)
		}
	}
	out := make([]Link, 0, len(links))
	for _, link := range links {
		l := linkFromAttrs(link.Attrs(), byIndex[link.Attrs().Index])
		l.Kind = linuxKind(link)
		out = append(out, l)
	}
	return out, nil
}

// linkFromAttrs decides up and carrier from the kernel's flags and operational state.
func linkFromAttrs(a *netlink.LinkAttrs, addrs []netip.Prefix) Link {
	up := a.RawFlags&unix.IFF_UP != 0
	return Link{
		Name:     a.Name,
		Index:    a.Index,
		Up:       up,
		Carrier:  up && hasCarrier(a.RawFlags, a.OperState),
		Loopback: a.RawFlags&unix.IFF_LOOPBACK != 0,
		Addrs:    addrs,
		MAC:      a.HardwareAddr.String(),
	}
}

// linuxKind names a link's sort from its netlink type: tun devices, WireGuard and the kernel's
// IP-in-IP tunnels are tunnels (sit, which carries IPv6 over IPv4 for the OS, is not a VPN),
// wireless devices are the ones with a wireless directory in sysfs.
func linuxKind(link netlink.Link) string {
	a := link.Attrs()
	switch t := link.(type) {
	case *netlink.Tuntap:
		if t.Mode == netlink.TUNTAP_MODE_TUN {
			return LinkTunnel
		}
		return LinkEthernet
	case *netlink.Wireguard, *netlink.Iptun, *netlink.Ip6tnl, *netlink.Gretun, *netlink.Vti, *netlink.Xfrmi:
		return LinkTunnel
	}
	switch {
	case a.RawFlags&unix.IFF_LOOPBACK != 0:
		return LinkLoopback
	case link.Type() == "ppp" || a.EncapType == "ppp":
		return LinkPPP
	case a.EncapType == "ether":
		if _, err := os.Stat("/sys/class/net/" + a.Name + "/wireless"); err == nil {
			return LinkWiFi
		}
		return LinkEthernet
	}
	return LinkOther
}

// hasCarrier reads the carrier from IFF_LOWER_UP and IFF_RUNNING rather than from the
// operational state alone: dummy and tun devices report "unknown" although they pass traffic,
// a veth is "lowerlayerdown" while its peer is down, and Wi-Fi stays "dormant" (not running)
// until it has authenticated.
func hasCarrier(raw uint32, oper netlink.LinkOperState) bool {
	if raw&unix.IFF_LOWER_UP == 0 || raw&unix.IFF_RUNNING == 0 {
		return false
	}
	switch oper {
	case netlink.OperDown, netlink.OperLowerLayerDown, netlink.OperNotPresent, netlink.OperDormant:
		return false
	}
	return true
}

// DefaultRoutes lists the IPv4 and IPv6 default routes of the main table, best metric first.
func (l *linuxNetInfo) DefaultRoutes(ctx context.Context) ([]Route, error) {
	routes, err := l.nl.RouteList(nil, netlink.FAMILY_ALL)
	if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
		return nil, fmt.Errorf("list routes: %w", err)
	}
	names := map[int]string{}
	if links, err := l.nl.LinkList(); err == nil || errors.Is(err, netlink.ErrDumpInterrupted) {
		for _, link := range links {
			names[link.Attrs().Index] = link.Attrs().Name
		}
	}
	type ranked struct {
		Route
		metric int
		v6     bool
	}
	var found []ranked
	for _, r := range routes {
		// "unreachable default" and "blackhole default" are routes that lead nowhere.
		if r.Type != unix.RTN_UNICAST || !isDefaultDst(r.Dst) {
			continue
		}
		hops := []*netlink.NexthopInfo{{LinkIndex: r.LinkIndex, Gw: r.Gw}}
		if len(r.MultiPath) > 0 {
			hops = r.MultiPath
		}
		for _, h := range hops {
			route := Route{Interface: names[h.LinkIndex]}
			if gw, ok := netip.AddrFromSlice(h.Gw); ok && !gw.IsUnspecified() {
				gw = gw.Unmap()
				// A link-local gateway (every IPv6 router) is only meaningful on its link.
				if gw.Is6() && gw.IsLinkLocalUnicast() && route.Interface != "" {
					gw = gw.WithZone(route.Interface)
				}
				route.Gateway = gw
			}
			found = append(found, ranked{route, r.Priority, r.Family == netlink.FAMILY_V6})
		}
	}
	// IPv4 first (what most traffic still uses), then by metric, as the kernel prefers.
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].v6 != found[j].v6 {
			return !found[i].v6
		}
		return found[i].metric < found[j].metric
	})
	out := make([]Route, len(found))
	for i, f := range found {
		out[i] = f.Route
	}
	return out, nil
}

// isDefaultDst reports whether a route destination is 0.0.0.0/0 or ::/0 (netlink leaves it nil).
func isDefaultDst(dst *net.IPNet) bool {
	if dst == nil {
		return true
	}
	ones, _ := dst.Mask.Size()
	return ones == 0 && dst.IP.IsUnspecified()
}

// Nameservers reads the nameservers from resolv.conf. A missing file means none are configured.
func (l *linuxNetInfo) Nameservers(ctx context.Context) ([]string, error) {
	return nameserversFrom(l.resolvConf)
}

// NeighbourReachable reports whether the neighbour table holds a live entry for ip.
func (l *linuxNetInfo) NeighbourReachable(ctx context.Context, ip netip.Addr) (bool, error) {
	n, err := l.neighbour(ip)
	if err != nil || n == nil {
		return false, err
	}
	return neighbourLive(n.State), nil
}

// NeighbourConfirmed reports whether ip has a live neighbour entry and how long ago the kernel
// last confirmed that the neighbour answers. A live entry alone may be half a minute old, so
// the gateway check uses the age to accept only evidence gathered while it was looking.
func (l *linuxNetInfo) NeighbourConfirmed(ctx context.Context, ip netip.Addr) (bool, time.Duration, error) {
	n, err := l.neighbour(ip)
	if err != nil || n == nil {
		return false, 0, err
	}
	hz := l.userHZ
	if hz <= 0 {
		hz = 100
	}
	ago := time.Duration(n.Confirmed) * time.Second / time.Duration(hz)
	return neighbourLive(n.State), ago, nil
}

// neighbour finds the entry for ip, on the link its zone names when it has one.
func (l *linuxNetInfo) neighbour(ip netip.Addr) (*netlink.Neigh, error) {
	ip = ip.Unmap()
	family, index := netlink.FAMILY_V4, 0
	if ip.Is6() {
		family = netlink.FAMILY_V6
	}
	if zone := ip.Zone(); zone != "" {
		link, err := l.nl.LinkByName(zone)
		if err != nil {
			return nil, fmt.Errorf("neighbour link %s: %w", zone, err)
		}
		index = link.Attrs().Index
	}
	neighs, err := l.nl.NeighList(index, family)
	if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
		return nil, fmt.Errorf("list neighbours: %w", err)
	}
	want := ip.WithZone("")
	for i := range neighs {
		if a, ok := netip.AddrFromSlice(neighs[i].IP); ok && a.Unmap() == want {
			return &neighs[i], nil
		}
	}
	return nil, nil
}

// neighbourLive reports whether a NUD state means the neighbour answered recently or is being
// re-checked; FAILED and INCOMPLETE mean it did not answer.
func neighbourLive(state int) bool {
	const live = unix.NUD_REACHABLE | unix.NUD_STALE | unix.NUD_DELAY | unix.NUD_PROBE | unix.NUD_PERMANENT
	return state&live != 0
}
