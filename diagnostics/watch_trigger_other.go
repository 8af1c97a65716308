//go:build !linux

package diagnostics

// systemTCPSource is nil where Apuri cannot see which connections stall: Windows' TCP
// statistics and macOS' per-connection state are not wrapped by golang.org/x/sys, so there the
// periodic probe alone notices an upstream loss.
func systemTCPSource() *tcpSource { return nil }
