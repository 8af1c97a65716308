package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// gatewayCheck proves that the router behind each default route answers. ICMP is the best
// witness (it measures latency and loss), but a normal user may not be allowed to send it
// (Debian's net.ipv4.ping_group_range is "1 0"), and some routers ignore it; then a TCP
// handshake or refusal, and last the kernel's neighbour table, show that the router is there.
type gatewayCheck struct {
	net  NetInfo
	ping pingFunc
	// dial opens TCP connections for the fall-back probe.
	dial func(ctx context.Context, network, address string) (net.Conn, error)
	// tcpPorts are tried at once; any answer, even a refusal, proves the router is alive.
	tcpPorts []string
	// pingCount pings pingInterval apart, waiting at most pingTimeout for the replies; the run
	// stops early once the first pingEnough were all answered (ping.go).
	pingCount    int
	pingEnough   int
	pingSilence  time.Duration // give up on ICMP when nothing at all answered for this long
	pingInterval time.Duration
	pingTimeout  time.Duration
	// findHop and targets find the first router beyond the gateway, waiting at most hopWait.
	findHop hopFinder
	targets func(ctx context.Context) []netip.Addr
	hopWait time.Duration
	// tcpAfter is how long ICMP may stay silent before the TCP probe joins in.
	tcpAfter   time.Duration
	tcpTimeout time.Duration
	// maxRoutes bounds how many default routes are probed.
	maxRoutes   int
	latency     time.Duration
	lossPercent float64
	now         func() time.Time
}

// pingOptions says how to ping; onReply, when set, is called for every echo reply. When
// enough is set, the run stops as soon as the first enough pings have all been answered: a
// clean path is measured quickly, a lossy one gets every sample.
type pingOptions struct {
	count    int
	enough   int
	silence  time.Duration
	interval time.Duration
	timeout  time.Duration
	onReply  func(rtt time.Duration)
}

// pingStats is what a ping run measured.
type pingStats struct {
	Sent   int
	Recv   int
	AvgRTT time.Duration
	MaxRTT time.Duration
	RTTs   []time.Duration // each reply's round trip, in the order they came
}

// pingFunc sends ICMP echo requests; an error means no ICMP could be sent at all.
type pingFunc func(ctx context.Context, addr netip.Addr, o pingOptions) (pingStats, error)

// neighbourConfirmer is a NetInfo that also knows how long ago the OS last confirmed a neighbour
// (Linux does); the gateway check then trusts only confirmations made while it was probing.
type neighbourConfirmer interface {
	NeighbourConfirmed(ctx context.Context, ip netip.Addr) (live bool, ago time.Duration, err error)
}

func newGatewayCheck(p *profile.Profile, n NetInfo) Check {
	d := &net.Dialer{}
	latency := netLatencyLimit(p)
	// 32 answered pings 8 ms apart (a quarter of a second) show a clean path: on a path that
	// loses a quarter, all 32 come back once in 10 000 runs. At the first loss the run goes on to
	// 125 pings over a second, which tells 25 % loss from the default 10 % limit all but once in
	// 100 000 (the binomial tail), and spreads the samples over a burst of interference.
	const count, enough, interval = 125, 32, 8 * time.Millisecond
	// Replies slower than the latency threshold would only show a degraded router, so ICMP
	// waits for them no longer than that after the last ping.
	pingTimeout := min(count*interval+max(latency, 250*time.Millisecond), 1500*time.Millisecond)
	return &gatewayCheck{
		net:        n,
		ping:       systemPing,
		dial:       d.DialContext,
		tcpPorts:   []string{"53", "80", "443"},
		pingCount:  count,
		pingEnough: enough,
		// A router that answers no ping at all is told soon after the clean run would have ended
		// (and the TCP probe and the neighbour table take over), not after the lossy run's second;
		// replies up to twice the latency threshold late still count, as for the hop beyond.
		pingSilence:  enough*interval + max(2*latency, 250*time.Millisecond),
		pingInterval: interval,
		pingTimeout:  pingTimeout,
		findHop:      systemFindHop,
		targets:      func(ctx context.Context) []netip.Addr { return beyondTargets(ctx, p.Network.InternetURL, n) },
		hopWait:      min(max(2*latency, 250*time.Millisecond), time.Second),
		tcpAfter:     150 * time.Millisecond,
		tcpTimeout:   time.Second,
		maxRoutes:    4,
		latency:      latency,
		lossPercent:  netLossLimit(p),
		now:          time.Now,
	}
}

// newQuickGatewayCheck is the watcher's gateway check: ten pings 5 ms apart and nothing beyond
// the router, since it runs every half minute for as long as the agent runs. The diagnosis that
// a change starts measures the path properly.
func newQuickGatewayCheck(p *profile.Profile, n NetInfo) Check {
	c := newGatewayCheck(p, n).(*gatewayCheck)
	const count, interval = 10, 5 * time.Millisecond
	c.pingCount, c.pingEnough, c.pingSilence, c.pingInterval, c.findHop = count, 0, 0, interval, nil
	c.pingTimeout = min(count*interval+max(c.latency, 250*time.Millisecond), 1500*time.Millisecond)
	return c
}

func (c *gatewayCheck) ID() string   { return IDGateway }
func (c *gatewayCheck) Group() Group { return GroupNetwork }

// gatewayProbe is what was learnt about one default route.
type gatewayProbe struct {
	Gateway     string      `json:"gateway,omitempty"`
	Interface   string      `json:"interface,omitempty"`
	Method      string      `json:"method,omitempty"` // empty: nothing answered
	LatencyMS   float64     `json:"latency_ms,omitempty"`
	LossPercent float64     `json:"loss_percent,omitempty"`
	Sent        int         `json:"sent,omitempty"`
	Received    int         `json:"received,omitempty"`
	TCPPort     string      `json:"tcp_port,omitempty"`
	ICMPError   string      `json:"icmp_error,omitempty"`
	TCPError    string      `json:"tcp_error,omitempty"`
	path        pathFigures // the ICMP run's figures, for the check's own details
}

func (g gatewayProbe) alive() bool { return g.Method != "" }

// label names the route for people: its router, or its interface when it has none.
func (g gatewayProbe) label() string {
	if g.Gateway != "" {
		return g.Gateway
	}
	return g.Interface
}

func (c *gatewayCheck) Run(ctx context.Context) Result {
	routes, err := c.net.DefaultRoutes(ctx)
	if err != nil {
		Logf(ctx, "reading the default routes failed: %v", err)
		return Skip(i18n.Msg("check.gateway.unknown", "error", err.Error()))
	}
	routes = uniqueRoutes(routes)
	if len(routes) == 0 {
		Logf(ctx, "no default route")
		return Fail(i18n.Msg("check.gateway.no_route")).Because(ReasonNoRoute)
	}
	if c.maxRoutes > 0 && len(routes) > c.maxRoutes {
		routes = routes[:c.maxRoutes]
	}
	probes := make([]gatewayProbe, len(routes))
	var beyond *pathFigures
	var unmeasured string
	var wg sync.WaitGroup
	for i, r := range routes {
		wg.Go(func() { probes[i] = c.probe(ctx, r) })
	}
	if routes[0].Gateway.IsValid() {
		wg.Go(func() { beyond, unmeasured = c.probeBeyond(ctx, routes[0].Gateway) })
	}
	wg.Wait()

	primary := probes[0]
	var alive []gatewayProbe
	for _, p := range probes {
		if p.alive() {
			alive = append(alive, p)
		}
	}
	var res Result
	switch {
	case len(alive) == 0:
		res = Fail(i18n.Msg("check.gateway.unreachable", "gateway", primary.label())).Because(ReasonUnreachable)
	case !primary.alive():
		// The kernel sends traffic to the preferred route, so a live second router rarely helps.
		res = Warn(i18n.Msg("check.gateway.partial", "gateway", primary.label(), "alive", alive[0].label())).Because(ReasonPartial)
	case primary.Method == MethodICMP && primary.LossPercent > c.lossPercent:
		res = Warn(i18n.Msg("check.gateway.loss", "gateway", primary.label(), "loss_percent", netRound(primary.LossPercent))).Because(ReasonLoss)
	case c.latency > 0 && (primary.Method == MethodICMP || primary.Method == MethodTCP) && primary.LatencyMS > msOf(c.latency):
		res = Warn(i18n.Msg("check.gateway.slow", "gateway", primary.label(), "latency_ms", netRound(primary.LatencyMS))).Because(ReasonSlow)
	case beyond != nil && beyond.LossPercent > c.lossPercent:
		res = Warn(i18n.Msg("check.gateway.loss_beyond", "hop", beyond.Hop, "loss_percent", beyond.LossPercent)).Because(ReasonLossBeyond)
	case beyond != nil && c.latency > 0 && beyond.LatencyMS > msOf(c.latency):
		res = Warn(i18n.Msg("check.gateway.slow_beyond", "hop", beyond.Hop, "latency_ms", beyond.LatencyMS)).Because(ReasonSlowBeyond)
	case primary.Method == MethodLink:
		res = OK(i18n.Msg("check.gateway.ok_link", "interface", primary.Interface))
	case primary.Method == MethodNeighbour:
		res = OK(i18n.Msg("check.gateway.ok_neighbour", "gateway", primary.label()))
	default:
		res = OK(i18n.Msg("check.gateway.ok", "gateway", primary.label(), "method", primary.Method, "latency_ms", netRound(primary.LatencyMS)))
	}
	res = res.Detail(DetailRoutes, probes).Detail(DetailMethod, primary.Method)
	if primary.Method == MethodICMP || primary.Method == MethodTCP {
		res = res.Detail(DetailLatencyMS, netRound(primary.LatencyMS))
	}
	if primary.Method == MethodICMP {
		res = res.Detail(DetailLossPercent, netRound(primary.LossPercent)).Detail(DetailSamples, primary.path.Sent).
			Detail(DetailLatencyP90MS, primary.path.P90MS).Detail(DetailJitterMS, primary.path.JitterMS)
	}
	if beyond != nil {
		res = res.Detail(DetailBeyond, *beyond)
	} else if unmeasured != "" {
		res = res.Detail(DetailBeyondUnmeasured, unmeasured)
	}
	return res
}

// uniqueRoutes drops repeated routes (several tables or protocols may list the same router).
func uniqueRoutes(routes []Route) []Route {
	seen := map[Route]bool{}
	out := routes[:0:0]
	for _, r := range routes {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// probe gathers evidence that one route's router answers, returning as soon as it is clear.
func (c *gatewayCheck) probe(ctx context.Context, r Route) gatewayProbe {
	g := gatewayProbe{Interface: r.Interface}
	if !r.Gateway.IsValid() {
		return c.probeOnLink(ctx, g)
	}
	g.Gateway = r.Gateway.String()
	start := c.now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type icmpOutcome struct {
		stats pingStats
		err   error
	}
	firstReply := make(chan struct{})
	var once sync.Once
	icmpCh := make(chan icmpOutcome, 1)
	opts := c.pingOpts(ctx)
	opts.onReply = func(time.Duration) { once.Do(func() { close(firstReply) }) }
	Logf(ctx, "pinging %s (up to %d × %v apart, %v timeout)", g.Gateway, opts.count, opts.interval, opts.timeout)
	go func() {
		st, err := c.ping(ctx, r.Gateway, opts)
		icmpCh <- icmpOutcome{st, err}
	}()

	var (
		tcpCh      chan tcpOutcome
		tcpStarted bool
	)
	startTCP := func() {
		if tcpStarted {
			return
		}
		tcpStarted = true
		tcpCh = make(chan tcpOutcome, 1)
		Logf(ctx, "trying TCP ports %s of %s", strings.Join(c.tcpPorts, ", "), g.Gateway)
		go func() { tcpCh <- c.tcpProbe(ctx, r.Gateway) }()
	}
	timer := time.NewTimer(c.tcpAfter)
	defer timer.Stop()
	icmpPending, tcpPending := true, false

loop:
	for icmpPending || tcpPending {
		select {
		case o := <-icmpCh:
			icmpPending = false
			g.Sent, g.Received = o.stats.Sent, o.stats.Recv
			if o.err != nil && o.stats.Recv == 0 {
				g.ICMPError = o.err.Error()
				Logf(ctx, "ICMP to %s not possible: %v", g.Gateway, o.err)
			} else {
				Logf(ctx, "ICMP to %s: %d sent, %d received, avg %v, max %v",
					g.Gateway, o.stats.Sent, o.stats.Recv, o.stats.AvgRTT, o.stats.MaxRTT)
			}
			if o.stats.Recv > 0 {
				g.Method = MethodICMP
				g.path = figuresOf(o.stats)
				g.LatencyMS, g.LossPercent = g.path.LatencyMS, g.path.LossPercent
				break loop
			}
			if !tcpStarted {
				startTCP()
				tcpPending = true
			}
		case <-firstReply:
			// ICMP works: let it finish and measure loss; TCP is not needed.
			timer.Stop()
			firstReply = nil
		case <-timer.C:
			if !tcpStarted {
				startTCP()
				tcpPending = true
			}
		case o := <-tcpCh:
			tcpPending = false
			if o.alive {
				g.Method, g.TCPPort, g.LatencyMS = MethodTCP, o.port, netRound(msOf(o.rtt))
				Logf(ctx, "TCP %s port %s %s after %v: the router is alive", g.Gateway, o.port, o.how, o.rtt)
				break loop
			}
			g.TCPError = o.err
			Logf(ctx, "TCP to %s: no answer (%s)", g.Gateway, o.err)
		case <-ctx.Done():
			Logf(ctx, "probing %s stopped: %v", g.Gateway, ctx.Err())
			break loop
		}
	}
	if g.alive() || ctx.Err() != nil {
		return g
	}
	if c.neighbourAnswers(ctx, r.Gateway, c.now().Sub(start)) {
		g.Method = MethodNeighbour
	}
	return g
}

// neighbourAnswers asks the neighbour table whether the router answered ARP/NDP. Where the OS
// says when it last confirmed the entry, only a confirmation made during this probe counts: an
// entry stays "reachable" for half a minute after the router is gone.
func (c *gatewayCheck) neighbourAnswers(ctx context.Context, ip netip.Addr, elapsed time.Duration) bool {
	const tick = 20 * time.Millisecond // the kernel counts the age in 10 ms ticks
	if nc, ok := c.net.(neighbourConfirmer); ok {
		live, ago, err := nc.NeighbourConfirmed(ctx, ip)
		switch {
		case err != nil:
			Logf(ctx, "neighbour table: %v", err)
			return false
		case !live:
			Logf(ctx, "neighbour table: no live entry for %s", ip)
			return false
		case ago > elapsed+tick:
			Logf(ctx, "neighbour table: %s last confirmed %v ago, before this probe: not evidence", ip, ago)
			return false
		}
		Logf(ctx, "neighbour table: %s confirmed %v ago: the router is there", ip, ago)
		return true
	}
	live, err := c.net.NeighbourReachable(ctx, ip)
	if err != nil {
		Logf(ctx, "neighbour table: %v", err)
		return false
	}
	Logf(ctx, "neighbour table: %s live=%t", ip, live)
	return live
}

// probeOnLink handles a default route without a router (point-to-point links): the route works
// when its interface is up and has a carrier.
func (c *gatewayCheck) probeOnLink(ctx context.Context, g gatewayProbe) gatewayProbe {
	links, err := c.net.Links(ctx)
	if err != nil {
		Logf(ctx, "on-link route via %s: reading interfaces failed: %v", g.Interface, err)
		return g
	}
	for _, l := range links {
		if l.Name == g.Interface {
			Logf(ctx, "on-link route via %s: up=%t carrier=%t", l.Name, l.Up, l.Carrier)
			if l.Up && l.Carrier {
				g.Method = MethodLink
			}
			return g
		}
	}
	Logf(ctx, "on-link route via %s: no such interface", g.Interface)
	return g
}

// tcpOutcome is the first TCP answer from the router, or why none came.
type tcpOutcome struct {
	alive bool
	port  string
	how   string
	rtt   time.Duration
	err   string
}

// tcpProbe knocks on a few ports at once. A connection or a refusal (RST) both prove that the
// router is alive; silence on every port proves nothing either way.
func (c *gatewayCheck) tcpProbe(ctx context.Context, ip netip.Addr) tcpOutcome {
	ctx, cancel := context.WithTimeout(ctx, c.tcpTimeout)
	defer cancel()
	ch := make(chan tcpOutcome, len(c.tcpPorts))
	for _, port := range c.tcpPorts {
		go func() {
			t0 := c.now()
			conn, err := c.dial(ctx, "tcp", net.JoinHostPort(ip.String(), port))
			o := tcpOutcome{port: port, rtt: c.now().Sub(t0)}
			switch {
			case err == nil:
				conn.Close()
				o.alive, o.how = true, "connected"
			case connRefused(err):
				o.alive, o.how = true, "refused"
			default:
				o.err = fmt.Sprintf("%s: %v", port, err)
			}
			ch <- o
		}()
	}
	var errs []string
	for range c.tcpPorts {
		o := <-ch
		if o.alive {
			return o
		}
		errs = append(errs, o.err)
	}
	return tcpOutcome{err: strings.Join(errs, "; ")}
}

// connRefused reports whether the peer refused the connection, which means it is alive.
func connRefused(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var errno syscall.Errno
	const wsaeconnrefused = 10061 // Windows' own number for a refused connection
	return errors.As(err, &errno) && errno == wsaeconnrefused
}

// netLatencyLimit is the profile's latency threshold; a profile without one gets a generous
// default rather than warning about every probe.
func netLatencyLimit(p *profile.Profile) time.Duration {
	if p.Thresholds.LatencyMS > 0 {
		return time.Duration(p.Thresholds.LatencyMS) * time.Millisecond
	}
	return time.Second
}

// netLossLimit is the profile's packet loss threshold in percent.
func netLossLimit(p *profile.Profile) float64 {
	if p.Thresholds.LossPercent > 0 {
		return p.Thresholds.LossPercent
	}
	return 20
}

// msOf converts a duration to milliseconds for details and messages.
func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// netRound rounds to one decimal so that reports stay readable.
func netRound(f float64) float64 { return math.Round(f*10) / 10 }
