package diagnostics

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sort"
)

// What Windows' IP Helper API says, turned into Links, Routes and nameservers. These functions
// take plain Go values and raw table bytes, not Windows types, so that their tests run on every
// OS; netinfo_windows.go makes the calls.

// Windows' IANA interface types (ipifcons.h) and operational states (ifdef.h).
const (
	winIfTypeEthernet    = 6
	winIfTypePPP         = 23
	winIfTypeLoopback    = 24
	winIfTypePropVirtual = 53
	winIfTypeWiFi        = 71
	winIfTypeTunnel      = 131

	winOperUp      = 1
	winOperUnknown = 4
)

// Windows' media connect states (NET_IF_MEDIA_CONNECT_STATE).
const (
	winMediaUnknown      = 0
	winMediaConnected    = 1
	winMediaDisconnected = 2
)

// winAdapter is one adapter as GetAdaptersAddresses and GetIfEntry2Ex describe it.
type winAdapter struct {
	Name        string // the friendly name people see ("Wi-Fi", "Ethernet 2")
	Description string
	Index       uint32 // IPv4 interface index
	IPv6Index   uint32
	IfType      uint32
	OperStatus  uint32
	// AdminKnown says whether GetIfEntry2Ex answered; without it an adapter Windows lists is
	// taken to be switched on (Windows does not list a disabled adapter).
	AdminKnown bool
	AdminUp    bool
	Media      uint32
	Addrs      []netip.Prefix
	DNS        []netip.Addr
	IPv4Metric uint32
	IPv6Metric uint32
	MAC        string
}

// winKind names an interface type as the checks know it.
func winKind(ifType uint32) string {
	switch ifType {
	case winIfTypeEthernet:
		return LinkEthernet
	case winIfTypeWiFi:
		return LinkWiFi
	case winIfTypeTunnel:
		return LinkTunnel
	case winIfTypePPP:
		return LinkPPP
	case winIfTypePropVirtual:
		return LinkVirtual
	case winIfTypeLoopback:
		return LinkLoopback
	}
	return LinkOther
}

// linkFromWinAdapter decides up and carrier: up is the administrative state, the carrier the
// operational state together with the media state (a cable in, Wi-Fi associated). Dormant
// (Wi-Fi still authenticating) and "lower layer down" have no carrier.
func linkFromWinAdapter(a winAdapter) Link {
	up := !a.AdminKnown || a.AdminUp
	carrier := a.OperStatus == winOperUp || (a.OperStatus == winOperUnknown && a.Media == winMediaConnected)
	if a.Media == winMediaDisconnected {
		carrier = false
	}
	return Link{
		Name:        a.Name,
		Index:       int(a.Index),
		Up:          up,
		Carrier:     up && carrier,
		Loopback:    a.IfType == winIfTypeLoopback,
		Addrs:       slices.Clone(a.Addrs), // the adapter list is shared by its callers
		MAC:         a.MAC,
		Kind:        winKind(a.IfType),
		Description: a.Description,
	}
}

// winUnconfiguredDNS are the site-local addresses Windows lists as an adapter's IPv6 DNS
// servers when none is configured: placeholders, not servers.
var winUnconfiguredDNS = []netip.Addr{
	netip.MustParseAddr("fec0:0:0:ffff::1"), netip.MustParseAddr("fec0:0:0:ffff::2"), netip.MustParseAddr("fec0:0:0:ffff::3"),
}

// winNameservers lists the DNS servers of the connected adapters as "ip:53", the preferred
// adapter (lowest IPv4 metric) first, as Windows' resolver asks them.
func winNameservers(adapters []winAdapter) []string {
	live := slices.Clone(adapters)
	live = slices.DeleteFunc(live, func(a winAdapter) bool {
		l := linkFromWinAdapter(a)
		return l.Loopback || !l.Carrier
	})
	sort.SliceStable(live, func(i, j int) bool { return live[i].IPv4Metric < live[j].IPv4Metric })
	var out []string
	seen := map[netip.Addr]bool{}
	for _, a := range live {
		for _, ip := range a.DNS {
			ip = ip.Unmap()
			if !ip.IsValid() || ip.IsUnspecified() || seen[ip.WithZone("")] || slices.Contains(winUnconfiguredDNS, ip.WithZone("")) {
				continue
			}
			seen[ip.WithZone("")] = true
			out = append(out, net.JoinHostPort(ip.String(), "53"))
		}
	}
	return out
}

// winRoute is one row of GetIpForwardTable2.
type winRoute struct {
	Dest     netip.Prefix
	NextHop  netip.Addr
	IfIndex  uint32
	Metric   uint32
	Loopback bool
}

// winDefaultRoutes picks the default routes, IPv4 first, each family by the metric Windows
// itself compares: the route's metric plus its interface's.
func winDefaultRoutes(rows []winRoute, adapters []winAdapter) []Route {
	type ranked struct {
		Route
		metric uint64
		v6     bool
	}
	var found []ranked
	for _, r := range rows {
		if !r.Dest.IsValid() || r.Dest.Bits() != 0 || r.Loopback {
			continue
		}
		v6 := r.Dest.Addr().Is6() && !r.Dest.Addr().Is4In6()
		route := Route{}
		metric := uint64(r.Metric)
		for _, a := range adapters {
			if v6 && a.IPv6Index == r.IfIndex {
				route.Interface, metric = a.Name, metric+uint64(a.IPv6Metric)
			} else if !v6 && a.Index == r.IfIndex {
				route.Interface, metric = a.Name, metric+uint64(a.IPv4Metric)
			}
		}
		if gw := r.NextHop.Unmap(); gw.IsValid() && !gw.IsUnspecified() {
			// A link-local router (every IPv6 one) is only meaningful on its link.
			if gw.Is6() && gw.IsLinkLocalUnicast() && route.Interface != "" {
				gw = gw.WithZone(route.Interface)
			}
			route.Gateway = gw
		}
		found = append(found, ranked{route, metric, v6})
	}
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
	return out
}

// sockaddrInetSize is the size of SOCKADDR_INET, the union of sockaddr_in and sockaddr_in6.
const sockaddrInetSize = 28

// parseSockaddrInet reads a SOCKADDR_INET: the family (AF_INET 2, AF_INET6 23), then a
// sockaddr_in's address at byte 4 or a sockaddr_in6's at byte 8 with its scope at byte 24.
func parseSockaddrInet(b []byte) netip.Addr {
	if len(b) < sockaddrInetSize {
		return netip.Addr{}
	}
	switch binary.LittleEndian.Uint16(b) {
	case 2:
		return netip.AddrFrom4([4]byte(b[4:8]))
	case 23:
		return netip.AddrFrom16([16]byte(b[8:24]))
	}
	return netip.Addr{}
}

// winNeighbour is one row of GetIpNetTable2.
type winNeighbour struct {
	Addr    netip.Addr
	IfIndex uint32
	State   uint32
	// Resolved says the entry holds a hardware address: the neighbour answered once.
	Resolved bool
}

// MIB_IPNET_TABLE2 layout on 64-bit Windows: a ULONG count, the rows from byte 8 (8-aligned for
// the row's NET_LUID), 88 bytes each: SOCKADDR_INET Address (0), NET_IFINDEX (28), NET_LUID (32),
// PhysicalAddress[32] (40), PhysicalAddressLength (72), NL_NEIGHBOR_STATE State (76), Flags (80),
// ReachabilityTime (84).
const (
	ipNetTableRows  = 8
	ipNetRowSize    = 88
	ipNetRowIfIndex = 28
	ipNetRowPhys    = 40
	ipNetRowPhysLen = 72
	ipNetRowState   = 76
)

// The NL_NEIGHBOR_STATE values.
const (
	nlNeighborUnreachable = iota
	nlNeighborIncomplete
	nlNeighborProbe
	nlNeighborDelay
	nlNeighborStale
	nlNeighborReachable
	nlNeighborPermanent
)

var errShortTable = errors.New("table shorter than its row count says")

// parseIPNetTable2 reads a MIB_IPNET_TABLE2.
func parseIPNetTable2(b []byte) ([]winNeighbour, error) {
	if len(b) < 4 {
		return nil, errShortTable
	}
	n := int(binary.LittleEndian.Uint32(b))
	if n == 0 {
		return nil, nil
	}
	if len(b) < ipNetTableRows+n*ipNetRowSize {
		return nil, errShortTable
	}
	out := make([]winNeighbour, n)
	for i := range out {
		row := b[ipNetTableRows+i*ipNetRowSize:][:ipNetRowSize]
		physLen := min(int(binary.LittleEndian.Uint32(row[ipNetRowPhysLen:])), 32)
		out[i] = winNeighbour{
			Addr:     parseSockaddrInet(row),
			IfIndex:  binary.LittleEndian.Uint32(row[ipNetRowIfIndex:]),
			State:    binary.LittleEndian.Uint32(row[ipNetRowState:]),
			Resolved: slices.ContainsFunc(row[ipNetRowPhys:][:physLen], func(b byte) bool { return b != 0 }),
		}
	}
	return out, nil
}

// winNeighbourLive finds ip among the neighbours (on the interface ifIndex, when not 0) and
// reports whether its state means it answered recently or is being re-checked, as Linux's
// neighbourLive does; unreachable and incomplete mean it did not answer. The entry must also
// hold a hardware address: one that never got an answer has none, whatever its state says
// (Wine reports an ARP entry that never got an answer as stale, with an all-zero address).
func winNeighbourLive(rows []winNeighbour, ip netip.Addr, ifIndex uint32) bool {
	want := ip.Unmap().WithZone("")
	for _, r := range rows {
		if r.Addr.Unmap() != want || (ifIndex != 0 && r.IfIndex != ifIndex) || !r.Resolved {
			continue
		}
		switch r.State {
		case nlNeighborProbe, nlNeighborDelay, nlNeighborStale, nlNeighborReachable, nlNeighborPermanent:
			return true
		}
	}
	return false
}
