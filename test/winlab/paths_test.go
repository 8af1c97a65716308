//go:build linux

package winlab_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// needNFT skips (or, in CI, fails) a test whose faults need nftables.
func needNFT(t *testing.T) {
	t.Helper()
	need(t)
	lab.NeedNFT(t)
}

// TestWindowsPathFaults: the paths that drop large packets (test/lab/mtu_test.go) and the lossy
// or slow paths (test/lab/path_test.go), under Wine.
func TestWindowsPathFaults(t *testing.T) {
	needNFT(t)
	runCases(t, []winCase{
		// Windows cannot cap a connection's segment size; it sends echoes with Don't Fragment
		// set at the sizes Linux caps to (diagnostics/mtu_echo.go). The lab's length rule drops
		// large echoes and their replies as it drops large segments.
		{name: "the router drops large packets of the service", fault: (*lab.Lab).DropLargeToService, cause: "path_mtu",
			evidence: []evidence{{id: idService, status: "fail", reason: "path_mtu", detail: `"mtu_probe":"icmp_df"`}},
			then:     largestPassed(idService)},
		{name: "the VPN drops large packets of the intranet", fault: (*lab.Lab).DropLargeInVPN, cause: "vpn_mtu",
			evidence: []evidence{{id: idIntranet, status: "fail", reason: "path_mtu", detail: `"via_vpn":true`},
				{id: idIntranet, status: "fail", detail: `"mtu_probe":"icmp_df"`}},
			then: largestPassed(idIntranet)},
		// A firewall that lets no echo through leaves the echoes no answer at any size: no
		// proof, so the stalled service stays the service's, and the report says why.
		{name: "large packets dropped and echoes filtered on the way to the service", cause: "service_down",
			fault: func(l *lab.Lab) error {
				if err := l.DropLargeToService(); err != nil {
					return err
				}
				return l.FilterEchoesToService()
			},
			evidence: []evidence{{id: idService, status: "fail", reason: "unreachable", detail: `"mtu_probe":"icmp_silent"`}},
			then: func(t *testing.T, rep *lab.Report) {
				if c, _ := rep.Check(idService); strings.Contains(details(c), "path_mtu_bytes") {
					t.Errorf("a path named without an echo answered: %s", details(c))
				}
			}},
		// Linux finds the first router beyond the access network from the ICMP error an
		// unprivileged UDP socket is handed (diagnostics/hop_linux.go); Windows from an echo
		// with a TTL of 2 sent through the IP Helper API (hop_windows.go), then pings it as it
		// pings the router: 125 samples, about a quarter lost, and the verdict is the line's.
		{name: "a quarter of the packets lost beyond the router", fault: (*lab.Lab).LoseBeyondRouter, cause: "degraded",
			evidence: []evidence{{id: idGateway, status: "warn", reason: "loss_beyond"}},
			then: beyond(func(t *testing.T, b pathBeyond) {
				if b.Samples != 125 || b.LossPercent <= 10 || b.LossPercent >= 45 {
					t.Errorf("beyond %+v; want about 25 %% lost over 125 samples", b)
				}
			})},
		// The line holds every packet 350 ms each way: the first router beyond answers in
		// about 700 ms, over the threshold of 600 ms, while the router itself answers at once.
		// (The threshold is no lower so that Wine's slow start is not what passes it.)
		{name: "the line beyond the router holds every packet 350 ms each way", profile: lab.ProfileOptions{LatencyMS: 600},
			fault: func(l *lab.Lab) error { return l.DelayBeyondRouter(350 * time.Millisecond) }, cause: "degraded",
			evidence: []evidence{{id: idGateway, status: "warn", reason: "slow_beyond"}},
			then: beyond(func(t *testing.T, b pathBeyond) {
				if b.LatencyMS < 700 || b.LatencyMS > 1000 {
					t.Errorf("beyond %+v; want about 700 ms", b)
				}
			})},
	})
}

// pathBeyond is the gateway check's figures for the first router beyond the gateway.
type pathBeyond struct {
	Hop         string  `json:"hop"`
	Samples     int     `json:"samples"`
	LossPercent float64 `json:"loss_percent"`
	LatencyMS   float64 `json:"latency_ms"`
}

// beyond hands the gateway check's figures beyond the router to check, after logging what the
// echoes that looked for the hop came back with.
func beyond(check func(*testing.T, pathBeyond)) func(*testing.T, *lab.Report) {
	return func(t *testing.T, rep *lab.Report) {
		c, _ := rep.Check(idGateway)
		for _, line := range c.Log {
			if strings.Contains(line, "TTL 2") || strings.Contains(line, "beyond") {
				t.Logf("%s: %s", idGateway, line)
			}
		}
		var d struct {
			Beyond *pathBeyond `json:"beyond"`
		}
		if err := json.Unmarshal([]byte(details(c)), &d); err != nil {
			t.Fatal(err)
		}
		if d.Beyond == nil {
			t.Fatalf("nothing measured beyond the router: %s", details(c))
		}
		check(t, *d.Beyond)
	}
}

// largestPassed checks that check id's echoes found the lab's limit as test/lab/mtu_test.go
// checks the capped segments: the largest packet that passed is at most lab.MTULimit, and every
// size passed exactly when it was within it.
func largestPassed(id string) func(*testing.T, *lab.Report) {
	return func(t *testing.T, rep *lab.Report) {
		c, _ := rep.Check(id)
		var d struct {
			Bytes int `json:"path_mtu_bytes"`
			Tried []struct {
				Bytes  int  `json:"bytes"`
				Passed bool `json:"passed"`
			} `json:"mtu_tried"`
		}
		if err := json.Unmarshal([]byte(details(c)), &d); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s", id, details(c))
		if d.Bytes < 576 || d.Bytes > lab.MTULimit || len(d.Tried) != 4 {
			t.Errorf("path_mtu_bytes = %d, want between 576 and %d (tried %v)", d.Bytes, lab.MTULimit, d.Tried)
		}
		for _, try := range d.Tried {
			if try.Passed != (try.Bytes <= lab.MTULimit) {
				t.Errorf("%d bytes passed: %v, over a path that drops packets over %d", try.Bytes, try.Passed, lab.MTULimit)
			}
		}
	}
}

// TestWindowsLossOnTheAccessLink: a quarter of the packets the client sends the router are
// lost (test/lab/path_test.go). The Windows build's gateway check must measure it: warn, loss,
// 125 samples, about 25 %. The verdict is asserted only when Wine's name lookups survived the
// loss: Go's UDP sockets cannot be made under Wine, so every lookup goes through Wine to glibc's
// resolver, which asks again only after 5 s (Windows' own DNS client after 1 s); a lost query
// then outlasts the DNS, internet and service checks' timeouts, and they fail for Wine's sake.
func TestWindowsLossOnTheAccessLink(t *testing.T) {
	needNFT(t)
	l := newLab(t)
	if err := l.LoseOnAccessLink(); err != nil {
		t.Fatalf("inject fault: %v", err)
	}
	rep := diagnose(t, l, winProfile(lab.ProfileOptions{})).Report
	gw, _ := rep.Check(idGateway)
	var f struct {
		LossPercent float64 `json:"loss_percent"`
		Samples     int     `json:"samples"`
	}
	if err := json.Unmarshal([]byte(details(gw)), &f); err != nil {
		t.Fatal(err)
	}
	if gw.Status != "warn" || gw.Reason != "loss" || f.Samples != 125 || f.LossPercent <= 10 || f.LossPercent >= 45 {
		t.Fatalf("%s = %s/%s, %d samples, %v %% lost (%s); want warn/loss, 125 samples, about 25 %%",
			idGateway, gw.Status, gw.Reason, f.Samples, f.LossPercent, gw.Summary)
	}
	if rep.Verdict.Cause != "degraded" {
		var failed []string
		for _, c := range rep.Checks {
			if c.Status == "fail" {
				failed = append(failed, c.ID+": "+c.Summary)
			}
		}
		if len(failed) == 0 {
			t.Fatalf("verdict %q (%s) with nothing failed, want degraded by the gateway's loss", rep.Verdict.Cause, rep.Verdict.Summary)
		}
		t.Skipf("the gateway check measured %v %% lost; the verdict %q is not asserted, Wine's lookups did not survive the loss: %v",
			f.LossPercent, rep.Verdict.Cause, failed)
	}
	checkVerdict(t, rep, "degraded", []evidence{{id: idGateway, status: "warn", reason: "loss"}})
}

// TestWindowsIPv6 gives the lab IPv6 in each way of test/lab/ipv6_test.go.
func TestWindowsIPv6(t *testing.T) {
	need(t)
	dualStack := func(l *lab.Lab) error { return l.DualStack() }
	runCases(t, []winCase{
		{name: "dual stack", fault: dualStack, cause: "healthy",
			evidence: []evidence{{id: idIPv6, status: "ok", detail: `"ipv6_mode":"dual"`}}},
		// Wine 8's GetIpForwardTable2 lists no IPv6 route at all (asked for AF_INET6 in a
		// namespace with an IPv6 default route, it returns an empty table), so with IPv4 gone
		// the gateway check finds no default route: no_route. Windows lists them. The IPv6
		// check, which asks Winsock for the route, sees the network as it is.
		{name: "IPv6 only, DNS64 and NAT64", fault: (*lab.Lab).IPv6Only, cause: "healthy",
			wineGap: "Wine 8's GetIpForwardTable2 lists no IPv6 routes, so the gateway check finds no default route",
			evidence: []evidence{{id: idIPv6, status: "ok", detail: `"ipv6_mode":"ipv6_only"`},
				{id: idIPv6, status: "ok", detail: `"nat64_prefix":"` + lab.NAT64Prefix + `"`},
				{id: idInternet, status: "ok"}, {id: idService, status: "ok"}}},
		{name: "IPv6 offered but black-holed in the router", cause: "degraded",
			fault: func(l *lab.Lab) error {
				if err := l.DualStack(); err != nil {
					return err
				}
				return l.BreakIPv6()
			},
			evidence: []evidence{{id: idIPv6, status: "warn", reason: "ipv6_broken", detail: `"ipv6_mode":"broken"`}}},
	})
}
