package diagnostics

import (
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
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
		res(IDReboot, GroupSystem, StatusOK, ""),
		res(IDUpdates, GroupSystem, StatusOK, ""),
		res(IDUptime, GroupSystem, StatusOK, ""),
		res(IDClock, GroupSystem, StatusOK, ""),
		res(IDAccountPassword, GroupAccount, StatusOK, ""),
		res(IDAccountCertificates, GroupAccount, StatusOK, ""),
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
			// A resource's verdict names it: verdict.local_resources.uptime.
			if k := v.Message.Key; k != "verdict."+string(tc.cause) && !strings.HasPrefix(k, "verdict."+string(tc.cause)+".") {
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

// TestShortOfResourcesSaysWhich: the verdict for a computer short of resources names the one,
// with its figure, and its advice is for that one, naming the disk where it is the disk.
func TestShortOfResourcesSaysWhich(t *testing.T) {
	disk := res(IDDisk, GroupSystem, StatusFail, "disk_full").Detail("path", "/home/maija").Detail("free_percent", 1.6)
	disk.Message = i18n.Msg("check.disk.full", "percent", 1)
	memory := res(IDMemory, GroupSystem, StatusWarn, "memory_high")
	memory.Message = i18n.Msg("check.memory.high", "percent", 94)
	cpu := res(IDCPU, GroupSystem, StatusWarn, "cpu_busy")
	cpu.Message = i18n.Msg("check.cpu.busy", "percent", 97)
	uptime := res(IDUptime, GroupSystem, StatusWarn, "long_uptime")
	uptime.Message = i18n.Msg("check.uptime.long", "days", 23)
	reboot := res(IDReboot, GroupSystem, StatusWarn, ReasonRebootPending)
	reboot.Message = i18n.Msg("check.reboot.pending")
	rebootSince := res(IDReboot, GroupSystem, StatusWarn, ReasonRebootPending)
	rebootSince.Message = i18n.Msg("check.reboot.pending_since", "since", i18n.Localized{"en": "2 Dec 2026", "fi": "2.12.2026", "sv": "2.12.2026"})
	updates := res(IDUpdates, GroupSystem, StatusWarn, ReasonUpdatesWaiting)
	updates.Message = i18n.Msg("check.updates.waiting_days", "count", 4, "days", 30)
	for _, tt := range []struct {
		name   string
		result Result
		key    string
		says   string // in the English verdict
		advice string // the first advice, in English
	}{
		{"disk", disk, "verdict.local_resources.disk", "disk (/home/maija) is 99% full", "Free up space on the disk (/home/maija)"},
		{"memory", memory, "verdict.local_resources.memory", "memory is almost full (94% in use)", "Close programs"},
		{"processor", cpu, "verdict.local_resources.cpu", "processor is very busy (97%)", "Close programs"},
		{"uptime", uptime, "verdict.local_resources.uptime", "on for 23\u00a0days without a restart", "Restart the computer"},
		{"pending restart", reboot, "verdict.local_resources.reboot", "updates are waiting for the computer to restart", "Restart the computer"},
		{"pending restart with its date", rebootSince, "verdict.local_resources.reboot_since", "waiting since 2 Dec 2026 for the computer to restart", "Restart the computer"},
		{"updates waiting", updates, "verdict.local_resources.updates", "updates have been waiting a long time to be installed", "Install the updates"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Checks: with(tt.result)}
			r.Verdict = Decide(r.Checks)
			if r.Verdict.Cause != CauseLocalResources || r.Verdict.Message.Key != tt.key {
				t.Fatalf("verdict %s %s, want %s", r.Verdict.Cause, r.Verdict.Message.Key, tt.key)
			}
			r.Localize(i18n.New("en"))
			if !strings.Contains(r.Verdict.Summary, tt.says) {
				t.Errorf("verdict %q does not say %q", r.Verdict.Summary, tt.says)
			}
			if len(r.Verdict.Advice) == 0 || !strings.HasPrefix(r.Verdict.Advice[0], tt.advice) {
				t.Errorf("advice %q, want it to begin %q", r.Verdict.Advice, tt.advice)
			}
			// A known disruption rewrites the advice; the resource's advice must survive it.
			r.NoteDisruptions(nil, nil)
			if r.Verdict.AdviceKeys[0] != resourceAdvice[tt.key][0] {
				t.Errorf("after NoteDisruptions the advice is %v", r.Verdict.AdviceKeys)
			}
		})
	}
}

// TestTextRowsShowOneFigure: a row of the text report gives the latency its sentence measured,
// never also the different time the check took.
func TestTextRowsShowOneFigure(t *testing.T) {
	internet := res(IDInternet, GroupNetwork, StatusOK, "")
	internet.Message = i18n.Msg("check.internet.ok", "latency_ms", 45)
	internet.DurationMS = 52
	r := &Report{Checks: with(internet)}
	r.Verdict = Decide(r.Checks)
	tr := i18n.New("en")
	r.Localize(tr)
	for _, line := range strings.Split(r.Text(tr), "\n") {
		if strings.Contains(line, "Internet") && strings.Contains(line, "works") {
			if !strings.Contains(line, "45\u00a0ms") || strings.Contains(line, "52") {
				t.Errorf("the internet row %q must show 45 ms and only that", line)
			}
			return
		}
	}
	t.Fatal("no internet row in the text report")
}
