//go:build linux

package lab_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// The check IDs of the contract, as the report names them.
const (
	idInterfaces = "network.interfaces"
	idGateway    = "network.gateway"
	idDNS        = "network.dns"
	idInternet   = "network.internet"
	idTunnel     = "vpn.tunnel"
	idInternal   = "vpn.internal"
	idService    = "service." + lab.ServiceCheckName
	idIntranet   = "service." + lab.InternalCheckName
	idClock      = "system.clock"
	idDisk       = "system.disk"
)

// Layers below each cause, which must stay ok when only that cause's fault is injected.
var (
	belowRoute    = []string{idInterfaces}
	belowDNS      = []string{idInterfaces, idGateway}
	belowInternet = []string{idInterfaces, idGateway, idDNS}
	belowVPN      = []string{idInterfaces, idGateway, idDNS, idInternet}
	belowService  = []string{idInterfaces, idGateway, idDNS, idInternet, idTunnel, idInternal}
)

// evidence is what one check must show.
type evidence struct {
	id     string
	status string
	// reason, when set, is the exact reason; notReason is one it must not be.
	reason, notReason string
	// detail, when set, must appear in the check's details (as JSON text).
	detail string
}

type causeCase struct {
	name    string
	profile lab.ProfileOptions
	fault   func(*lab.Lab) error
	cause   string
	// evidence lists checks that must show the fault; the first must also be in the verdict's
	// evidence.
	evidence []evidence
	okBelow  []string
	// exit is the CLI's exit code: 1 when any check failed.
	exit int
}

func noFault(*lab.Lab) error { return nil }

func both(a, b func(*lab.Lab) error) func(*lab.Lab) error {
	return func(l *lab.Lab) error {
		if err := a(l); err != nil {
			return err
		}
		return b(l)
	}
}

func siteMode(site func(*lab.Lab) *lab.Site, m lab.Mode) func(*lab.Lab) error {
	return func(l *lab.Lab) error { site(l).Set(m); return nil }
}

func probe(l *lab.Lab) *lab.Site   { return l.Probe }
func service(l *lab.Lab) *lab.Site { return l.Service }

// TestVerdictCauses injects one real fault per case into a healthy lab and checks that
// `apuri diagnose` names the layer that broke, with that layer's check as the evidence, and
// that the layers below it still look healthy.
func TestVerdictCauses(t *testing.T) {
	need(t)
	tests := []causeCase{
		{
			name: "healthy", fault: noFault, cause: "healthy", exit: 0,
			okBelow: append(slices.Clone(belowService), idService, idIntranet, idClock),
		},
		{
			name: "no_link: cable unplugged (no carrier)", fault: (*lab.Lab).UnplugCable, cause: "no_link", exit: 1,
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_link", detail: `"carrier":false`}},
		},
		{
			name: "no_link: adapter switched off", fault: (*lab.Lab).ClientLinkDown, cause: "no_link", exit: 1,
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_link", detail: `"up":false`}},
		},
		{
			name: "no_address: DHCP never answered", fault: (*lab.Lab).RemoveClientAddress, cause: "no_address", exit: 1,
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_address"}},
		},
		{
			name: "no_address: only a 169.254 address", fault: (*lab.Lab).LinkLocalOnly, cause: "no_address", exit: 1,
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_address", detail: "169.254.23.45"}},
		},
		{
			name: "no_route: default route deleted", fault: (*lab.Lab).DeleteDefaultRoute, cause: "no_route", exit: 1,
			evidence: []evidence{{id: idGateway, status: "fail", reason: "no_route"}},
			okBelow:  belowRoute,
		},
		{
			name: "gateway_unreachable: nothing answers ARP for the router", fault: (*lab.Lab).RemoveGateway,
			cause: "gateway_unreachable", exit: 1,
			evidence: []evidence{{id: idGateway, status: "fail", notReason: "no_route", detail: lab.GatewayAddr}},
			okBelow:  belowRoute,
		},
		{
			name: "dns_failure: both resolvers dead", fault: (*lab.Lab).KillAllDNS, cause: "dns_failure", exit: 1,
			evidence: []evidence{{id: idDNS, status: "fail", detail: lab.DNS2Addr}},
			okBelow:  belowDNS,
		},
		{
			name: "captive_portal: probe redirected to a login page", fault: siteMode(probe, lab.CaptiveRedirect),
			cause: "captive_portal", exit: 1,
			evidence: []evidence{{id: idInternet, status: "fail", reason: "captive_portal", detail: lab.CaptiveLoginPath}},
			okBelow:  belowInternet,
		},
		{
			name: "captive_portal: login page served in place of the probe", fault: siteMode(probe, lab.ForeignContent),
			cause: "captive_portal", exit: 1,
			evidence: []evidence{{id: idInternet, status: "fail", reason: "captive_portal"}},
			okBelow:  belowInternet,
		},
		{
			name: "internet_unreachable: probe black-holed beyond the router", fault: (*lab.Lab).BlackholeProbe,
			cause: "internet_unreachable", exit: 1,
			evidence: []evidence{{id: idInternet, status: "fail", notReason: "captive_portal"}},
			okBelow:  belowInternet,
		},
		{
			name: "vpn_down: tunnel deleted, and the service behind it fails with it", fault: (*lab.Lab).DeleteTunnel,
			cause: "vpn_down", exit: 1,
			evidence: []evidence{{id: idTunnel, status: "fail"}, {id: idIntranet, status: "fail"}},
			okBelow:  append(slices.Clone(belowVPN), idService),
		},
		{
			name:    "vpn_down: optional VPN absent, a via_vpn service fails",
			profile: lab.ProfileOptions{VPNOptional: true}, fault: (*lab.Lab).DeleteTunnel,
			cause: "vpn_down", exit: 1,
			evidence: []evidence{{id: idIntranet, status: "fail"}, {id: idTunnel, status: "skip", reason: "absent"}},
			okBelow:  append(slices.Clone(belowVPN), idService),
		},
		{
			name: "vpn_broken: tunnel up, internal host black-holed", fault: (*lab.Lab).BlackholeInternal,
			cause: "vpn_broken", exit: 1,
			evidence: []evidence{{id: idInternal, status: "fail", detail: lab.InternalAddr}},
			okBelow:  append(slices.Clone(belowVPN), idTunnel, idService),
		},
		{
			name: "service_down: service answers 500", fault: siteMode(service, lab.ServerError),
			cause: "service_down", exit: 1,
			evidence: []evidence{{id: idService, status: "fail", detail: `"status":500`}},
			okBelow:  append(slices.Clone(belowService), idIntranet),
		},
		{
			name: "service_down: the service's page never finishes loading", fault: siteMode(service, lab.StalledBody),
			cause: "service_down", exit: 1,
			evidence: []evidence{{id: idService, status: "fail", reason: "body_stalled", detail: `"body_bytes"`}},
			okBelow:  append(slices.Clone(belowService), idIntranet),
		},
		{
			name: "degraded: the internet probe answers slowly",
			fault: func(l *lab.Lab) error {
				l.Probe.SetDelay(2 * lab.LatencyMS * time.Millisecond)
				return nil
			},
			cause: "degraded", exit: 0,
			evidence: []evidence{{id: idInternet, status: "warn"}},
			okBelow:  belowInternet,
		},
		{
			name: "clock_skew: every server's clock says two hours later",
			fault: func(l *lab.Lab) error {
				for _, s := range []*lab.Site{l.Probe, l.Service, l.Internal} {
					s.SetDateSkew(2 * time.Hour)
				}
				return nil
			},
			cause:    "clock_skew",
			evidence: []evidence{{id: idClock, status: "fail"}},
			okBelow:  append(slices.Clone(belowService), idService, idIntranet),
			exit:     1,
		},
		{
			name:    "local_resources: disk threshold above what this computer has free",
			profile: lab.ProfileOptions{DiskFreePercent: 99}, fault: noFault,
			cause: "local_resources", exit: 0,
			evidence: []evidence{{id: idDisk, status: "warn"}},
			okBelow:  append(slices.Clone(belowService), idService, idIntranet),
		},
		// Several faults at once: the lowest broken layer is the verdict.
		{
			name: "lower layer wins: no route and both resolvers dead", fault: both((*lab.Lab).DeleteDefaultRoute, (*lab.Lab).KillAllDNS),
			cause: "no_route", exit: 1,
			evidence: []evidence{{id: idGateway, status: "fail", reason: "no_route"}, {id: idDNS, status: "fail"}},
			okBelow:  belowRoute,
		},
		{
			name:  "lower layer wins: resolvers dead and service answers 500",
			fault: both((*lab.Lab).KillAllDNS, siteMode(service, lab.ServerError)),
			cause: "dns_failure", exit: 1,
			evidence: []evidence{{id: idDNS, status: "fail"}, {id: idService, status: "fail"}},
			okBelow:  belowDNS,
		},
		{
			name:  "lower layer wins: tunnel deleted and service answers 500",
			fault: both((*lab.Lab).DeleteTunnel, siteMode(service, lab.ServerError)),
			cause: "vpn_down", exit: 1,
			evidence: []evidence{{id: idTunnel, status: "fail"}, {id: idService, status: "fail"}},
			okBelow:  belowVPN,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if err := tt.fault(l); err != nil {
				t.Fatalf("inject fault: %v", err)
			}
			r := diagnose(t, l, tt.profile)
			checkCause(t, r, tt)
		})
	}
}

func checkCause(t *testing.T, r *lab.Run, tt causeCase) {
	t.Helper()
	rep := r.Report
	if rep.Verdict.Cause != tt.cause {
		t.Errorf("verdict.cause = %q, want %q (evidence %v: %s)", rep.Verdict.Cause, tt.cause, rep.Verdict.Evidence, rep.Verdict.Summary)
	}
	// Every view renders the sentence from its key in the user's language: it must render in each.
	verdictSays(t, rep, map[string][]string{"fi": nil, "sv": nil})
	for i, e := range tt.evidence {
		c, ok := rep.Check(e.id)
		if !ok {
			t.Errorf("no %s in the report", e.id)
			continue
		}
		if c.Status != e.status {
			t.Errorf("%s status = %q (%s), want %q", e.id, c.Status, c.Summary, e.status)
		}
		if e.reason != "" && c.Reason != e.reason {
			t.Errorf("%s reason = %q, want %q", e.id, c.Reason, e.reason)
		}
		if e.notReason != "" && c.Reason == e.notReason {
			t.Errorf("%s reason = %q, want anything else", e.id, c.Reason)
		}
		if e.detail != "" && !strings.Contains(details(c), e.detail) {
			t.Errorf("%s details do not mention %s: %s", e.id, e.detail, details(c))
		}
		if i == 0 && !slices.Contains(rep.Verdict.Evidence, e.id) {
			t.Errorf("verdict.evidence = %v, want it to include %s", rep.Verdict.Evidence, e.id)
		}
	}
	for _, id := range tt.okBelow {
		if c, ok := rep.Check(id); !ok || c.Status != "ok" {
			t.Errorf("%s = %q (%s, %s), want ok: the fault is above it", id, c.Status, c.Reason, c.Summary)
		}
	}
	if tt.cause == "healthy" {
		if rep.Verdict.Status != "ok" || len(rep.Verdict.Evidence) != 0 {
			t.Errorf("healthy verdict status %q evidence %v, want ok and none", rep.Verdict.Status, rep.Verdict.Evidence)
		}
		for _, c := range rep.Checks {
			if c.Status == "fail" || c.Status == "warn" {
				t.Errorf("healthy lab: %s = %s (%s)", c.ID, c.Status, c.Summary)
			}
		}
	}
	if r.ExitCode != tt.exit {
		t.Errorf("exit code = %d, want %d", r.ExitCode, tt.exit)
	}
	failed := slices.ContainsFunc(rep.Checks, func(c lab.CheckResult) bool { return c.Status == "fail" })
	if failed != (r.ExitCode == 1) {
		t.Errorf("exit code %d but a check failed: %v (contract: 1 exactly when something failed)", r.ExitCode, failed)
	}
}

// TestOneResolverDead breaks one of the two resolvers: names still resolve through the other,
// so the verdict must not be dns_failure, but the DNS check warns and names the dead server.
// A crashed resolver is refused at once; a silent one (its host down) makes every lookup wait
// for the resolver's timeout (5 s by default) before the next server is asked, which the user
// sees as a slow network: degraded, not a broken internet.
func TestOneResolverDead(t *testing.T) {
	need(t)
	tests := []struct {
		name       string
		dead, live int
		fault      func(*lab.Lab, int) error
	}{
		{"first resolver crashed", 0, 1, (*lab.Lab).KillDNS},
		{"second resolver crashed", 1, 0, (*lab.Lab).KillDNS},
		{"first resolver silent", 0, 1, (*lab.Lab).DropDNS},
		{"second resolver silent", 1, 0, (*lab.Lab).DropDNS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if err := tt.fault(l, tt.dead); err != nil {
				t.Fatal(err)
			}
			r := diagnose(t, l, lab.ProfileOptions{})
			rep := r.Report
			dns, _ := rep.Check(idDNS)
			if dns.Status != "warn" {
				t.Errorf("network.dns = %q (%s), want warn", dns.Status, dns.Summary)
			}
			deadAddr, liveAddr := l.DNS[tt.dead].Addr, l.DNS[tt.live].Addr
			var d struct {
				DeadServers []string `json:"dead_servers"`
			}
			decodeDetails(t, dns, &d)
			if !slices.ContainsFunc(d.DeadServers, func(s string) bool { return strings.HasPrefix(s, deadAddr+":") }) {
				t.Errorf("dead_servers = %v, want %s named", d.DeadServers, deadAddr)
			}
			if slices.ContainsFunc(d.DeadServers, func(s string) bool { return strings.HasPrefix(s, liveAddr+":") }) {
				t.Errorf("dead_servers = %v names the live %s", d.DeadServers, liveAddr)
			}
			if rep.Verdict.Cause == "dns_failure" {
				t.Errorf("verdict dns_failure while %s still answers", liveAddr)
			}
			if rep.Verdict.Cause != "degraded" {
				t.Errorf("verdict.cause = %q (evidence %v), want degraded: names resolve, through the second server",
					rep.Verdict.Cause, rep.Verdict.Evidence)
			}
			for _, id := range []string{idInterfaces, idGateway} {
				if c, _ := rep.Check(id); c.Status != "ok" {
					t.Errorf("%s = %q (%s), want ok", id, c.Status, c.Summary)
				}
			}
		})
	}
}
