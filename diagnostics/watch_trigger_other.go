//go:build !linux && !windows

package diagnostics

// systemTCPSource is nil where Apuri cannot see which connections stall: macOS' per-connection
// state is not wrapped by golang.org/x/sys, so there the periodic probe alone notices an
// upstream loss.
func systemTCPSource() *tcpSource { return nil }
