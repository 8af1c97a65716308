package diagnostics

import (
	"context"
	"math"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// vpnInternalCheck proves the tunnel actually carries traffic: an interface can be up while the
// VPN server, its routes or its firewall are broken, and then only a real connection tells.
type vpnInternalCheck struct {
	required bool
	patterns []string
	hosts    []string
	slow     time.Duration
	net      NetInfo
	// dial opens a TCP connection; tests give a fake or dial loopback listeners.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
	now  func() time.Time
}

func newVPNInternalCheck(p *profile.Profile, n NetInfo) Check {
	return &vpnInternalCheck{
		required: p.VPN.Required,
		patterns: vpnPatterns(p),
		hosts:    p.VPN.InternalHosts,
		slow:     latencyThreshold(p),
		net:      n,
		dial:     defaultHostDialer().DialContext,
		now:      time.Now,
	}
}

func (c *vpnInternalCheck) ID() string   { return IDVPNInternal }
func (c *vpnInternalCheck) Group() Group { return GroupVPN }

// hostProbe is what one connection attempt found.
type hostProbe struct {
	Reachable bool    `json:"reachable"`
	LatencyMS float64 `json:"latency_ms"`
	Error     string  `json:"error,omitempty"`
	timeout   bool    // nothing answered in time (a lossy path), rather than a refusal
}

func (c *vpnInternalCheck) Run(ctx context.Context) Result {
	if len(c.hosts) == 0 {
		Logf(ctx, "no internal hosts in the profile")
		return Skip(i18n.Msg("check.vpn_internal.none_configured")).Because(ReasonNotConfigured)
	}
	if !c.required && c.net != nil {
		tunnels, _, err := findTunnels(ctx, c.net, c.patterns)
		if err != nil {
			Logf(ctx, "reading links: %v; probing anyway", err)
		} else if len(tunnels) == 0 {
			// With no tunnel and none required, an internal host is not expected to answer.
			Logf(ctx, "no tunnel up and none required: nothing to prove")
			return Skip(i18n.Msg("check.vpn_internal.no_tunnel")).Because(ReasonVPNAbsent)
		}
	}

	probes := make([]hostProbe, len(c.hosts))
	var wg sync.WaitGroup
	for i, h := range c.hosts {
		wg.Go(func() { probes[i] = c.probe(ctx, h) })
	}
	wg.Wait()

	details := make(map[string]hostProbe, len(c.hosts))
	var reached, missing []string
	var slowest float64
	for i, h := range c.hosts {
		details[h] = probes[i]
		if probes[i].Reachable {
			reached = append(reached, h)
			slowest = max(slowest, probes[i].LatencyMS)
		} else {
			missing = append(missing, h)
		}
	}
	n := len(c.hosts)
	var r Result
	switch {
	case len(reached) == 0:
		r = Fail(i18n.Msg("check.vpn_internal.unreachable", "count", n)).Because(ReasonUnreachable)
		if !slices.ContainsFunc(probes, func(p hostProbe) bool { return !p.timeout }) {
			r = r.Detail(DetailErrorKind, ErrorKindTimeout)
		}
	case len(missing) > 0:
		r = Warn(i18n.Msg("check.vpn_internal.partial", "reachable", len(reached), "count", n,
			"hosts", strings.Join(missing, ", "))).Because(ReasonPartial)
	case c.slow > 0 && slowest > float64(c.slow.Milliseconds()):
		r = Warn(i18n.Msg("check.vpn_internal.slow", "count", n, "latency_ms", math.Round(slowest))).Because(ReasonSlow)
	default:
		r = OK(i18n.Msg("check.vpn_internal.ok", "count", n, "latency_ms", math.Round(slowest)))
	}
	return r.Detail(DetailHosts, details).Detail(DetailLatencyMS, oneDecimal(slowest))
}

// probe opens and closes one TCP connection: a completed handshake proves the route, the tunnel
// and the far side's firewall all work.
func (c *vpnInternalCheck) probe(ctx context.Context, host string) hostProbe {
	start := c.now()
	conn, err := c.dial(ctx, "tcp", host)
	took := c.now().Sub(start)
	if err != nil {
		Logf(ctx, "%s: %v", host, err)
		return hostProbe{Error: err.Error(), timeout: netIsTimeout(err)}
	}
	_ = conn.Close()
	ms := float64(took.Microseconds()) / 1000
	Logf(ctx, "%s: connected in %.1f ms", host, ms)
	return hostProbe{Reachable: true, LatencyMS: ms}
}
