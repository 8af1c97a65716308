//go:build !windows

package diagnostics

import (
	"net"
	"net/netip"
)

// routeSource is the local address the system would send from to dst, read from a UDP socket
// connected there: connecting sends nothing, it only asks the routing table.
func routeSource(network string, dst netip.Addr) (netip.Addr, error) {
	c, err := net.DialUDP(network, nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, 9)))
	if err != nil {
		return netip.Addr{}, err
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).AddrPort().Addr(), nil
}
