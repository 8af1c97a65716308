package diagnostics

import (
	"slices"
	"testing"
)

func res(id string, g Group, s Status, reason string) Result {
	return Result{ID: id, Group: g, Status: s, Reason: reason, Details: map[string]any{}}
}

func healthyResults() []Result {
	return []Result{
		res(IDInterfaces, GroupNetwork, StatusOK, ""),
		res(IDGateway, GroupNetwork, StatusOK, ""),
		res(IDDNS, GroupNetwork, StatusOK, ""),
		res(IDInternet, GroupNetwork, StatusOK, ""),
		res(IDVPNTunnel, GroupVPN, StatusOK, ""),
		res(IDVPNInternal, GroupVPN, StatusOK, ""),
		res(ServicePrefix+"intra", GroupService, StatusOK, "").Detail(DetailViaVPN, true),
		res(ServicePrefix+"mail", GroupService, StatusOK, "").Detail(DetailViaVPN, false),
		res(IDCPU, GroupSystem, StatusOK, ""),
		res(IDMemory, GroupSystem, StatusOK, ""),
		res(IDDisk, GroupSystem, StatusOK, ""),
		res(IDUptime, GroupSystem, StatusOK, ""),
		res(IDClock, GroupSystem, StatusOK, ""),
	}
}

// with returns the healthy results with the given ones replacing those of the same ID.
func with(changes ...Result) []Result {
	all := healthyResults()
	for _, c := range changes {
		for i := range all {
			if all[i].ID == c.ID {
				if c.Details == nil {
					c.Details = all[i].Details
				}
				all[i] = c
			}
		}
	}
	return all
}

func TestDecide(t *testing.T) {
	fail := func(id string, g Group, reason string) Result { return res(id, g, StatusFail, reason) }
	warn := func(id string, g Group) Result { return res(id, g, StatusWarn, "") }
	tests := []struct {
		name     string
		results  []Result
		cause    Cause
		status   Status
		evidence []string
	}{
		{"healthy", healthyResults(), CauseHealthy, StatusOK, []string{}},
		{"no link beats everything above it", with(
			fail(IDInterfaces, GroupNetwork, ReasonNoLink), fail(IDGateway, GroupNetwork, ReasonNoRoute),
			fail(IDDNS, GroupNetwork, ""), fail(IDInternet, GroupNetwork, "unreachable")),
			CauseNoLink, StatusFail, []string{IDInterfaces}},
		{"no address", with(fail(IDInterfaces, GroupNetwork, ReasonNoAddress)), CauseNoAddress, StatusFail, []string{IDInterfaces}},
		{"no route", with(fail(IDGateway, GroupNetwork, ReasonNoRoute), fail(IDDNS, GroupNetwork, "")), CauseNoRoute, StatusFail, []string{IDGateway}},
		{"gateway unreachable", with(fail(IDGateway, GroupNetwork, "unreachable")), CauseGatewayUnreachable, StatusFail, []string{IDGateway}},
		{"dns", with(fail(IDDNS, GroupNetwork, ""), fail(IDInternet, GroupNetwork, "unreachable")), CauseDNSFailure, StatusFail, []string{IDDNS}},
		{"captive portal", with(fail(IDInternet, GroupNetwork, ReasonCaptivePortal)), CauseCaptivePortal, StatusFail, []string{IDInternet}},
		{"internet", with(fail(IDInternet, GroupNetwork, "unreachable")), CauseInternetUnreach, StatusFail, []string{IDInternet}},
		{"vpn down", with(fail(IDVPNTunnel, GroupVPN, "down"), fail(IDVPNInternal, GroupVPN, "unreachable")), CauseVPNDown, StatusFail, []string{IDVPNTunnel}},
		{"service via an absent tunnel blames the vpn", with(
			res(IDVPNTunnel, GroupVPN, StatusSkip, ReasonVPNAbsent),
			fail(ServicePrefix+"intra", GroupService, "unreachable").Detail(DetailViaVPN, true)),
			CauseVPNDown, StatusFail, []string{ServicePrefix + "intra"}},
		{"vpn broken", with(fail(IDVPNInternal, GroupVPN, "unreachable")), CauseVPNBroken, StatusFail, []string{IDVPNInternal}},
		{"service down", with(fail(ServicePrefix+"mail", GroupService, "http_status").Detail(DetailViaVPN, false)), CauseServiceDown, StatusFail, []string{ServicePrefix + "mail"}},
		{"via-vpn service down with the tunnel up is the service's fault", with(
			fail(ServicePrefix+"intra", GroupService, "http_status").Detail(DetailViaVPN, true)),
			CauseServiceDown, StatusFail, []string{ServicePrefix + "intra"}},
		{"disk full fails as local resources", with(fail(IDDisk, GroupSystem, "")), CauseLocalResources, StatusFail, []string{IDDisk}},
		{"clock far off", with(fail(IDClock, GroupSystem, "")), CauseClockSkew, StatusFail, []string{IDClock}},
		{"a failure beats a lower warning", with(warn(IDDNS, GroupNetwork), fail(ServicePrefix+"mail", GroupService, "http_status")), CauseServiceDown, StatusFail, []string{ServicePrefix + "mail"}},
		{"slow dns is degraded", with(warn(IDDNS, GroupNetwork)), CauseDegraded, StatusWarn, []string{IDDNS}},
		{"long uptime", with(warn(IDUptime, GroupSystem)), CauseLocalResources, StatusWarn, []string{IDUptime}},
		{"network warning beats a system warning", with(warn(IDUptime, GroupSystem), warn(IDGateway, GroupNetwork)), CauseDegraded, StatusWarn, []string{IDGateway}},
		{"clock a little off", with(warn(IDClock, GroupSystem)), CauseClockSkew, StatusWarn, []string{IDClock}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Decide(tc.results)
			if v.Cause != tc.cause || v.Status != tc.status {
				t.Fatalf("verdict %s/%s, want %s/%s", v.Cause, v.Status, tc.cause, tc.status)
			}
			if !slices.Equal(v.Evidence, tc.evidence) {
				t.Errorf("evidence %v, want %v", v.Evidence, tc.evidence)
			}
			if v.Message.Key != "verdict."+string(tc.cause) {
				t.Errorf("message key %q", v.Message.Key)
			}
			if len(v.AdviceKeys) == 0 {
				t.Errorf("no advice for %s", tc.cause)
			}
		})
	}
}

func TestEveryCauseHasAdvice(t *testing.T) {
	for _, c := range Causes {
		if len(Advice(c)) == 0 {
			t.Errorf("cause %s has no advice", c)
		}
	}
}
