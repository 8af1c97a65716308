package diagnostics

import (
	"context"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// quickProbe is the watcher's probe: the few checks that show whether the connection works,
// not the whole diagnosis (that runs once something broke). The local checks read the kernel
// and cost nothing; the network ones send a few packets: pings to the gateway, one request
// to the internet probe, and while a tunnel is up a connection to each internal host.
type quickProbe struct {
	// local are read from the OS at once; when the interfaces fail, nothing else is probed.
	local []Check
	// network probe the gateway and the internet.
	network []Check
	// internal proves the tunnel carries traffic; it runs only while a tunnel is up.
	internal Check
	// vpnTargets are the via_vpn services' host:port, measured while a tunnel is up.
	vpnTargets []string
	dial       func(ctx context.Context, network, address string) (net.Conn, error)
	runner     Runner
	now        func() time.Time
}

func newQuickProbe(p *profile.Profile, n NetInfo) *quickProbe {
	timeout := p.Timeouts.Check.Duration
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	return &quickProbe{
		local:      []Check{newInterfacesCheck(p, n), newVPNTunnelCheck(p, n)},
		network:    []Check{newQuickGatewayCheck(p, n), newInternetCheck(p)},
		internal:   newVPNInternalCheck(p, n),
		vpnTargets: viaVPNTargets(p),
		dial:       defaultHostDialer().DialContext,
		// The runner's grace covers the stragglers; the probe as a whole never takes much
		// longer than one check's timeout.
		runner: Runner{CheckTimeout: timeout, Total: timeout + 500*time.Millisecond},
		now:    time.Now,
	}
}

// viaVPNTargets lists the host:port of the services reached through the tunnel, falling back to
// the profile's internal hosts: the targets whose latency tells how the tunnel performs.
func viaVPNTargets(p *profile.Profile) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range p.Services {
		if !s.ViaVPN {
			continue
		}
		u, err := url.Parse(s.URL)
		if err != nil || u.Hostname() == "" {
			continue
		}
		port := u.Port()
		if port == "" {
			port = "443"
			if u.Scheme == "http" {
				port = "80"
			}
		}
		hp := net.JoinHostPort(u.Hostname(), port)
		if !seen[hp] {
			seen[hp] = true
			out = append(out, hp)
		}
	}
	if len(out) == 0 {
		out = append(out, p.VPN.InternalHosts...)
	}
	return out
}

func (q *quickProbe) run(ctx context.Context) WatchProbe {
	o := WatchProbe{Start: q.now()}
	results := q.runner.Run(ctx, q.local, nil)
	tunnelUp := false
	linksOK := true
	for _, r := range results {
		switch r.ID {
		case IDInterfaces:
			linksOK = r.Status != StatusFail
		case IDVPNTunnel:
			tunnelUp = r.Status == StatusOK
		}
	}
	if linksOK {
		checks := q.network
		if tunnelUp && q.internal != nil {
			checks = append(checks[:len(checks):len(checks)], q.internal)
		}
		var wg sync.WaitGroup
		if tunnelUp && len(q.vpnTargets) > 0 {
			wg.Go(func() { o.VPN = q.measureVPN(ctx) })
		}
		results = append(results, q.runner.Run(ctx, checks, nil)...)
		wg.Wait()
	}
	o.Results = results
	o.Verdict = quickVerdict(results)
	o.End = q.now()
	return o
}

// quickVerdict is Decide over the quick probe's results. The probe runs no DNS check of its
// own, but the internet probe resolves its host first, so a lookup failure there already names
// DNS as the broken layer.
func quickVerdict(results []Result) Verdict {
	v := Decide(results)
	if v.Cause != CauseInternetUnreach {
		return v
	}
	for _, r := range results {
		if r.ID == IDInternet && r.Details[DetailErrorKind] == ErrorKindDNS {
			v.Cause = CauseDNSFailure
			v.Message = i18n.Message{Key: "verdict." + string(CauseDNSFailure), Args: v.Message.Args}
			v.AdviceKeys = Advice(CauseDNSFailure)
		}
	}
	return v
}

// measureVPN connects to each via_vpn target once: the connect time is the latency, the share
// of targets that did not answer the loss.
func (q *quickProbe) measureVPN(ctx context.Context) *Quality {
	ctx, cancel := context.WithTimeout(ctx, q.runner.CheckTimeout)
	defer cancel()
	type answer struct {
		ok  bool
		rtt time.Duration
	}
	answers := make([]answer, len(q.vpnTargets))
	var wg sync.WaitGroup
	for i, t := range q.vpnTargets {
		wg.Go(func() {
			t0 := q.now()
			c, err := q.dial(ctx, "tcp", t)
			if err == nil {
				answers[i] = answer{true, q.now().Sub(t0)}
				c.Close()
			}
		})
	}
	wg.Wait()
	var sum time.Duration
	reached := 0
	for _, a := range answers {
		if a.ok {
			reached++
			sum += a.rtt
		}
	}
	qual := &Quality{LossPercent: netRound(100 * float64(len(answers)-reached) / float64(len(answers)))}
	if reached > 0 {
		qual.LatencyMS = netRound(msOf(sum / time.Duration(reached)))
	}
	return qual
}
