package closedport

import (
	"errors"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestAddrRefusesConnections(t *testing.T) {
	addr := Addr(t)
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		c.Close()
		t.Fatalf("%s accepted a connection", addr)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial %s: %v, want connection refused", addr, err)
	}
}
