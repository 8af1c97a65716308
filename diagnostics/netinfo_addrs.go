//go:build !linux && !windows

package diagnostics

import (
	"net"
	"net/netip"
)

// The systems whose net facts come from Go's net.Interface (macOS and the fallback) read the
// addresses the same way.

// addrPrefixes keeps the IP networks among an interface's addresses, as netip.Prefixes.
func addrPrefixes(addrs []net.Addr) []netip.Prefix {
	var out []netip.Prefix
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if p, ok := ipNetPrefix(n); ok {
				out = append(out, p)
			}
		}
	}
	return out
}
