//go:build !linux

package diagnostics

import (
	"context"
	"errors"
	"net/netip"
	"time"
)

// systemFindHop needs an ICMP error handed to an unprivileged UDP socket, which only Linux's
// error queue does; elsewhere the path beyond the router is not measured.
func systemFindHop(context.Context, netip.Addr, time.Duration) (netip.Addr, error) {
	return netip.Addr{}, errors.New("finding the first hop beyond the router is not supported on this system")
}
