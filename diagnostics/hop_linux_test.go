//go:build linux

package diagnostics

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// A target that is itself the second hop answers the TTL-limited datagram with "port
// unreachable"; on loopback that target is 127.0.0.1 itself, read from the error queue.
func TestFindHopReadsTheErrorQueue(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hop, err := systemFindHop(ctx, loopGW, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if hop != loopGW {
		t.Errorf("hop %s, want %s", hop, loopGW)
	}
	if _, err := systemFindHop(ctx, netip.MustParseAddr("::1"), time.Second); err == nil {
		t.Error("IPv6 traced")
	}
}
