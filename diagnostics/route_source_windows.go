package diagnostics

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/windows"
)

// routeSource is the local address Windows would send from to dst, read from a UDP socket
// connected there (connecting sends nothing, it only asks the routing table). The socket is a
// plain Winsock one, not Go's: Go switches connection-reset reports off (SIO_UDP_CONNRESET) on
// every UDP socket it makes and gives up when a system refuses that, as Wine does and as a
// security product may, while asking for a route needs no input or output at all.
func routeSource(network string, dst netip.Addr) (netip.Addr, error) {
	var family int
	var sa windows.Sockaddr
	switch {
	case network == "udp6":
		family, sa = windows.AF_INET6, &windows.SockaddrInet6{Port: 9, Addr: dst.As16()}
	case dst.Unmap().Is4():
		family, sa = windows.AF_INET, &windows.SockaddrInet4{Port: 9, Addr: dst.Unmap().As4()}
	default:
		return netip.Addr{}, fmt.Errorf("%s is not an IPv4 address", dst)
	}
	s, err := windows.Socket(family, windows.SOCK_DGRAM, windows.IPPROTO_UDP)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("udp socket: %w", err)
	}
	defer windows.Closesocket(s)
	if err := windows.Connect(s, sa); err != nil {
		return netip.Addr{}, fmt.Errorf("no route to %s: %w", dst, err)
	}
	local, err := windows.Getsockname(s)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("local address: %w", err)
	}
	switch a := local.(type) {
	case *windows.SockaddrInet4:
		return netip.AddrFrom4(a.Addr), nil
	case *windows.SockaddrInet6:
		return netip.AddrFrom16(a.Addr), nil
	}
	return netip.Addr{}, fmt.Errorf("local address of unknown family %T", local)
}
