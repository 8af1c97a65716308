//go:build !linux

package agent

import "net"

// checkPeer relies on the socket's mode 0600 in a private directory to keep other users out.
func checkPeer(net.Conn) error { return nil }
