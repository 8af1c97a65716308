//go:build linux

package winlab_test

import (
	"encoding/json"
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
	idClock      = "system.clock"
	idDisk       = "system.disk"
	idIntranet   = "service." + lab.InternalCheckName
	idIPv6       = "network.ipv6"
	idReboot     = "system.reboot"
)

// wineLatencyMS is the Wine lab's latency threshold. Under Wine a run's first requests take up
// to a second on a busy machine (each IP Helper call goes to Wine's device process, and the
// program's threads start slowly), which the Linux lab's 500 ms would call a slow network. The
// check timeouts grow with it, so that the slow probe (twice the threshold) is slow, not dead.
const wineLatencyMS = 2000

// evidence is what one check must show.
type evidence struct {
	id, status string
	// reason, when set, is the reason, or one of several separated by "|".
	reason string
	// detail, when set, must appear in the check's details (as JSON text).
	detail string
}

func siteMode(site func(*lab.Lab) *lab.Site, m lab.Mode) func(*lab.Lab) error {
	return func(l *lab.Lab) error { site(l).Set(m); return nil }
}

func probe(l *lab.Lab) *lab.Site   { return l.Probe }
func service(l *lab.Lab) *lab.Site { return l.Service }

// winCase is one fault and the verdict apuri.exe must give for it.
type winCase struct {
	name    string
	profile lab.ProfileOptions
	fault   func(*lab.Lab) error
	// env is added to apuri.exe's environment.
	env []string
	// skip, when set, says why the Windows build cannot name this fault as Linux does.
	skip string
	// wineGap, when set, says what Wine lacks that keeps the verdict from being Windows':
	// the evidence is checked, the verdict is not, and the case is reported skipped.
	wineGap string
	cause   string
	// evidence must be in the report; the first check, unless ok, must be among the verdict's
	// evidence.
	evidence []evidence
	// then, when set, checks more of the report.
	then func(*testing.T, *lab.Report)
}

// winProfile is the Wine lab's profile: the latency threshold and the check timeouts Wine's
// slower start needs (wineLatencyMS), unless the case sets its own.
func winProfile(o lab.ProfileOptions) lab.ProfileOptions {
	if o.LatencyMS == 0 {
		o.LatencyMS = wineLatencyMS
	}
	if o.CheckTimeout == 0 {
		o.CheckTimeout, o.Total = 6*time.Second, 8*time.Second
	}
	return o
}

// TestWindowsBuildVerdicts injects each fault of the lab (test/lab/README.md) and checks that
// apuri.exe under Wine names the cause the Linux build names, from what the Windows code read
// through the IP Helper API. The lab's tunnel is a veth named tun0, which Wine reports as an
// Ethernet adapter: it is found by the profile's name pattern, as an adapter named by its
// VPN client would be on Windows.
func TestWindowsBuildVerdicts(t *testing.T) {
	need(t)
	need(t)
	runCases(t, []winCase{
		{name: "healthy", fault: func(*lab.Lab) error { return nil }, cause: "healthy"},
		{name: "cable unplugged", fault: (*lab.Lab).UnplugCable, cause: "no_link",
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_link", detail: `"carrier":false`}}},
		// Wine reports every adapter as administratively up, so "up":false is not seen; the
		// missing carrier still gives the cause (a disabled adapter on Windows is not listed).
		{name: "adapter switched off", fault: (*lab.Lab).ClientLinkDown, cause: "no_link",
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_link", detail: `"carrier":false`}}},
		{name: "no address", fault: (*lab.Lab).RemoveClientAddress, cause: "no_address",
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_address"}}},
		{name: "only a 169.254 address", fault: (*lab.Lab).LinkLocalOnly, cause: "no_address",
			evidence: []evidence{{id: idInterfaces, status: "fail", reason: "no_address", detail: "169.254.23.45"}}},
		{name: "default route deleted", fault: (*lab.Lab).DeleteDefaultRoute, cause: "no_route",
			evidence: []evidence{{id: idGateway, status: "fail", reason: "no_route"}}},
		{name: "nothing answers ARP for the router", fault: (*lab.Lab).RemoveGateway, cause: "gateway_unreachable",
			evidence: []evidence{{id: idGateway, status: "fail", reason: "unreachable", detail: lab.GatewayAddr}}},
		// Wine 8 refuses to set up Go's UDP sockets, so the servers are not asked directly
		// (servers_unasked); the system resolver's failure gives the cause.
		{name: "both resolvers dead", fault: (*lab.Lab).KillAllDNS, cause: "dns_failure",
			evidence: []evidence{{id: idDNS, status: "fail", detail: "servers_unasked"}}},
		{name: "probe redirected to a login page", fault: siteMode(probe, lab.CaptiveRedirect), cause: "captive_portal",
			evidence: []evidence{{id: idInternet, status: "fail", reason: "captive_portal"}}},
		{name: "login page served in place of the probe", fault: siteMode(probe, lab.ForeignContent), cause: "captive_portal",
			evidence: []evidence{{id: idInternet, status: "fail", reason: "captive_portal"}}},
		// A guest network whose resolvers answer every name with its portal's address.
		{name: "every name answered with a login page's address", cause: "captive_portal",
			fault: func(l *lab.Lab) error { _, err := l.CaptiveDNS(); return err },
			evidence: []evidence{{id: idInternet, status: "fail", reason: "captive_portal",
				detail: "http://" + lab.PortalAddr + ":80" + lab.CaptiveLoginPath}}},
		{name: "probe black-holed beyond the router", fault: (*lab.Lab).BlackholeProbe, cause: "internet_unreachable",
			evidence: []evidence{{id: idInternet, status: "fail"}}},
		{name: "tunnel deleted", fault: (*lab.Lab).DeleteTunnel, cause: "vpn_down",
			evidence: []evidence{{id: idTunnel, status: "fail"}}},
		{name: "internal host black-holed", fault: (*lab.Lab).BlackholeInternal, cause: "vpn_broken",
			evidence: []evidence{{id: idInternal, status: "fail", detail: lab.InternalAddr}}},
		{name: "service answers 500", fault: siteMode(service, lab.ServerError), cause: "service_down",
			evidence: []evidence{{id: idService, status: "fail", detail: `"status":500`}}},
		// The check stops reading 100 ms before its deadline to report the stalled page itself;
		// on a busy machine Wine cancels the blocked read later than that, and the runner's
		// timeout is the reason. Either way the service failed and the cause is the same.
		{name: "service page never finishes", fault: siteMode(service, lab.StalledBody), cause: "service_down",
			evidence: []evidence{{id: idService, status: "fail", reason: "body_stalled|timeout"}}},
		{name: "probe answers slowly", cause: "degraded",
			fault: func(l *lab.Lab) error {
				l.Probe.SetDelay(2 * wineLatencyMS * time.Millisecond)
				return nil
			},
			evidence: []evidence{{id: idInternet, status: "warn"}}},
		{name: "servers' clocks two hours ahead", cause: "clock_skew",
			fault: func(l *lab.Lab) error {
				for _, s := range []*lab.Site{l.Probe, l.Service, l.Internal} {
					s.SetDateSkew(2 * time.Hour)
				}
				return nil
			},
			evidence: []evidence{{id: idClock, status: "fail"}}},
		{name: "disk threshold above what is free", profile: lab.ProfileOptions{DiskFreePercent: 99},
			fault: func(*lab.Lab) error { return nil }, cause: "local_resources",
			evidence: []evidence{{id: idDisk, status: "warn"}}},
	})
}

// runCases runs each case in a lab of its own, one after the other: a Wine prefix serves one
// namespace at a time (lab.Wine), and a lab built beside a running apuri.exe would slow it past
// the latency threshold.
func runCases(t *testing.T, cases []winCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skip != "" {
				t.Skip(tt.skip)
			}
			l := newLab(t)
			if err := tt.fault(l); err != nil {
				t.Fatalf("inject fault: %v", err)
			}
			rep := diagnoseEnv(t, l, winProfile(tt.profile), tt.env).Report
			if tt.wineGap != "" {
				checkEvidence(t, rep, tt.evidence)
				t.Skipf("verdict %q (%s) not asserted: %s", rep.Verdict.Cause, rep.Verdict.Summary, tt.wineGap)
			}
			checkVerdict(t, rep, tt.cause, tt.evidence)
			if tt.then != nil {
				tt.then(t, rep)
			}
		})
	}
}

// checkVerdict checks that rep is the Windows build's, names cause and shows the evidence, the
// first check among the verdict's own unless it is ok; a healthy verdict must have no check
// that failed or warned.
func checkVerdict(t *testing.T, rep *lab.Report, cause string, ev []evidence) {
	t.Helper()
	if rep.Verdict.Cause != cause {
		t.Errorf("verdict.cause = %q, want %q (evidence %v: %s)", rep.Verdict.Cause, cause, rep.Verdict.Evidence, rep.Verdict.Summary)
	}
	checkEvidence(t, rep, ev)
	if len(ev) > 0 && ev[0].status != "ok" && !slices.Contains(rep.Verdict.Evidence, ev[0].id) {
		t.Errorf("verdict.evidence = %v, want it to include %s", rep.Verdict.Evidence, ev[0].id)
	}
	if cause == "healthy" {
		for _, c := range rep.Checks {
			if c.Status == "fail" || c.Status == "warn" {
				t.Errorf("healthy lab: %s = %s (%s)", c.ID, c.Status, c.Summary)
			}
		}
	}
}

// checkEvidence checks that rep is the Windows build's and that its checks show ev.
func checkEvidence(t *testing.T, rep *lab.Report, ev []evidence) {
	t.Helper()
	if rep.Host.OS != "windows" {
		t.Errorf("host.os = %q: not the Windows build", rep.Host.OS)
	}
	for _, e := range ev {
		c, ok := rep.Check(e.id)
		if !ok {
			t.Errorf("no %s in the report", e.id)
			continue
		}
		if c.Status != e.status || (e.reason != "" && !slices.Contains(strings.Split(e.reason, "|"), c.Reason)) {
			t.Errorf("%s = %s/%s (%s), want %s/%s", e.id, c.Status, c.Reason, c.Summary, e.status, e.reason)
		}
		if e.detail != "" && !strings.Contains(details(c), e.detail) {
			t.Errorf("%s details do not mention %s: %s", e.id, e.detail, details(c))
		}
	}
}

// details renders a check's details as JSON, for matching an address in them.
func details(c lab.CheckResult) string {
	b, _ := json.Marshal(c.Details)
	return string(b)
}
