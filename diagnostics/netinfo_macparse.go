package diagnostics

import (
	"net/netip"
	"strings"
)

// What macOS' routing socket says, turned into link kinds and default routes. Plain Go values
// in and out, so that the tests run on every OS; netinfo_darwin.go reads the socket.

// The BSD interface types (net/if_types.h) macOS reports in if_data.ifi_type.
const (
	macIFTEther = 0x06
	macIFTPPP   = 0x17
	macIFTLoop  = 0x18
	macIFTGIF   = 0x37 // generic IP-in-IP tunnel
	macIFTSTF   = 0x39 // 6to4
	macIFTWiFi  = 0x47
)

// macKind names an interface type. macOS reports Wi-Fi as Ethernet, and its VPN tunnels
// (utun, ipsec) as "other", so those are known by the name their kernel driver gives them.
func macKind(ifType int, name string) string {
	switch {
	case ifType == macIFTLoop:
		return LinkLoopback
	case ifType == macIFTPPP:
		return LinkPPP
	case ifType == macIFTGIF, strings.HasPrefix(name, "utun"), strings.HasPrefix(name, "ipsec"):
		return LinkTunnel
	case ifType == macIFTWiFi:
		return LinkWiFi
	case ifType == macIFTEther:
		return LinkEthernet
	}
	return LinkOther
}

// macDescription is what is known of an interface beyond its kind: only that a 6to4 tunnel is
// the OS's own IPv6 transition, never a VPN.
func macDescription(ifType int) string {
	if ifType == macIFTSTF {
		return "6to4"
	}
	return ""
}

// The route flags (net/route.h) that matter here.
const (
	macRTFUp        = 0x1
	macRTFReject    = 0x8
	macRTFBlackhole = 0x1000
	macRTFIfScope   = 0x1000000
)

// macRoute is one route of the routing table.
type macRoute struct {
	Flags int
	Index int
	// Dst is the destination; Mask its netmask (invalid when the message has none, which is
	// how the kernel writes a default route's).
	Dst, Mask, Gateway netip.Addr
	// LinkLayer says the gateway is a resolved hardware address (an ARP cache entry).
	LinkLayer bool
}

// macDefaultRoutes picks the default routes that route traffic: up, not reject or blackhole,
// and not scoped to one interface (macOS keeps a scoped default per interface for
// applications bound to it; the unscoped one is what everything else uses). IPv4 first.
func macDefaultRoutes(rows []macRoute, names map[int]string) []Route {
	var v4, v6 []Route
	for _, r := range rows {
		if r.Flags&macRTFUp == 0 || r.Flags&(macRTFReject|macRTFBlackhole|macRTFIfScope) != 0 {
			continue
		}
		if !r.Dst.IsValid() || !r.Dst.IsUnspecified() || (r.Mask.IsValid() && !r.Mask.IsUnspecified()) {
			continue
		}
		route := Route{Interface: names[r.Index]}
		if gw := r.Gateway.Unmap(); gw.IsValid() && !gw.IsUnspecified() {
			if gw.Is6() && gw.IsLinkLocalUnicast() && route.Interface != "" {
				gw = gw.WithZone(route.Interface)
			}
			route.Gateway = gw
		}
		if r.Dst.Is4() {
			v4 = append(v4, route)
		} else {
			v6 = append(v6, route)
		}
	}
	return append(v4, v6...)
}

// macNeighbourLive reports whether the ARP cache holds a resolved entry for ip.
func macNeighbourLive(rows []macRoute, ip netip.Addr) bool {
	want := ip.Unmap().WithZone("")
	for _, r := range rows {
		if r.Dst.Unmap() == want && r.LinkLayer && r.Flags&(macRTFReject|macRTFBlackhole) == 0 {
			return true
		}
	}
	return false
}
