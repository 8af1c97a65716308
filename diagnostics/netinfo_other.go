//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/jackpal/gateway"
)

// stdNetInfo reads the network configuration through the standard library where the OS has no
// netlink: interfaces and addresses from package net, the default gateway from the OS's routing
// tool (jackpal/gateway), nameservers from resolv.conf where one exists (macOS, the BSDs).
type stdNetInfo struct {
	interfaces func() ([]net.Interface, error)
	addrs      func(net.Interface) ([]net.Addr, error)
	gateway    func() (net.IP, error)
	resolvConf string
}

// SystemNetInfo returns the NetInfo of this computer.
func SystemNetInfo() NetInfo {
	return &stdNetInfo{
		interfaces: net.Interfaces,
		addrs:      func(i net.Interface) ([]net.Addr, error) { return i.Addrs() },
		gateway:    gateway.DiscoverGateway,
		resolvConf: "/etc/resolv.conf",
	}
}

// Links lists the interfaces; the OS's "running" flag stands for the carrier.
func (s *stdNetInfo) Links(ctx context.Context) ([]Link, error) {
	ifaces, err := s.interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	out := make([]Link, 0, len(ifaces))
	for _, i := range ifaces {
		link := Link{
			Name:     i.Name,
			Index:    i.Index,
			Up:       i.Flags&net.FlagUp != 0,
			Loopback: i.Flags&net.FlagLoopback != 0,
			MAC:      i.HardwareAddr.String(),
		}
		link.Carrier = link.Up && i.Flags&net.FlagRunning != 0
		addrs, err := s.addrs(i)
		if err != nil {
			return nil, fmt.Errorf("addresses of %s: %w", i.Name, err)
		}
		link.Addrs = addrPrefixes(addrs)
		out = append(out, link)
	}
	return out, nil
}

// DefaultRoutes asks the OS for its default gateway and finds the interface that reaches it.
func (s *stdNetInfo) DefaultRoutes(ctx context.Context) ([]Route, error) {
	type answer struct {
		ip  net.IP
		err error
	}
	// The routing tool is an external command on some systems: never wait past ctx for it.
	ch := make(chan answer, 1)
	go func() {
		ip, err := s.gateway()
		ch <- answer{ip, err}
	}()
	var a answer
	select {
	case a = <-ch:
	case <-ctx.Done():
		return nil, fmt.Errorf("default gateway: %w", ctx.Err())
	}
	if a.err != nil {
		// jackpal/gateway says this when the table simply has no default route.
		if a.err.Error() == "no gateway found" {
			return nil, nil
		}
		return nil, fmt.Errorf("default gateway: %w", a.err)
	}
	gw, ok := netip.AddrFromSlice(a.ip)
	if !ok {
		return nil, nil
	}
	route := Route{Gateway: gw.Unmap()}
	if links, err := s.Links(ctx); err == nil {
		for _, l := range links {
			for _, p := range l.Addrs {
				if p.Contains(route.Gateway) {
					route.Interface = l.Name
				}
			}
		}
	}
	return []Route{route}, nil
}

// Nameservers reads resolv.conf where the OS keeps one; elsewhere none are known and the DNS
// check relies on the system resolver alone.
func (s *stdNetInfo) Nameservers(ctx context.Context) ([]string, error) {
	return nameserversFrom(s.resolvConf)
}

// NeighbourReachable is not known without netlink.
func (s *stdNetInfo) NeighbourReachable(ctx context.Context, ip netip.Addr) (bool, error) {
	return false, nil
}
