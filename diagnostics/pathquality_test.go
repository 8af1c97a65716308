package diagnostics

import (
	"context"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/apuri-project/apuri/profile"
)

func TestFiguresOfAPingRun(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, x := range n {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	f := figuresOf(pingStats{Sent: 8, Recv: 6, RTTs: ms(10, 12, 10, 30, 11, 10)})
	// Median of 10 10 10 11 12 30 is the third (nearest rank), p90 the sixth; the jitter is the
	// mean of |2|, |-2|, |20|, |-19|, |-1| = 44/5.
	want := pathFigures{Sent: 8, Received: 6, LossPercent: 25, LatencyMS: 10, P90MS: 30, JitterMS: 8.8}
	if f != want {
		t.Errorf("figures %+v, want %+v", f, want)
	}
	if f := figuresOf(pingStats{Sent: 10, Recv: 0}); f.LossPercent != 100 || f.LatencyMS != 0 {
		t.Errorf("silence: %+v", f)
	}
}

// hopAt finds hop for every target, as a router two hops away would answer.
func hopAt(hop netip.Addr) hopFinder {
	return func(context.Context, netip.Addr, time.Duration) (netip.Addr, error) { return hop, nil }
}

var beyondHop = netip.MustParseAddr("198.51.100.80")

// pingBy answers each address with its own statistics.
func pingBy(stats map[netip.Addr]pingStats) pingFunc {
	return func(_ context.Context, a netip.Addr, o pingOptions) (pingStats, error) {
		st := stats[a]
		for range st.Recv {
			if o.onReply != nil {
				o.onReply(st.AvgRTT)
			}
		}
		return st, nil
	}
}

func pathCheck(ping pingFunc, hop hopFinder) *gatewayCheck {
	c := testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW, Interface: "eth0"}}}, ping)
	c.findHop = hop
	c.targets = func(context.Context) []netip.Addr { return []netip.Addr{beyondHop} }
	return c
}

func TestGatewayMeasuresLossBeyondTheRouter(t *testing.T) {
	c := pathCheck(pingBy(map[netip.Addr]pingStats{
		loopGW:    {Sent: 20, Recv: 20, AvgRTT: time.Millisecond},
		beyondHop: {Sent: 100, Recv: 70, AvgRTT: 5 * time.Millisecond},
	}), hopAt(beyondHop))
	r := c.Run(context.Background())
	if r.Status != StatusWarn || r.Reason != ReasonLossBeyond {
		t.Fatalf("%s/%s, want warn/loss_beyond: %v", r.Status, r.Reason, r.Log)
	}
	b, ok := r.Details[DetailBeyond].(pathFigures)
	if !ok || b.Hop != beyondHop.String() || b.LossPercent != 30 || b.Sent != 100 || b.Received != 70 {
		t.Errorf("beyond %+v", r.Details[DetailBeyond])
	}
	if r.Details[DetailSamples] != 20 || r.Details[DetailLossPercent] != 0.0 {
		t.Errorf("the router's own figures %v", r.Details)
	}
}

func TestGatewayMeasuresDelayBeyondTheRouter(t *testing.T) {
	c := pathCheck(pingBy(map[netip.Addr]pingStats{
		loopGW:    {Sent: 20, Recv: 20, AvgRTT: time.Millisecond},
		beyondHop: {Sent: 20, Recv: 20, AvgRTT: 400 * time.Millisecond},
	}), hopAt(beyondHop))
	if r := c.Run(context.Background()); r.Status != StatusWarn || r.Reason != ReasonSlowBeyond {
		t.Fatalf("%s/%s, want warn/slow_beyond", r.Status, r.Reason)
	}
}

// Loss to the router itself is the access link's, however the path beyond it looks.
func TestGatewayLossComesBeforeLossBeyond(t *testing.T) {
	c := pathCheck(pingBy(map[netip.Addr]pingStats{
		loopGW:    {Sent: 100, Recv: 75, AvgRTT: time.Millisecond},
		beyondHop: {Sent: 100, Recv: 74, AvgRTT: 5 * time.Millisecond},
	}), hopAt(beyondHop))
	if r := c.Run(context.Background()); r.Reason != ReasonLoss {
		t.Fatalf("reason %s, want loss", r.Reason)
	}
}

// A router beyond that ignores pings, or none found, proves nothing: the check stays ok, and
// says why nothing beyond the router was measured.
func TestSilentOrUnknownHopProvesNothing(t *testing.T) {
	routerOnly := pingBy(map[netip.Addr]pingStats{loopGW: {Sent: 20, Recv: 20, AvgRTT: time.Millisecond}})
	failing := func(err error) hopFinder {
		return func(context.Context, netip.Addr, time.Duration) (netip.Addr, error) { return netip.Addr{}, err }
	}
	noTarget := pathCheck(routerOnly, hopAt(beyondHop))
	noTarget.targets = func(context.Context) []netip.Addr { return []netip.Addr{netip.MustParseAddr("2001:db8::1")} }
	for name, c := range map[string]struct {
		check *gatewayCheck
		why   string
	}{
		"silent": {pathCheck(pingBy(map[netip.Addr]pingStats{
			loopGW: {Sent: 20, Recv: 20, AvgRTT: time.Millisecond}, beyondHop: {Sent: 100},
		}), hopAt(beyondHop)), BeyondHopSilent},
		"not found":          {pathCheck(routerOnly, failing(os.ErrNotExist)), BeyondNoHop},
		"the gateway itself": {pathCheck(routerOnly, hopAt(loopGW)), BeyondNoHop},
		"not supported":      {pathCheck(routerOnly, failing(errHopUnsupported)), BeyondUnsupported},
		"no ping possible": {pathCheck(func(ctx context.Context, a netip.Addr, o pingOptions) (pingStats, error) {
			if a == beyondHop {
				return pingStats{}, os.ErrPermission
			}
			return routerOnly(ctx, a, o)
		}, hopAt(beyondHop)), BeyondPingFailed},
		"no IPv4 target": {noTarget, BeyondNoTarget},
	} {
		r := c.check.Run(context.Background())
		if _, ok := r.Details[DetailBeyond]; r.Status != StatusOK || ok || r.Details[DetailBeyondUnmeasured] != c.why {
			t.Errorf("%s: %s/%s, beyond %v, unmeasured %v; want ok, none, %s", name, r.Status, r.Reason,
				r.Details[DetailBeyond], r.Details[DetailBeyondUnmeasured], c.why)
		}
		assertContract(t, r)
	}
}

// The watcher's quick check does not look beyond the router, and says nothing about it.
func TestQuickCheckSaysNothingBeyondTheRouter(t *testing.T) {
	c := pathCheck(pingBy(map[netip.Addr]pingStats{loopGW: {Sent: 20, Recv: 20, AvgRTT: time.Millisecond}}), nil)
	r := c.Run(context.Background())
	if _, ok := r.Details[DetailBeyondUnmeasured]; ok || r.Status != StatusOK {
		t.Errorf("%s, unmeasured %v", r.Status, r.Details[DetailBeyondUnmeasured])
	}
}

// The measurement leaves the check time to report before its deadline.
func TestPingOptionsFitTheDeadline(t *testing.T) {
	c := testGatewayCheck(&netFake{}, nil)
	c.pingTimeout = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if o := c.pingOpts(ctx); o.timeout > 200*time.Millisecond || o.enough != 32 || o.count != 125 {
		t.Errorf("options %+v", o)
	}
}

// A clean path stops after the first 20 answered pings; it never waits for all 100.
func TestSystemPingStopsWhenClean(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := systemPing(ctx, loopGW, pingOptions{count: 100, enough: 20, interval: 5 * time.Millisecond, timeout: 5 * time.Second})
	if err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("this user may not send ICMP: %v", err)
		}
		t.Fatal(err)
	}
	if st.Sent != 20 || st.Recv != 20 || len(st.RTTs) < 20 {
		t.Errorf("stats: %d sent, %d received, %d round trips; want the first 20, all answered", st.Sent, st.Recv, len(st.RTTs))
	}
}

// The watcher probes every half minute for as long as the agent runs: it keeps to ten pings and
// never measures beyond the router; the diagnosis a change starts does.
func TestWatcherGatewayStaysLight(t *testing.T) {
	c := newQuickGatewayCheck(&profile.Profile{}, &netFake{}).(*gatewayCheck)
	if o := c.pingOpts(context.Background()); o.count != 10 || o.enough != 0 || c.findHop != nil {
		t.Errorf("options %+v, hop finder set: %t", o, c.findHop != nil)
	}
	q := newQuickProbe(&profile.Profile{}, &netFake{})
	if g, ok := q.network[0].(*gatewayCheck); !ok || g.pingCount != 10 {
		t.Errorf("the watcher's gateway check is not the light one: %+v", q.network[0])
	}
}
