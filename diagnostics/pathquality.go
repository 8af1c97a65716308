package diagnostics

import (
	"context"
	"errors"
	"math"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"time"
)

// Path quality is a layer of its own: a link that loses a quarter of its packets makes every
// check above it time out, and the verdict must blame the link, not the service that happened
// to lose the most. The gateway check measures it twice: to the router, and to the first router
// beyond it, so that a bad Wi-Fi or cable is told apart from a bad line to the operator.
//
// The first hop beyond the router is found as tracepath and tracert find it, with no
// privileges: a packet with a TTL of 2 towards a host beyond the router (the internet probe's
// host, else a nameserver), whose "time exceeded" (or, when that host is itself two hops away,
// its own answer) names the hop. Linux hands a UDP datagram's ICMP error to its socket
// (hop_linux.go); Windows sends any user's echoes with a chosen TTL through the IP Helper API
// (hop_windows.go). The hop is then pinged directly, as the router is: routers answer echo
// requests at full rate but ration their ICMP errors, so pinging with a short TTL would count
// the rationing as loss. Where no hop is measured, the details say why (DetailBeyondUnmeasured)
// and nothing beyond the router is judged.

// Up to hopProbes packets look for the hop, hopProbeGap apart: one lost on a lossy path does
// not hide it.
const (
	hopProbes   = 5
	hopProbeGap = 30 * time.Millisecond
)

// errHopUnsupported is systemFindHop's answer where no unprivileged program can find the hop.
var errHopUnsupported = errors.New("finding the first hop beyond the router is not supported on this system")

// Why the path beyond the router was not measured (DetailBeyondUnmeasured).
const (
	BeyondUnsupported = "unsupported" // the system hands an ordinary program no way to find the hop
	BeyondNoTarget    = "no_target"   // no IPv4 host beyond the router to look towards
	BeyondNoHop       = "no_hop"      // no router beyond answered the packets with a short TTL
	BeyondHopSilent   = "hop_silent"  // the hop was found, but answered no ping (many routers ignore them)
	BeyondPingFailed  = "ping_failed" // the hop was found, but this program could send it no ping
)

// BeyondUnmeasured lists every value of DetailBeyondUnmeasured.
var BeyondUnmeasured = []string{BeyondUnsupported, BeyondNoTarget, BeyondNoHop, BeyondHopSilent, BeyondPingFailed}

// pathFigures is what one ping run measured on a path, for details and sentences.
type pathFigures struct {
	Hop         string  `json:"hop,omitempty"`
	Sent        int     `json:"samples"`
	Received    int     `json:"received"`
	LossPercent float64 `json:"loss_percent"`
	LatencyMS   float64 `json:"latency_ms,omitempty"`     // median
	P90MS       float64 `json:"latency_p90_ms,omitempty"` // 90th percentile
	JitterMS    float64 `json:"jitter_ms,omitempty"`
}

// figuresOf summarises a ping run: the median and 90th percentile of the round trips, and the
// jitter as the mean difference between consecutive round trips (as RTP's interarrival jitter,
// unsmoothed, since a diagnosis sees one short burst).
func figuresOf(st pingStats) pathFigures {
	f := pathFigures{Sent: st.Sent, Received: st.Recv}
	if st.Sent > 0 {
		f.LossPercent = netRound(100 * float64(max(st.Sent-st.Recv, 0)) / float64(st.Sent))
	}
	rtts := st.RTTs
	if len(rtts) == 0 && st.Recv > 0 {
		rtts = []time.Duration{st.AvgRTT}
	}
	if len(rtts) == 0 {
		return f
	}
	var jitter time.Duration
	for i := 1; i < len(rtts); i++ {
		jitter += max(rtts[i]-rtts[i-1], rtts[i-1]-rtts[i])
	}
	if len(rtts) > 1 {
		f.JitterMS = netRound(msOf(jitter) / float64(len(rtts)-1))
	}
	sorted := slices.Clone(rtts)
	slices.Sort(sorted)
	f.LatencyMS = netRound(msOf(percentile(sorted, 50)))
	f.P90MS = netRound(msOf(percentile(sorted, 90)))
	return f
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// hopFinder names the first router beyond the gateway on the way to target.
type hopFinder func(ctx context.Context, target netip.Addr, wait time.Duration) (netip.Addr, error)

// beyondTargets are hosts beyond the router whose path the hop is looked for on: the internet
// probe's host (looked up briefly, since a lossy path makes lookups slow) and the nameservers.
func beyondTargets(ctx context.Context, probeURL string, n NetInfo) []netip.Addr {
	var out []netip.Addr
	if u, err := url.Parse(probeURL); err == nil && u.Hostname() != "" {
		if a, err := netip.ParseAddr(u.Hostname()); err == nil {
			out = append(out, a)
		} else {
			lctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			addrs, err := net.DefaultResolver.LookupNetIP(lctx, "ip4", u.Hostname())
			cancel()
			if err != nil {
				Logf(ctx, "path beyond the router: looking up %s: %v", u.Hostname(), err)
			}
			out = append(out, addrs...)
		}
	}
	servers, err := n.Nameservers(ctx)
	if err != nil {
		Logf(ctx, "path beyond the router: nameservers: %v", err)
	}
	for _, s := range servers {
		host, _, err := net.SplitHostPort(s)
		if err != nil {
			host = s
		}
		if a, err := netip.ParseAddr(host); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// probeBeyond finds the first hop beyond gateway and pings it. When there is no hop to measure
// (none found, or it is the gateway itself) it says why instead (Beyond*), and "" when the
// check does not look beyond the router at all. A hop that never answers proves nothing: many
// routers ignore pings.
func (c *gatewayCheck) probeBeyond(ctx context.Context, gateway netip.Addr) (*pathFigures, string) {
	if c.findHop == nil || c.targets == nil {
		return nil, ""
	}
	var hop netip.Addr
	unmeasured := BeyondNoTarget
	for _, t := range c.targets(ctx) {
		if !t.Is4() || t == gateway || t.IsLoopback() || t.IsPrivate() && sameSubnet24(t, gateway) {
			continue
		}
		h, err := c.findHop(ctx, t, c.hopWait)
		if errors.Is(err, errHopUnsupported) {
			return nil, BeyondUnsupported
		}
		unmeasured = BeyondNoHop
		if err != nil {
			Logf(ctx, "path beyond the router towards %s: %v", t, err)
			continue
		}
		hop = h
		Logf(ctx, "path beyond the router towards %s: first hop %s", t, h)
		break
	}
	if !hop.IsValid() || hop == gateway {
		return nil, unmeasured
	}
	st, err := c.ping(ctx, hop, c.pingOpts(ctx))
	if err != nil && st.Recv == 0 {
		Logf(ctx, "ICMP to %s not possible: %v", hop, err)
		return nil, BeyondPingFailed
	}
	f := figuresOf(st)
	f.Hop = hop.String()
	Logf(ctx, "ICMP to %s beyond the router: %d sent, %d received, median %v ms, p90 %v ms, jitter %v ms",
		hop, f.Sent, f.Received, f.LatencyMS, f.P90MS, f.JitterMS)
	if f.Received == 0 {
		return nil, BeyondHopSilent
	}
	return &f, ""
}

// sameSubnet24 is a rough "on the LAN" test for a nameserver that is the router's neighbour.
func sameSubnet24(a, b netip.Addr) bool {
	pa, _ := a.Prefix(24)
	pb, _ := b.Prefix(24)
	return b.Is4() && pa == pb
}

// pingOpts are the options of one path measurement, bounded by what is left of ctx.
func (c *gatewayCheck) pingOpts(ctx context.Context) pingOptions {
	timeout := c.pingTimeout
	if d, ok := ctx.Deadline(); ok {
		// Leave the check time to write its result before the runner gives up on it.
		timeout = max(min(timeout, time.Until(d)-100*time.Millisecond), 10*time.Millisecond)
	}
	return pingOptions{count: c.pingCount, enough: c.pingEnough, silence: c.pingSilence, interval: c.pingInterval, timeout: timeout}
}

// The values of lossShare: how a share of lost packets is said in words
// ("path.share."+share in the translations).
var lossShares = []struct {
	below float64
	share string
}{
	{7.5, "few"}, {15, "tenth"}, {22.5, "fifth"}, {29, "quarter"}, {40, "third"}, {60, "half"}, {math.Inf(1), "most"},
}

// lossShare names a loss percentage in words, so that "25 %" is also "a quarter".
func lossShare(percent float64) string {
	for _, s := range lossShares {
		if percent < s.below {
			return s.share
		}
	}
	return "most"
}
