//go:build !linux && !windows

package diagnostics

// systemTCPSource is nil where Apuri cannot see which connections stall: macOS' per-connection
// state is not wrapped by golang.org/x/sys, so there the periodic probe alone notices an
// upstream loss. An OS joins by returning a tcpSource (see its doc in watch_trigger.go):
// Counters with the totals of segments sent with new data, retransmission timeouts, bytes
// received and connections begun, read every sample; Conns with the connections to other
// computers, read only after a timeout or during a download. A field the OS does not give
// stays zero: no bytes received leaves downloads unwatched, nothing else.
func systemTCPSource() *tcpSource { return nil }
