package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/profile"
)

// netConfirmFake adds what Linux knows about a neighbour entry: when it was last confirmed.
type netConfirmFake struct {
	*netFake
	live bool
	ago  time.Duration
}

func (f *netConfirmFake) NeighbourConfirmed(context.Context, netip.Addr) (bool, time.Duration, error) {
	return f.live, f.ago, nil
}

// fakePing answers with fixed statistics, calling onReply once per reply as pro-bing does.
func fakePing(st pingStats, err error) pingFunc {
	return func(ctx context.Context, _ netip.Addr, o pingOptions) (pingStats, error) {
		for range st.Recv {
			if o.onReply != nil {
				o.onReply(st.AvgRTT)
			}
		}
		return st, err
	}
}

// silentPing sends into the void: nothing comes back before the deadline.
func silentPing(ctx context.Context, _ netip.Addr, o pingOptions) (pingStats, error) {
	select {
	case <-ctx.Done():
	case <-time.After(o.timeout):
	}
	return pingStats{Sent: o.count}, nil
}

var errNoICMP = errors.New("socket: permission denied")

// netListener is the port of a loopback TCP listener that accepts until the test ends.
func netListener(t *testing.T) string {
	t.Helper()
	_, port, _ := net.SplitHostPort(openPort(t))
	return port
}

// netClosedPort is a loopback TCP port where nothing listens: the kernel answers with a reset.
func netClosedPort(t *testing.T) string {
	t.Helper()
	_, port, _ := net.SplitHostPort(closedport.Addr(t))
	return port
}

// netSilentDial never connects, as a router that drops everything.
func netSilentDial(ctx context.Context, _, _ string) (net.Conn, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

var loopGW = netip.MustParseAddr("127.0.0.1")

func testGatewayCheck(n NetInfo, ping pingFunc) *gatewayCheck {
	c := newGatewayCheck(&profile.Profile{Thresholds: profile.Thresholds{LatencyMS: 300, LossPercent: 10}}, n).(*gatewayCheck)
	c.ping = ping
	c.dial = netSilentDial
	c.findHop = nil // tests send nothing beyond loopback; pathquality_test.go fakes the hop
	c.tcpTimeout = 200 * time.Millisecond
	c.pingTimeout = 200 * time.Millisecond
	return c
}

func TestGateway(t *testing.T) {
	open, closed := netListener(t), netClosedPort(t)
	realDial := (&net.Dialer{}).DialContext
	eth := netLink("eth0", true, true, "127.0.0.2/8")
	viaLoop := []Route{{Gateway: loopGW, Interface: "eth0"}}
	tests := []struct {
		name     string
		net      NetInfo
		ping     pingFunc
		dial     func(context.Context, string, string) (net.Conn, error)
		ports    []string
		tcpAfter time.Duration
		status   Status
		reason   string
		key      string
		method   string
	}{
		{
			name:   "no default route",
			net:    &netFake{links: []Link{eth}},
			ping:   fakePing(pingStats{}, errNoICMP),
			status: StatusFail, reason: ReasonNoRoute, key: "check.gateway.no_route",
		},
		{
			name:   "routes cannot be read",
			net:    &netFake{routesErr: errors.New("netlink: boom")},
			ping:   fakePing(pingStats{}, errNoICMP),
			status: StatusSkip, key: "check.gateway.unknown",
		},
		{
			name:   "router answers every ping",
			net:    &netFake{routes: viaLoop},
			ping:   fakePing(pingStats{Sent: 10, Recv: 10, AvgRTT: 2 * time.Millisecond, MaxRTT: 3 * time.Millisecond}, nil),
			status: StatusOK, key: "check.gateway.ok", method: MethodICMP,
		},
		{
			name:   "router loses packets",
			net:    &netFake{routes: viaLoop},
			ping:   fakePing(pingStats{Sent: 10, Recv: 6, AvgRTT: 2 * time.Millisecond}, nil),
			status: StatusWarn, reason: "loss", key: "check.gateway.loss", method: MethodICMP,
		},
		{
			name:   "router answers slowly",
			net:    &netFake{routes: viaLoop},
			ping:   fakePing(pingStats{Sent: 10, Recv: 10, AvgRTT: 450 * time.Millisecond}, nil),
			status: StatusWarn, reason: "slow", key: "check.gateway.slow", method: MethodICMP,
		},
		{
			name:     "ICMP not allowed: TCP connects (and does not wait for the ICMP grace time)",
			net:      &netFake{routes: viaLoop},
			ping:     fakePing(pingStats{}, errNoICMP),
			dial:     realDial,
			ports:    []string{open},
			tcpAfter: time.Hour,
			status:   StatusOK, key: "check.gateway.ok", method: MethodTCP,
		},
		{
			name:   "ICMP not allowed: a refused connection proves the router is alive",
			net:    &netFake{routes: viaLoop},
			ping:   fakePing(pingStats{}, errNoICMP),
			dial:   realDial,
			ports:  []string{closed},
			status: StatusOK, key: "check.gateway.ok", method: MethodTCP,
		},
		{
			name:   "ICMP ignored by the router, TCP answers",
			net:    &netFake{routes: viaLoop},
			ping:   silentPing,
			dial:   realDial,
			ports:  []string{closed, open},
			status: StatusOK, key: "check.gateway.ok", method: MethodTCP,
		},
		{
			name:   "only the neighbour table knows the router",
			net:    &netFake{routes: viaLoop, neighbours: map[netip.Addr]bool{loopGW: true}},
			ping:   silentPing,
			status: StatusOK, key: "check.gateway.ok_neighbour", method: MethodNeighbour,
		},
		{
			name:   "neighbour confirmed while probing",
			net:    &netConfirmFake{netFake: &netFake{routes: viaLoop}, live: true, ago: 0},
			ping:   silentPing,
			status: StatusOK, key: "check.gateway.ok_neighbour", method: MethodNeighbour,
		},
		{
			name:   "neighbour entry left over from before the probe is no evidence",
			net:    &netConfirmFake{netFake: &netFake{routes: viaLoop}, live: true, ago: 25 * time.Second},
			ping:   silentPing,
			status: StatusFail, reason: "unreachable", key: "check.gateway.unreachable",
		},
		{
			name:   "nobody answers",
			net:    &netFake{routes: viaLoop},
			ping:   silentPing,
			status: StatusFail, reason: "unreachable", key: "check.gateway.unreachable",
		},
		{
			name:   "ICMP not allowed and the router silent",
			net:    &netFake{routes: viaLoop},
			ping:   fakePing(pingStats{}, errNoICMP),
			status: StatusFail, reason: "unreachable", key: "check.gateway.unreachable",
		},
		{
			name:   "point-to-point default route on a connected link",
			net:    &netFake{routes: []Route{{Interface: "ppp0"}}, links: []Link{netLink("ppp0", true, true, "10.64.0.2/32")}},
			ping:   fakePing(pingStats{}, errNoICMP),
			status: StatusOK, key: "check.gateway.ok_link", method: MethodLink,
		},
		{
			name:   "point-to-point default route on a dead link",
			net:    &netFake{routes: []Route{{Interface: "ppp0"}}, links: []Link{netLink("ppp0", true, false)}},
			ping:   fakePing(pingStats{}, errNoICMP),
			status: StatusFail, reason: "unreachable", key: "check.gateway.unreachable",
		},
		{
			name: "preferred router dead, second one alive",
			net: &netFake{routes: []Route{{Gateway: netip.MustParseAddr("127.0.0.9"), Interface: "eth0"}, {Gateway: loopGW, Interface: "eth1"}},
				neighbours: map[netip.Addr]bool{loopGW: true}},
			ping:   silentPing,
			status: StatusWarn, reason: "partial", key: "check.gateway.partial",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testGatewayCheck(tt.net, tt.ping)
			if tt.dial != nil {
				c.dial = tt.dial
			}
			if tt.ports != nil {
				c.tcpPorts = tt.ports
			}
			if tt.tcpAfter != 0 {
				c.tcpAfter = tt.tcpAfter
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			r := c.Run(ctx)
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s %v, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, r.Details, tt.status, tt.reason, tt.key)
			}
			if tt.method != "" && r.Details["method"] != tt.method {
				t.Errorf("method = %v, want %s", r.Details["method"], tt.method)
			}
		})
	}
}

func TestGatewayDetails(t *testing.T) {
	c := testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW, Interface: "eth0"}}},
		fakePing(pingStats{Sent: 10, Recv: 9, AvgRTT: 1500 * time.Microsecond}, nil))
	r := c.Run(context.Background())
	assertContract(t, r)
	if r.Details["latency_ms"] != 1.5 || r.Details["loss_percent"] != 10.0 || r.Details["method"] != MethodICMP {
		t.Errorf("details = %v", r.Details)
	}
	probes := r.Details["routes"].([]gatewayProbe)
	if len(probes) != 1 || probes[0].Gateway != "127.0.0.1" || probes[0].Interface != "eth0" || probes[0].Sent != 10 || probes[0].Received != 9 {
		t.Errorf("routes = %+v", probes)
	}
	if r.Message.Args["gateway"] != "127.0.0.1" || r.Message.Args["latency_ms"] != 1.5 {
		t.Errorf("message args = %v", r.Message.Args)
	}
}

func TestGatewaySkipsTCPWhenICMPAnswers(t *testing.T) {
	var dials atomic.Int32
	c := testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW}}},
		fakePing(pingStats{Sent: 10, Recv: 10, AvgRTT: time.Millisecond}, nil))
	c.tcpAfter = time.Hour
	c.dial = func(ctx context.Context, n, a string) (net.Conn, error) {
		dials.Add(1)
		return netSilentDial(ctx, n, a)
	}
	if r := c.Run(context.Background()); r.Status != StatusOK {
		t.Fatalf("status %s", r.Status)
	}
	if n := dials.Load(); n != 0 {
		t.Errorf("%d TCP probes sent although ICMP answered", n)
	}
}

func TestGatewayProbesEachRouteOnce(t *testing.T) {
	var pings atomic.Int32
	c := testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW, Interface: "eth0"}, {Gateway: loopGW, Interface: "eth0"}}},
		func(ctx context.Context, a netip.Addr, o pingOptions) (pingStats, error) {
			pings.Add(1)
			return pingStats{Sent: 1, Recv: 1}, nil
		})
	c.Run(context.Background())
	if n := pings.Load(); n != 1 {
		t.Errorf("pinged %d times, want 1", n)
	}
}

func TestGatewayHonoursContext(t *testing.T) {
	c := testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW}}}, silentPing)
	c.pingTimeout, c.tcpTimeout = time.Hour, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := c.Run(ctx)
	assertContract(t, r)
	if r.Status != StatusFail || r.Reason != "unreachable" {
		t.Errorf("got %s/%s", r.Status, r.Reason)
	}
}

func TestGatewayLogsWhatItDid(t *testing.T) {
	l := &checkLog{}
	ctx := context.WithValue(context.Background(), logKey{}, l)
	c := testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW}}}, fakePing(pingStats{}, errNoICMP))
	c.dial = (&net.Dialer{}).DialContext
	c.tcpPorts = []string{netListener(t)}
	c.Run(ctx)
	log := strings.Join(l.snapshot(), "\n")
	for _, want := range []string{"pinging 127.0.0.1", "permission denied", "trying TCP ports", "connected"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestConnRefused(t *testing.T) {
	_, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", netClosedPort(t)))
	if err == nil {
		t.Fatal("a closed port accepted")
	}
	if !connRefused(err) {
		t.Errorf("connRefused(%v) = false", err)
	}
	if connRefused(context.DeadlineExceeded) {
		t.Error("a timeout is not a refusal")
	}
}

// TestSystemPingLoopback sends real ICMP, to 127.0.0.1 only.
func TestSystemPingLoopback(t *testing.T) {
	var replies atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := systemPing(ctx, loopGW, pingOptions{count: 3, interval: 10 * time.Millisecond, timeout: 2 * time.Second,
		onReply: func(time.Duration) { replies.Add(1) }})
	if err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("this user may not send ICMP: %v", err)
		}
		t.Fatalf("root could not ping loopback: %v", err)
	}
	if st.Sent != 3 || st.Recv != 3 || replies.Load() != 3 {
		t.Errorf("stats %+v, %d replies seen", st, replies.Load())
	}
}

func TestNetThresholdDefaults(t *testing.T) {
	if got := netLatencyLimit(&profile.Profile{}); got != time.Second {
		t.Errorf("default latency %v", got)
	}
	if got := netLatencyLimit(&profile.Profile{Thresholds: profile.Thresholds{LatencyMS: 300}}); got != 300*time.Millisecond {
		t.Errorf("latency %v", got)
	}
	if got := netLossLimit(&profile.Profile{}); got != 20 {
		t.Errorf("default loss %v", got)
	}
	if got := netLossLimit(&profile.Profile{Thresholds: profile.Thresholds{LossPercent: 5}}); got != 5 {
		t.Errorf("loss %v", got)
	}
}

// BenchmarkGatewayHealthy measures a healthy router answering every ping on loopback: the
// check's own overhead on top of the pings.
func BenchmarkGatewayHealthy(b *testing.B) {
	c := newGatewayCheck(&profile.Profile{}, &netFake{routes: []Route{{Gateway: loopGW}}}).(*gatewayCheck)
	c.findHop = nil // nothing beyond loopback
	for b.Loop() {
		if r := c.Run(context.Background()); r.Status != StatusOK {
			b.Skipf("no ICMP here: %v", r.Details)
		}
	}
}
