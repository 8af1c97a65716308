package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/reportschema"
	"github.com/apuri-project/apuri/profile"
)

// answer is a check that gives a result made in advance, or panics when it has none, as a
// broken check would.
type answer struct {
	id  string
	res *diagnostics.Result
}

func (a answer) ID() string { return a.id }

// Group is the part of the ID before the dot, as in every check ID of the contract.
func (a answer) Group() diagnostics.Group {
	group, _, _ := strings.Cut(a.id, ".")
	return diagnostics.Group(group)
}

func (a answer) Run(context.Context) diagnostics.Result {
	if a.res == nil {
		panic("the check broke")
	}
	return *a.res
}

func with(r diagnostics.Result) *diagnostics.Result { return &r }

// The results below carry the details docs/report.md lists for each check.
var (
	linkUp = with(diagnostics.OK(i18n.Msg("check.interfaces.ok", "links", "eth0")).
		Detail("links", []map[string]any{{"name": "eth0", "up": true, "carrier": true, "addrs": []string{"192.0.2.10/24"}, "usable": true}}).
		Detail("ignored_vpn", []string{}))
	linkDown = with(diagnostics.Fail(i18n.Msg("check.interfaces.no_link")).Because(diagnostics.ReasonNoLink).
			Detail("links", []map[string]any{{"name": "eth0", "up": true, "carrier": false, "addrs": []string{}, "usable": false}}).
			Detail("ignored_vpn", []string{"wg0"}))
	gatewayOK = with(diagnostics.OK(i18n.Msg("check.gateway.ok", "gateway", "192.0.2.1", "method", "icmp", "latency_ms", 0.4)).
			Detail("routes", []map[string]any{{"gateway": "192.0.2.1", "interface": "eth0", "method": "icmp", "latency_ms": 0.4, "sent": 10, "received": 10}}).
			Detail("method", "icmp").Detail("latency_ms", 0.4).Detail("loss_percent", 0))
	gatewayLossy = with(diagnostics.Warn(i18n.Msg("check.gateway.loss", "gateway", "192.0.2.1", "loss_percent", 30)).Because("loss").
			Detail("routes", []map[string]any{{"gateway": "192.0.2.1", "method": "icmp", "loss_percent": 30, "sent": 10, "received": 7}}).
			Detail("method", "icmp").Detail("latency_ms", 2.5).Detail("loss_percent", 30))
	noRouteHere = with(diagnostics.Fail(i18n.Msg("check.gateway.no_route")).Because(diagnostics.ReasonNoRoute))
	internetOK  = with(diagnostics.OK(i18n.Msg("check.internet.ok", "latency_ms", 40)).
			Detail("url", "http://detectportal.example/success.txt").Detail("proxy", "none").Detail("latency_ms", 40).Detail("status", 200))
	captive = with(diagnostics.Fail(i18n.Msg("check.internet.captive_portal", "portal", "http://hotel.example/login")).
		Because(diagnostics.ReasonCaptivePortal).
		Detail("url", "http://detectportal.example/success.txt").Detail("proxy", "none").Detail("latency_ms", 12).
		Detail("status", 302).Detail("portal_url", "http://hotel.example/login").Detail("location", "http://hotel.example/login"))
	noTunnel = with(diagnostics.Skip(i18n.Msg("check.vpn_tunnel.absent")).Because(diagnostics.ReasonVPNAbsent).
			Detail("patterns", []string{"tun*", "wg*"}).Detail("required", false))
	topOK = with(diagnostics.OK(i18n.Msg("check.service.ok", "service", "top", "status", 200, "latency_ms", 80)).
		Detail("via_vpn", false).Detail("status", 200).Detail("latency_ms", 80).Detail("final_url", "https://top.example.org/"))
	topBroken = with(diagnostics.Fail(i18n.Msg("check.service.http_status", "service", "top", "status", 503)).Because("http_status").
			Detail("via_vpn", false).Detail("status", 503).Detail("latency_ms", 80).Detail("final_url", "https://top.example.org/"))
	memoryOK = with(diagnostics.OK(i18n.Msg("check.memory.ok", "percent", 40)).
			Detail("used_percent", 40.2).Detail("total_bytes", 8<<30).Detail("available_bytes", 5<<30))
	diskFull = with(diagnostics.Fail(i18n.Msg("check.disk.full", "percent", 1)).Because("disk_full").
			Detail("path", "/").Detail("free_bytes", 1<<28).Detail("total_bytes", 256<<30).Detail("free_percent", 0.1))
	clockOff = with(diagnostics.Warn(i18n.Msg("check.clock.skewed", "seconds", 300)).Because("clock_skew").
			Detail("skew_s", 300.2).Detail("reference", "top.example.org"))
	noReference = with(diagnostics.Skip(i18n.Msg("check.clock.no_reference")).Because("no_reference"))
)

// TestDiagnoseJSONMatchesTheSchema runs `apuri diagnose --json` on diagnoses made by the real
// runner and verdict, covering every status and several causes, and holds what it prints to
// docs/report.schema.json.
func TestDiagnoseJSONMatchesTheSchema(t *testing.T) {
	tests := []struct {
		name   string
		checks map[string]*diagnostics.Result
		cause  diagnostics.Cause
		feed   bool // a feed of known disruptions that names the service top
	}{
		{"healthy", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkUp, diagnostics.IDGateway: gatewayOK, diagnostics.IDInternet: internetOK,
			diagnostics.IDVPNTunnel: noTunnel, "service.top": topOK, diagnostics.IDMemory: memoryOK, diagnostics.IDClock: noReference,
		}, diagnostics.CauseHealthy, false},
		{"no link, with the layers above failing too", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkDown, diagnostics.IDGateway: noRouteHere, diagnostics.IDVPNTunnel: noTunnel,
			diagnostics.IDMemory: memoryOK,
		}, diagnostics.CauseNoLink, false},
		{"captive portal", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkUp, diagnostics.IDGateway: gatewayOK, diagnostics.IDInternet: captive,
		}, diagnostics.CauseCaptivePortal, false},
		{"degraded", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkUp, diagnostics.IDGateway: gatewayLossy, diagnostics.IDInternet: internetOK,
		}, diagnostics.CauseDegraded, false},
		{"a service down that a known disruption explains", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkUp, diagnostics.IDInternet: internetOK, "service.top": topBroken,
		}, diagnostics.CauseServiceDown, true},
		{"a full disk and a crashed check", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkUp, diagnostics.IDDisk: diskFull, diagnostics.IDCPU: nil,
		}, diagnostics.CauseLocalResources, false},
		{"a skewed clock", map[string]*diagnostics.Result{
			diagnostics.IDInterfaces: linkUp, diagnostics.IDClock: clockOff,
		}, diagnostics.CauseClockSkew, false},
	}
	seen := map[diagnostics.Status]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var checks []diagnostics.Check
			for _, id := range []string{diagnostics.IDInterfaces, diagnostics.IDGateway, diagnostics.IDDNS, diagnostics.IDInternet,
				diagnostics.IDVPNTunnel, "service.top", diagnostics.IDCPU, diagnostics.IDMemory, diagnostics.IDDisk, diagnostics.IDClock} {
				if res, ok := tt.checks[id]; ok {
					checks = append(checks, answer{id, res})
				}
			}
			args := []string{"diagnose", "--json"}
			if tt.feed {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					_, _ = w.Write([]byte(topIncident))
				}))
				t.Cleanup(srv.Close)
				args = append(args, "--profile", feedProfileFile(t, srv.URL))
			}
			code, out, errOut := runEnv(t, func(ctx context.Context, p *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report {
				if tt.feed {
					waitForFile(ctx, t, disruptions.DefaultCachePath())
				}
				return diagnostics.Run(ctx, p, checks, progress)
			}, args...)
			if code != 0 && code != 1 { // a diagnosis exits 0 or 1; 2 is bad usage (docs/report.md)
				t.Fatalf("exit %d; stderr: %s", code, errOut)
			}
			if err := reportschema.Validate([]byte(out)); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var got diagnostics.Report
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if got.Verdict.Cause != tt.cause {
				t.Errorf("cause %s, want %s", got.Verdict.Cause, tt.cause)
			}
			if tt.feed && got.Verdict.Disruption == nil {
				t.Error("the verdict names no known disruption")
			}
			for _, c := range got.Checks {
				seen[c.Status] = true
			}
		})
	}
	for _, s := range []diagnostics.Status{diagnostics.StatusOK, diagnostics.StatusWarn, diagnostics.StatusFail, diagnostics.StatusSkip} {
		if !seen[s] {
			t.Errorf("no report had a check with status %s", s)
		}
	}
}

// waitForFile returns once path exists, or when ctx ends.
func waitForFile(ctx context.Context, t *testing.T, path string) {
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Errorf("%s never appeared", path)
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
}
