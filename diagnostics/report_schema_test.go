package diagnostics

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/internal/testsupport/reportschema"
	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/disk"
	"github.com/shirou/gopsutil/v4/load"
	"github.com/shirou/gopsutil/v4/mem"
)

// systemChecks are the six system checks and the two account checks with measurements given
// in advance.
func systemChecks(busy, used float64, free, total uint64, uptime uint64, err error) []Check {
	return []Check{
		&cpuCheck{busyWarn: 90,
			percent: func(context.Context, time.Duration, bool) ([]float64, error) { return []float64{busy}, err },
			counts:  func(context.Context, bool) (int, error) { return 4, nil },
			loadAvg: func(context.Context) (*load.AvgStat, error) {
				return &load.AvgStat{Load1: 1, Load5: 0.5, Load15: 0.2}, nil
			},
		},
		&memoryCheck{usedWarn: 90, virtual: func(context.Context) (*mem.VirtualMemoryStat, error) {
			return &mem.VirtualMemoryStat{Total: 16 << 30, Available: uint64((100 - used) / 100 * (16 << 30)), UsedPercent: used}, err
		}},
		&diskCheck{freeWarn: 10, paths: []string{"/"}, usage: func(context.Context, string) (*disk.UsageStat, error) {
			return &disk.UsageStat{Total: total, Free: free, Used: total - free}, err
		}, usedBy: func(context.Context, string) []diskUsage {
			return []diskUsage{{Place: "downloads", Path: "/home/maija/Downloads", Bytes: 3 << 30, Complete: true}, {Place: "trash", Bytes: 1 << 30}}
		}},
		&uptimeCheck{warnDays: 14, uptime: func(context.Context) (uint64, error) { return uptime, err }},
		// A computer up for weeks has updates waiting for a restart too.
		&rebootCheck{pending: func(context.Context) (RebootState, error) {
			if uptime < 14*86400 {
				return RebootState{}, err
			}
			return RebootState{Pending: true, Since: time.Now().Add(-72 * time.Hour), Sources: []string{RebootSourcePackages},
				Packages: []string{"linux-image-6.1.0-28-amd64"}}, err
		}},
		// ... and updates not installed for as long.
		&updatesCheck{warnDays: 14, now: time.Now, cache: answered(UpdatesState{Count: 3, Security: 1, Names: []string{"libc6"},
			Since: time.Now().Add(-time.Duration(uptime) * time.Second), Basis: UpdatesBasisLastInstalled}, err)},
		// ... and an expired password and VPN certificate.
		&passwordCheck{warnDays: 14, now: time.Now, state: func(context.Context) (PasswordState, error) {
			switch {
			case err != nil:
				return PasswordState{}, err
			case uptime < 14*86400:
				return PasswordState{Source: PasswordSourceChage, Expires: time.Now().Add(40 * 24 * time.Hour), TicketExpires: time.Now().Add(8 * time.Hour)}, nil
			}
			return PasswordState{Source: PasswordSourceWindowsDomain, Expired: true}, nil
		}},
		&certificatesCheck{warnDays: 14, now: time.Now, find: func(context.Context) ([]ClientCert, error) {
			left := 200 * 24 * time.Hour
			if uptime >= 14*86400 {
				left = -time.Hour
			}
			return []ClientCert{{Connection: "Work VPN", Use: CertUseVPN, Issuer: "Example CA", NotAfter: time.Now().Add(left)},
				{Use: CertUseStore, Issuer: "Example CA", NotAfter: time.Now().Add(300 * 24 * time.Hour)}}, err
		}},
	}
}

// TestRealChecksMatchTheSchema runs every kind of check, each with its real code and its side
// effects on loopback or in fakes, through the runner and the verdict, and holds the JSON
// report to docs/report.schema.json: the details each check writes are the ones the schema
// and docs/report.md describe.
func TestRealChecksMatchTheSchema(t *testing.T) {
	eth := netLink("eth0", true, true, "192.0.2.10/24")
	tunnelUp := tunnelNetInfo{links: []Link{ethLink, link("wg0", true, "10.8.0.2/32")}}
	noTunnel := tunnelNetInfo{links: []Link{ethLink}}
	goodDNS := dnsTestServer(t, dnsZone{})
	web := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		_, _ = w.Write([]byte("success"))
	}), nil).URL
	down := quietServer(t, status(http.StatusServiceUnavailable), nil).URL
	var hits atomic.Int32
	dated := dateServer(t, &hits)
	const gib = 1 << 30

	service := func(url string) Check {
		return newServiceCheck(&profile.Profile{Thresholds: profile.Thresholds{LatencyMS: 1000, CertExpiryDays: 14}},
			profile.Service{Name: "intranet", URL: url, ViaVPN: true})
	}
	clock := func(url string, ahead time.Duration) Check {
		c := newClockCheck(&profile.Profile{Network: profile.Network{InternetURL: url}}).(*clockCheck)
		c.now = offsetNow(ahead)
		return c
	}
	internal := func(hosts ...string) Check {
		return newVPNInternalCheck(&profile.Profile{VPN: profile.VPN{Required: true, InternalHosts: hosts}}, tunnelUp)
	}

	tests := []struct {
		name   string
		checks []Check
		cause  Cause
	}{
		{"everything answers", append([]Check{
			newInterfacesCheck(&profile.Profile{}, &netFake{links: []Link{eth}}),
			testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW, Interface: "eth0"}}},
				fakePing(pingStats{Sent: 10, Recv: 10, AvgRTT: time.Millisecond, MaxRTT: 2 * time.Millisecond}, nil)),
			testDNSCheck([]string{"good.test"}, []string{goodDNS}, dnsResolverVia(goodDNS)),
			testInternetCheck(profile.Network{InternetURL: web, InternetExpect: "success"}, nil),
			newVPNTunnelCheck(&profile.Profile{VPN: profile.VPN{Required: true}}, tunnelUp),
			internal(openPort(t)),
			service(web),
			clock(dated, 0),
		}, systemChecks(12, 40, 200*gib, 500*gib, 3600, nil)...), CauseHealthy},
		{"everything broken", append([]Check{
			newInterfacesCheck(&profile.Profile{}, &netFake{links: []Link{netLink("eth0", true, true, "169.254.3.4/16")}}),
			testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW, Interface: "eth0"}}}, silentPing),
			testDNSCheck([]string{"good.test"}, []string{dnsDeadServer(t)}, func(context.Context, string) ([]netip.Addr, error) {
				return nil, errors.New("no answer")
			}),
			testInternetCheck(profile.Network{InternetURL: inetServer(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://portal.example/login", http.StatusFound)
			}), InternetExpect: "success"}, nil),
			newVPNTunnelCheck(&profile.Profile{VPN: profile.VPN{Required: true}}, noTunnel),
			internal(closedport.Addr(t)),
			service(down),
			clock(dated, 2*time.Hour),
		}, systemChecks(97, 99, 1*gib, 500*gib, 30*86400, nil)...), CauseNoAddress},
		{"partly working", append([]Check{
			newInterfacesCheck(&profile.Profile{}, &netFake{links: []Link{eth}}),
			testGatewayCheck(&netFake{routes: []Route{{Gateway: loopGW, Interface: "eth0"}}},
				fakePing(pingStats{Sent: 10, Recv: 6, AvgRTT: 2 * time.Millisecond}, nil)),
			testDNSCheck([]string{"good.test", "missing.test"}, []string{goodDNS}, dnsResolverVia(goodDNS)),
			internal(openPort(t), closedport.Addr(t)),
		}, systemChecks(50, 93, 20*gib, 500*gib, 3600, nil)...), CauseDegraded},
		{"a lossy path on weak Wi-Fi, and a service that times out above it", []Check{
			newInterfacesCheck(&profile.Profile{}, &netFake{links: []Link{eth}}),
			&wifiCheck{net: &netFake{routes: []Route{{Interface: "eth0"}}},
				read: fixedWifi(wifiLink{Interface: "eth0", SignalDBM: -80, RateMbps: 6.5, FrequencyMHz: 2412})},
			pathCheck(pingBy(map[netip.Addr]pingStats{
				loopGW:    {Sent: 100, Recv: 75, RTTs: []time.Duration{time.Millisecond, 3 * time.Millisecond}},
				beyondHop: {Sent: 100, Recv: 74, AvgRTT: 5 * time.Millisecond},
			}), hopAt(beyondHop)),
			service(quietServer(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }), nil).URL),
		}, CauseDegraded},
		{"nothing can be measured", append([]Check{
			newInterfacesCheck(&profile.Profile{}, &netFake{linksErr: errors.New("no netlink")}),
			testGatewayCheck(&netFake{routesErr: errors.New("no netlink")}, silentPing),
			testDNSCheck(nil, nil, nil),
			testInternetCheck(profile.Network{}, nil),
			newVPNTunnelCheck(&profile.Profile{}, tunnelNetInfo{err: errors.New("no netlink")}),
			newVPNInternalCheck(&profile.Profile{}, noTunnel),
			clock("", 0),
		}, systemChecks(0, 0, 0, 0, 0, errors.New("not on this system"))...), CauseHealthy},
	}
	tr := i18n.New("en")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &profile.Profile{Timeouts: profile.Timeouts{Check: profile.Duration{Duration: time.Second},
				Total: profile.Duration{Duration: 3 * time.Second}}}
			r := Run(context.Background(), p, tt.checks, nil)
			r.Localize(tr)
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := reportschema.Validate(data); err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			if r.Verdict.Cause != tt.cause {
				t.Errorf("cause %s, want %s", r.Verdict.Cause, tt.cause)
			}
			for _, c := range r.Checks {
				if c.Reason == "timeout" || c.Reason == "crashed" {
					t.Errorf("%s ended with %s: the case did not run the check's own code", c.ID, c.Reason)
				}
			}
		})
	}
}
