package diagnostics

import (
	"net/netip"
	"strings"
	"testing"
)

// TestRouteSourceInTheLab asks Windows for the route to the lab's service, beyond the router:
// the client's own address carries it, and there is no IPv6 route at all. test/winlab runs it
// under Wine, where Go's own UDP sockets cannot be made.
func TestRouteSourceInTheLab(t *testing.T) {
	env := labEnv(t)
	want := netip.MustParseAddr(strings.Split(env["ADDR"], "/")[0])
	src, err := routeSource("udp4", netip.MustParseAddr(env["SERVICE"]))
	if err != nil || src != want {
		t.Errorf("route to %s from %v (%v), want %v", env["SERVICE"], src, err, want)
	}
	if src, ok := localRoute("udp6", routeProbe6); ok {
		t.Errorf("an IPv6 route from %v in a lab without IPv6", src)
	}
	if _, err := routeSource("udp4", routeProbe6); err == nil {
		t.Error("an IPv4 route to an IPv6 address")
	}
}

// TestRouteSourceOfLoopback holds anywhere: loopback is reached from loopback.
func TestRouteSourceOfLoopback(t *testing.T) {
	src, err := routeSource("udp4", netip.MustParseAddr("127.0.0.1"))
	if err != nil || !src.IsLoopback() {
		t.Errorf("route to 127.0.0.1 from %v (%v), want loopback", src, err)
	}
}
