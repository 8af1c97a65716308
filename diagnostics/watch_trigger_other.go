//go:build !linux

package diagnostics

// systemTCPSource is nil where Apuri cannot yet see which connections stall, so there the
// periodic probe alone notices an upstream loss. An OS joins by returning a tcpSource (see
// its doc in watch_trigger.go): Counters with the totals of segments sent with new data,
// retransmission timeouts, bytes received and connections begun, read every sample; Conns with the connections
// to other computers (their state, whether they retransmit on the timer, when the peer last
// acknowledged, and per connection the bytes received, when data last arrived and what waits
// unread where the OS keeps them), read only after a timeout or during a download. A field the
// OS does not give stays zero: no bytes received leaves downloads unwatched, nothing else.
func systemTCPSource() *tcpSource { return nil }
