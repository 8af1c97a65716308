//go:build darwin

package diagnostics

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/net/route"
)

// darwinNetInfo reads macOS' network configuration without running its tools: interfaces from
// package net and their types from the routing socket, default routes and the ARP cache from
// the routing socket (sysctl NET_RT_DUMP and NET_RT_FLAGS, what `netstat -rn` and `arp -an`
// read). DNS servers come from /etc/resolv.conf, which macOS writes from its resolver
// configuration: the live configuration (SCDynamicStore, what `scutil --dns` shows) needs
// CoreFoundation through cgo, so a VPN's servers for its own domains only are not seen.
type darwinNetInfo struct {
	resolvConf string
}

// SystemNetInfo returns the NetInfo of this computer.
func SystemNetInfo() NetInfo { return darwinNetInfo{resolvConf: "/etc/resolv.conf"} }

// Links lists the interfaces; the OS's "running" flag stands for the carrier.
func (darwinNetInfo) Links(ctx context.Context) ([]Link, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	types := map[int]int{}
	if msgs, err := fetchRIB(syscall.AF_UNSPEC, route.RIBTypeInterface, 0); err == nil {
		for _, m := range msgs {
			if im, ok := m.(*route.InterfaceMessage); ok {
				for _, s := range im.Sys() {
					if metrics, ok := s.(*route.InterfaceMetrics); ok {
						types[im.Index] = metrics.Type
					}
				}
			}
		}
	}
	out := make([]Link, 0, len(ifaces))
	for _, i := range ifaces {
		link := Link{
			Name:        i.Name,
			Index:       i.Index,
			Up:          i.Flags&net.FlagUp != 0,
			Loopback:    i.Flags&net.FlagLoopback != 0,
			MAC:         i.HardwareAddr.String(),
			Kind:        macKind(types[i.Index], i.Name),
			Description: macDescription(types[i.Index]),
		}
		link.Carrier = link.Up && i.Flags&net.FlagRunning != 0
		addrs, err := i.Addrs()
		if err != nil {
			return nil, fmt.Errorf("addresses of %s: %w", i.Name, err)
		}
		link.Addrs = addrPrefixes(addrs)
		out = append(out, link)
	}
	return out, nil
}

func (darwinNetInfo) DefaultRoutes(ctx context.Context) ([]Route, error) {
	rows, err := macRoutes(route.RIBTypeRoute, 0)
	if err != nil {
		return nil, fmt.Errorf("read the routing table: %w", err)
	}
	names := map[int]string{}
	if ifaces, err := net.Interfaces(); err == nil {
		for _, i := range ifaces {
			names[i.Index] = i.Name
		}
	}
	return macDefaultRoutes(rows, names), nil
}

func (d darwinNetInfo) Nameservers(ctx context.Context) ([]string, error) {
	return nameserversFrom(d.resolvConf)
}

// NeighbourReachable looks ip up in the ARP cache (IPv4 only: the NDP cache has no routing
// socket view).
func (darwinNetInfo) NeighbourReachable(ctx context.Context, ip netip.Addr) (bool, error) {
	if !ip.Unmap().Is4() {
		return false, nil
	}
	const netRTFlags, rtfLLInfo = 2, 0x400 // sysctl NET_RT_FLAGS, RTF_LLINFO
	rows, err := macRoutes(route.RIBType(netRTFlags), rtfLLInfo)
	if err != nil {
		return false, fmt.Errorf("read the ARP cache: %w", err)
	}
	return macNeighbourLive(rows, ip), nil
}

func fetchRIB(family int, typ route.RIBType, arg int) ([]route.Message, error) {
	b, err := route.FetchRIB(family, typ, arg)
	if err != nil {
		return nil, err
	}
	return route.ParseRIB(typ, b)
}

// macRoutes reads the routing table's messages into plain values.
func macRoutes(typ route.RIBType, arg int) ([]macRoute, error) {
	msgs, err := fetchRIB(syscall.AF_UNSPEC, typ, arg)
	if err != nil {
		return nil, err
	}
	var rows []macRoute
	for _, m := range msgs {
		rm, ok := m.(*route.RouteMessage)
		if !ok || len(rm.Addrs) <= syscall.RTAX_NETMASK {
			continue
		}
		r := macRoute{
			Flags:   rm.Flags,
			Index:   rm.Index,
			Dst:     routeAddr(rm.Addrs[syscall.RTAX_DST]),
			Gateway: routeAddr(rm.Addrs[syscall.RTAX_GATEWAY]),
			Mask:    routeAddr(rm.Addrs[syscall.RTAX_NETMASK]),
		}
		if la, ok := rm.Addrs[syscall.RTAX_GATEWAY].(*route.LinkAddr); ok {
			r.LinkLayer = len(la.Addr) > 0
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func routeAddr(a route.Addr) netip.Addr {
	switch a := a.(type) {
	case *route.Inet4Addr:
		return netip.AddrFrom4(a.IP)
	case *route.Inet6Addr:
		return netip.AddrFrom16(a.IP)
	}
	return netip.Addr{}
}
