//go:build windows

package diagnostics

import (
	"context"
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// These tests read this computer's own tables through the IP Helper API. Anywhere they check
// what every Windows has; with APURI_WINLAB set (test/winlab runs them under Wine in the fault
// lab's client namespace) they check the lab's known adapters, routes, servers and neighbours.

func TestSystemNetInfoReadsTheTables(t *testing.T) {
	n := SystemNetInfo()
	ctx := context.Background()
	links, err := n.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(links, func(l Link) bool { return l.Loopback && l.Kind == LinkLoopback }) {
		t.Errorf("no loopback adapter among %+v", links)
	}
	if _, err := n.DefaultRoutes(ctx); err != nil {
		t.Error(err)
	}
	if _, err := n.Nameservers(ctx); err != nil {
		t.Error(err)
	}
	src := systemTCPSource()
	if _, err := src.Counters(); err != nil {
		t.Error(err)
	}
	if _, err := src.Conns(); err != nil {
		t.Error(err)
	}
}

// labEnv reads the lab's facts, or skips outside the lab.
func labEnv(t *testing.T) map[string]string {
	if os.Getenv("APURI_WINLAB") == "" {
		t.Skip("outside the Wine lab (test/winlab sets APURI_WINLAB)")
	}
	env := map[string]string{}
	for _, k := range []string{"LINK", "ADDR", "GATEWAY", "DNS1", "DNS2", "SERVICE", "ABSENT", "SILENT"} {
		env[k] = os.Getenv("APURI_WINLAB_" + k)
		if env[k] == "" {
			t.Fatalf("APURI_WINLAB_%s is not set", k)
		}
	}
	return env
}

func TestSystemNetInfoInTheLab(t *testing.T) {
	env := labEnv(t)
	n := SystemNetInfo()
	ctx := context.Background()

	links, err := n.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(links, func(l Link) bool { return l.Name == env["LINK"] })
	if i < 0 {
		t.Fatalf("no adapter %s among %+v", env["LINK"], links)
	}
	l := links[i]
	if !l.Up || !l.Carrier || l.Kind != LinkEthernet || !slices.Contains(l.Addrs, netip.MustParsePrefix(env["ADDR"])) {
		t.Errorf("%s = %+v, want up, carrier, ethernet, %s", l.Name, l, env["ADDR"])
	}

	routes, err := n.DefaultRoutes(ctx)
	want := Route{Gateway: netip.MustParseAddr(env["GATEWAY"]), Interface: env["LINK"]}
	if err != nil || len(routes) == 0 || routes[0] != want {
		t.Errorf("default routes %v %v, want %v first", routes, err, want)
	}

	servers, err := n.Nameservers(ctx)
	for _, dns := range []string{env["DNS1"], env["DNS2"]} {
		if err != nil || !slices.Contains(servers, net.JoinHostPort(dns, "53")) {
			t.Errorf("nameservers %v %v, want %s among them", servers, err, dns)
		}
	}

	// The router answers ARP once something is sent to it; an address nobody holds never does.
	gw := netip.MustParseAddr(env["GATEWAY"])
	absent := netip.MustParseAddr(env["ABSENT"])
	for _, ip := range []netip.Addr{gw, absent} {
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), "9"), 500*time.Millisecond); err == nil {
			c.Close()
		}
	}
	if live, err := n.NeighbourReachable(ctx, gw); err != nil || !live {
		t.Errorf("router %s: live %t, %v; want live", gw, live, err)
	}
	if live, err := n.NeighbourReachable(ctx, absent); err != nil || live {
		t.Errorf("nobody at %s: live %t, %v; want not live", absent, live, err)
	}
	logNeighbour(t, absent)
}

// logNeighbour logs the raw row for ip, to show what the OS itself said of it.
func logNeighbour(t *testing.T, ip netip.Addr) {
	rows, err := readIPNetTable2(ip)
	if err != nil {
		t.Logf("neighbour table: %v", err)
		return
	}
	for _, r := range rows {
		if r.Addr == ip {
			t.Logf("neighbour %s: state %d, hardware address known %t", ip, r.State, r.Resolved)
		}
	}
}

func TestStallTriggerSourceInTheLab(t *testing.T) {
	env := labEnv(t)
	src := systemTCPSource()
	before, err := src.Counters()
	if err != nil {
		t.Fatal(err)
	}
	// A request to the lab's service sends segments with data.
	c, err := net.DialTimeout("tcp", net.JoinHostPort(env["SERVICE"], "80"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("GET / HTTP/1.0\r\nHost: lab\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	if _, err := c.Read(buf); err != nil {
		t.Fatal(err)
	}
	c.Close()
	after, err := src.Counters()
	if err != nil || after.Sent <= before.Sent {
		t.Errorf("segments sent %d, then %d (%v): the request did not count", before.Sent, after.Sent, err)
	}
	if after.Opened <= before.Opened {
		t.Errorf("connections begun %d, then %d: the request did not count", before.Opened, after.Opened)
	}

	// A connection to a silent address stays in SYN-SENT, retransmitting its SYN.
	silent := netip.MustParseAddr(env["SILENT"])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		if c, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(silent.String(), "80")); err == nil {
			c.Close()
		}
	}()
	var stalls []tcpConn
	poll.Until(t, "a SYN-SENT connection to "+silent.String(), func() bool {
		stalls, err = src.Conns()
		return err == nil && slices.ContainsFunc(stalls, func(s tcpConn) bool { return s.Peer == silent && s.Connecting && s.Stalled })
	})
	// Its SYN sent again counts as a retransmission.
	poll.Until(t, "the retransmission counter to grow", func() bool {
		c, err := src.Counters()
		return err == nil && c.Timeouts > before.Timeouts
	})
}
