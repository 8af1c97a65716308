//go:build !linux && !windows

package diagnostics

import (
	"context"
	"net/netip"
	"time"
)

// systemFindHop needs an ICMP error handed to an unprivileged program: Linux's error queue, or
// Windows' IP Helper echoes. Elsewhere (macOS) the path beyond the router is not measured.
func systemFindHop(context.Context, netip.Addr, time.Duration) (netip.Addr, error) {
	return netip.Addr{}, errHopUnsupported
}
