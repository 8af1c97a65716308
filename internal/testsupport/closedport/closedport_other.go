//go:build !linux

package closedport

import (
	"net"
	"testing"
)

// Addr binds a loopback port and closes it again, so nothing answers there.
func Addr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
