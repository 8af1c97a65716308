package diagnostics

import (
	"context"
	"net/netip"
	"testing"
	"time"
)

// TestFindHopInTheLab sends real echoes with a short TTL through the IP Helper API in the lab,
// whose service is two hops away: with a TTL of 1 the router answers "time exceeded" and is
// named by its address; with the TTL of 2 the service itself answers; towards an address beyond
// the router that nobody holds, nothing answers and no hop is named. test/winlab runs it under
// Wine.
func TestFindHopInTheLab(t *testing.T) {
	env := labEnv(t)
	ctx := context.Background()
	gateway, service := netip.MustParseAddr(env["GATEWAY"]), netip.MustParseAddr(env["SERVICE"])
	if hop, err := findHopAt(ctx, service, 1, time.Second); err != nil || hop != gateway {
		t.Errorf("TTL 1 towards %s: hop %v (%v), want the router %s", service, hop, err, gateway)
	}
	if hop, err := systemFindHop(ctx, service, time.Second); err != nil || hop != service {
		t.Errorf("TTL 2 towards %s: hop %v (%v), want the service itself", service, hop, err)
	}
	silent := netip.MustParseAddr(env["SILENT"])
	if hop, err := systemFindHop(ctx, silent, 500*time.Millisecond); err == nil {
		t.Errorf("towards %s, which nobody holds: hop %v, want none", silent, hop)
	}
}
