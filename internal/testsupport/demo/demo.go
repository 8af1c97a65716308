// Package demo holds canned diagnoses, an organisation profile and its problems: the fixed
// states the window tests and `make screenshots` render, so that both show the same thing and
// neither probes a real network.
package demo

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// StartedAt is when every canned diagnosis ran.
var StartedAt = time.Date(2026, 11, 25, 8, 2, 0, 0, time.UTC)

// profileTOML is a plausible agency's profile. Its addresses are under example.org: nothing
// here is ever contacted.
const profileTOML = `schema = 1

[organisation]
name = "Example Agency"

[support]
portal_name      = "Service portal"
portal_url       = "https://support.example.org/"
new_request_url  = "https://support.example.org/new?title={summary}&text={description}"
instructions_url = "https://support.example.org/instructions"
password_url     = "https://password.example.org/"
phone            = "0295 000 000"
phone_hours      = "8–16"
feedback_days    = 5

[[links]]
name = "TOP"
url  = "https://top.example.org/"

[vpn]
required       = true
internal_hosts = ["intra.example.org:443"]

[[services]]
name             = "tokka"
title            = "Tokka"
url              = "https://tokka.example.org/"
logout_url       = "https://tokka.example.org/logout"
instructions_url = "https://support.example.org/instructions/tokka"

[[services]]
name    = "intranet"
title   = { fi = "Intranet", sv = "Intranätet", en = "Intranet" }
url     = "https://intra.example.org/"
via_vpn = true

[[checks]]
id          = "news"
title       = { fi = "Intran uutiset", sv = "Intranätets nyheter", en = "Intranet news" }
kind        = "http"
url         = "https://intra.example.org/news"
expect_body = "Uutiset"
severity    = "fail"
advice      = { fi = "Tyhjennä intran välimuisti ja avaa uutiset uudelleen. Jos ne eivät vieläkään näy, kysy tiimisi vetäjältä.", sv = "Töm intranätets cache och öppna nyheterna igen. Syns de ändå inte, fråga din teamledare.", en = "Clear the intranet's cache and open the news again. If they still do not show, ask your team lead." }
fix         = ["/opt/example/bin/intranet-cache", "--clear"]
`

// ProfilePath is where the canned profile pretends to come from.
const ProfilePath = "/etc/apuri/profile.toml"

// Profile is the canned organisation profile.
func Profile() *profile.Profile {
	p, err := profile.Parse(ProfilePath, []byte(profileTOML))
	if err != nil {
		panic("demo profile: " + err.Error())
	}
	return p
}

// brokenTOML is a user's own profile with mistakes, so that the settings window has problems
// to list: a typo in a key and an address that is not a web address.
const brokenTOML = `schema = 1

[support]
phone_hour = "8–16"
portal_url = "support.example.org"
`

// BrokenProfilePath is where the broken profile pretends to be.
const BrokenProfilePath = "/home/matti/.config/apuri/profile.toml"

// Problems are the problems of the broken profile, as profile.Parse reports them.
func Problems() []profile.Problem {
	_, err := profile.Parse(BrokenProfilePath, []byte(brokenTOML))
	var errs profile.Errors
	if !errors.As(err, &errs) {
		panic("demo: the broken profile parsed")
	}
	return errs
}

// Loaded is the canned profile as the agent holds it: installed by IT, with the problems of
// the user's broken profile that was passed over when problems is true.
func Loaded(problems bool) profile.Loaded {
	l := profile.Loaded{
		Profile: Profile(),
		Source:  profile.Source{Kind: profile.SourceSystem, Path: ProfilePath},
	}
	if problems {
		l.Problems = Problems()
	}
	return l
}

func result(id string, status diagnostics.Status, ms int64, m i18n.Message) diagnostics.Result {
	group := diagnostics.GroupSystem
	switch {
	case len(id) > 8 && id[:8] == "network.":
		group = diagnostics.GroupNetwork
	case len(id) > 4 && id[:4] == "vpn.":
		group = diagnostics.GroupVPN
	case len(id) > len(diagnostics.ServicePrefix) && id[:len(diagnostics.ServicePrefix)] == diagnostics.ServicePrefix:
		group = diagnostics.GroupService
	case strings.HasPrefix(id, diagnostics.CustomPrefix):
		group = diagnostics.GroupCustom
	case strings.HasPrefix(id, "account."):
		group = diagnostics.GroupAccount
	}
	return diagnostics.Result{
		ID: id, Title: titleOf(id), Group: group, Status: status, Message: m, Details: map[string]any{},
		Duration: time.Duration(ms) * time.Millisecond, DurationMS: ms,
	}
}

// titleOf is the title the runner stamps on a service's or a custom check's result, as the
// profile gives it.
func titleOf(id string) map[string]string {
	if name, ok := strings.CutPrefix(id, diagnostics.CustomPrefix); ok {
		c, _ := Profile().CheckByID(name)
		return c.Titles()
	}
	name, ok := strings.CutPrefix(id, diagnostics.ServicePrefix)
	if !ok {
		return nil
	}
	s, _ := Profile().ServiceByName(name)
	return s.Titles()
}

// healthyResults is a working office connection through the VPN, one result per check.
func healthyResults() []diagnostics.Result {
	return []diagnostics.Result{
		result(diagnostics.IDInterfaces, diagnostics.StatusOK, 2, i18n.Msg("check.interfaces.ok", "links", "eth0")).
			Detail(diagnostics.DetailLinks, []any{map[string]any{"name": "eth0", "addresses": []any{"192.0.2.10/24"}}}),
		result(diagnostics.IDGateway, diagnostics.StatusOK, 4, i18n.Msg("check.gateway.ok", "gateway", "192.0.2.1", "latency_ms", 1)).
			Detail(diagnostics.DetailMethod, diagnostics.MethodICMP).Detail(diagnostics.DetailLatencyMS, 1),
		result(diagnostics.IDDNS, diagnostics.StatusOK, 18, i18n.Msg("check.dns.ok", "names", 2, "latency_ms", 12)).
			Detail(diagnostics.DetailNames, []any{"detectportal.firefox.com", "suomi.fi"}).Detail(diagnostics.DetailLatencyMS, 12),
		result(diagnostics.IDInternet, diagnostics.StatusOK, 61, i18n.Msg("check.internet.ok", "latency_ms", 58)).
			Detail(diagnostics.DetailURL, "http://detectportal.firefox.com/success.txt").Detail(diagnostics.DetailStatus, 200).Detail(diagnostics.DetailLatencyMS, 58),
		result(diagnostics.IDVPNTunnel, diagnostics.StatusOK, 1, i18n.Msg("check.vpn_tunnel.ok", "interfaces", "tun0")).
			Detail(diagnostics.DetailInterfaces, []any{"tun0"}),
		result(diagnostics.IDVPNInternal, diagnostics.StatusOK, 23, i18n.Msg("check.vpn_internal.ok", "count", 1, "latency_ms", 21)).
			Detail(diagnostics.DetailHosts, []any{"intra.example.org:443"}),
		result("service.tokka", diagnostics.StatusOK, 142, i18n.Msg("check.service.ok", "service", titleOf("service.tokka"), "status", 200, "latency_ms", 140)).
			Detail(diagnostics.DetailURL, "https://tokka.example.org/").Detail(diagnostics.DetailStatus, 200).Detail(diagnostics.DetailLatencyMS, 140),
		result("service.intranet", diagnostics.StatusOK, 88, i18n.Msg("check.service.ok", "service", titleOf("service.intranet"), "status", 200, "latency_ms", 86)).
			Detail(diagnostics.DetailURL, "https://intra.example.org/").Detail(diagnostics.DetailStatus, 200).Detail(diagnostics.DetailLatencyMS, 86).Detail(diagnostics.DetailViaVPN, true),
		result(diagnostics.IDCPU, diagnostics.StatusOK, 1002, i18n.Msg("check.cpu.ok", "percent", 7)).
			Detail(diagnostics.DetailBusyPercent, 7.2).Detail(diagnostics.DetailCores, 8),
		result(diagnostics.IDMemory, diagnostics.StatusOK, 1, i18n.Msg("check.memory.ok", "percent", 41)).
			Detail(diagnostics.DetailUsedPercent, 41.3),
		result(diagnostics.IDDisk, diagnostics.StatusOK, 1, i18n.Msg("check.disk.ok", "percent", 62)).
			Detail(diagnostics.DetailPath, "/").Detail(diagnostics.DetailFreePercent, 62.4),
		result(diagnostics.IDReboot, diagnostics.StatusOK, 1, i18n.Msg("check.reboot.none")),
		result(diagnostics.IDUpdates, diagnostics.StatusOK, 2, i18n.Msg("check.updates.none")).
			Detail(diagnostics.DetailUpdatesCount, 0),
		result(diagnostics.IDUptime, diagnostics.StatusOK, 1, i18n.Msg("check.uptime.ok", "days", 2)).
			Detail(diagnostics.DetailUptimeS, 190000).Detail(diagnostics.DetailDays, 2),
		result(diagnostics.IDClock, diagnostics.StatusOK, 35, i18n.Msg("check.clock.ok")).
			Detail(diagnostics.DetailSkewS, 0.4).Detail(diagnostics.DetailReference, "detectportal.firefox.com"),
		result(diagnostics.IDAccountPassword, diagnostics.StatusOK, 3, i18n.Msg("check.password.ok", "days", 41)).
			Detail(diagnostics.DetailPasswordSource, diagnostics.PasswordSourceWindowsDomain).Detail(diagnostics.DetailDaysLeft, 41).
			Detail(diagnostics.DetailPasswordExpires, StartedAt.Add(41*24*time.Hour).UTC().Format(time.RFC3339)),
		result(diagnostics.IDAccountCertificates, diagnostics.StatusOK, 4, i18n.Msg("check.certificates.ok", "count", 1)).
			Detail(diagnostics.DetailCertificates, []any{map[string]any{"connection": "Agency VPN", "use": diagnostics.CertUseVPN,
				"issuer": "Example Agency CA", "not_after": StartedAt.Add(200 * 24 * time.Hour).UTC().Format(time.RFC3339), "days_left": 200}}),
	}
}

// replace swaps in results by ID.
func replace(rs []diagnostics.Result, with ...diagnostics.Result) []diagnostics.Result {
	for _, w := range with {
		for i := range rs {
			if rs[i].ID == w.ID {
				rs[i] = w
			}
		}
	}
	return rs
}

func report(rs []diagnostics.Result) *diagnostics.Report {
	var total int64
	for _, r := range rs {
		total = max(total, r.DurationMS)
	}
	return &diagnostics.Report{
		Schema:     diagnostics.ReportSchema,
		StartedAt:  StartedAt,
		DurationMS: total + 12,
		Host:       diagnostics.Host{OS: "linux", Platform: "debian 12", UptimeS: 190000},
		Checks:     rs,
		Verdict:    diagnostics.Decide(rs),
	}
}

// Healthy is a diagnosis that found nothing wrong.
func Healthy() *diagnostics.Report { return report(healthyResults()) }

// LongUptime is a healthy network on a computer that has not been restarted for 23 days.
func LongUptime() *diagnostics.Report {
	rs := replace(healthyResults(),
		result(diagnostics.IDUptime, diagnostics.StatusWarn, 1, i18n.Msg("check.uptime.long", "days", 23)).
			Because(diagnostics.ReasonLongUptime).Detail(diagnostics.DetailUptimeS, 23*86400+5000).Detail(diagnostics.DetailDays, 23))
	r := report(rs)
	r.Host.UptimeS = 23*86400 + 5000
	return r
}

// PendingRestart is a healthy network on a computer whose updates have waited for a restart
// since the day before the diagnosis.
func PendingRestart() *diagnostics.Report {
	since := StartedAt.Add(-26 * time.Hour)
	day := i18n.Each(func(l string) string { return i18n.FormatDate(l, since) })
	rs := replace(healthyResults(),
		result(diagnostics.IDReboot, diagnostics.StatusWarn, 3, i18n.Msg("check.reboot.pending_since", "since", day)).
			Because(diagnostics.ReasonRebootPending).
			Detail(diagnostics.DetailRebootSources, []string{diagnostics.RebootSourceWindowsUpdate}).
			Detail(diagnostics.DetailRebootSince, since.UTC().Format(time.RFC3339)))
	return report(rs)
}

// UpdatesWaiting is a healthy network on a computer whose oldest waiting update was published
// 30 days before the diagnosis.
func UpdatesWaiting() *diagnostics.Report {
	since := StartedAt.Add(-30 * 24 * time.Hour)
	return report(replace(healthyResults(),
		result(diagnostics.IDUpdates, diagnostics.StatusWarn, 2, i18n.Msg("check.updates.waiting_days", "count", 4, "days", 30)).
			Because(diagnostics.ReasonUpdatesWaiting).Detail(diagnostics.DetailUpdatesCount, 4).Detail(diagnostics.DetailUpdatesSecurity, 1).
			Detail(diagnostics.DetailDays, 30).Detail(diagnostics.DetailUpdatesSince, since.UTC().Format(time.RFC3339)).
			Detail(diagnostics.DetailUpdatesBasis, diagnostics.UpdatesBasisPublished)))
}

// DiskFull is a healthy network on a computer whose home volume is all but full.
func DiskFull() *diagnostics.Report {
	return report(replace(healthyResults(),
		result(diagnostics.IDDisk, diagnostics.StatusFail, 2, i18n.Msg("check.disk.full", "percent", 1)).
			Because(diagnostics.ReasonDiskFull).Detail(diagnostics.DetailPath, "/home/maija").
			Detail(diagnostics.DetailFreeBytes, int64(3<<30)).Detail(diagnostics.DetailTotalBytes, int64(250<<30)).
			Detail(diagnostics.DetailFreePercent, 1.2)))
}

// PasswordExpiring is a healthy network and computer whose user's password expires in three days.
func PasswordExpiring() *diagnostics.Report {
	expires := StartedAt.Add(3*24*time.Hour - 2*time.Hour)
	return report(replace(healthyResults(),
		result(diagnostics.IDAccountPassword, diagnostics.StatusWarn, 3, i18n.Msg("check.password.expiring", "days", 3)).
			Because(diagnostics.ReasonPasswordExpiring).
			Detail(diagnostics.DetailPasswordSource, diagnostics.PasswordSourceWindowsDomain).Detail(diagnostics.DetailDaysLeft, 3).
			Detail(diagnostics.DetailPasswordExpires, expires.UTC().Format(time.RFC3339))))
}

// VPNCertificateExpired is VPNDown on a computer whose VPN connection's certificate expired
// two days before the diagnosis: the verdict says that is why.
func VPNCertificateExpired() *diagnostics.Report {
	r := VPNDown()
	expired := StartedAt.Add(-2 * 24 * time.Hour)
	certs := result(diagnostics.IDAccountCertificates, diagnostics.StatusFail, 4, i18n.Msg("check.certificates.expired", "connection", "Agency VPN")).
		Because(diagnostics.ReasonCertExpired).
		Detail(diagnostics.DetailCertificates, []any{map[string]any{"connection": "Agency VPN", "use": diagnostics.CertUseVPN,
			"issuer": "Example Agency CA", "not_after": expired.UTC().Format(time.RFC3339), "days_left": 0}})
	return report(replace(r.Checks, certs))
}

// ServiceDown is a working network where the service tokka answers with a server error.
func ServiceDown() *diagnostics.Report {
	failed := result("service.tokka", diagnostics.StatusFail, 212, i18n.Msg("check.service.http_status", "service", titleOf("service.tokka"), "status", 503)).
		Because(diagnostics.ReasonHTTPStatus).Detail(diagnostics.DetailURL, "https://tokka.example.org/").Detail(diagnostics.DetailStatus, 503).Detail(diagnostics.DetailLatencyMS, 210)
	failed.Log = []string{
		"GET https://tokka.example.org/",
		"connected to 203.0.113.20:443 in 31 ms (TLS 1.3)",
		"HTTP 503 Service Unavailable after 210 ms",
	}
	return report(replace(healthyResults(), failed))
}

// VPNDown is a working internet connection with the required VPN not connected, so the
// internal hosts and the service behind the VPN cannot be reached.
func VPNDown() *diagnostics.Report {
	tunnel := result(diagnostics.IDVPNTunnel, diagnostics.StatusFail, 1, i18n.Msg("check.vpn_tunnel.down")).
		Detail(diagnostics.DetailPatterns, []any{"tun*", "wg*"}).Detail(diagnostics.DetailRequired, true)
	tunnel.Log = []string{"no interface matches tun*, wg*, ppp*, utun*, tap*, vpn*, gpd*, cscotun*, ipsec*"}
	internal := result(diagnostics.IDVPNInternal, diagnostics.StatusSkip, 0, i18n.Msg("check.vpn_internal.no_tunnel"))
	intranet := result("service.intranet", diagnostics.StatusFail, 2004, i18n.Msg("check.service.timeout", "service", titleOf("service.intranet"))).
		Because(diagnostics.ReasonTimeout).Detail(diagnostics.DetailURL, "https://intra.example.org/").Detail(diagnostics.DetailViaVPN, true).
		Detail(diagnostics.DetailError, "context deadline exceeded")
	return report(replace(healthyResults(), tunnel, internal, intranet))
}

// CustomCheckFailed is a working network where the organisation's own check of the intranet's
// news page fails: the page answers, without the news.
func CustomCheckFailed() *diagnostics.Report {
	news := result("custom.news", diagnostics.StatusFail, 97, i18n.Msg("check.custom.http_body", "title", titleOf("custom.news"))).
		Because(diagnostics.ReasonMismatch).Detail(diagnostics.DetailKind, profile.CheckHTTP).
		Detail(diagnostics.DetailSeverity, profile.SeverityFail).Detail(diagnostics.DetailTarget, "https://intra.example.org/news").
		Detail(diagnostics.DetailStatus, 200).Detail(diagnostics.DetailLatencyMS, 95)
	if c, ok := Profile().CheckByID("news"); ok {
		news = news.Detail(diagnostics.DetailAdvice, c.Advices())
	}
	news.Log = []string{"GET https://intra.example.org/news", "HTTP 200 in 95 ms, 18234 bytes read"}
	rs := healthyResults()
	i := slices.IndexFunc(rs, func(r diagnostics.Result) bool { return r.Group == diagnostics.GroupSystem })
	return report(slices.Insert(rs, i, news))
}

// Progress is a diagnosis half-way: every check has started, the quick ones have finished.
func Progress() []diagnostics.Event {
	var evs []diagnostics.Event
	for _, r := range healthyResults() {
		ev := diagnostics.Event{Kind: diagnostics.EventStarted, ID: r.ID, Title: r.Title, Group: r.Group}
		if r.DurationMS < 30 {
			res := r
			ev.Kind, ev.Result = diagnostics.EventFinished, &res
		}
		evs = append(evs, ev)
	}
	return evs
}

// FeedJSON is a status page's Statuspage v2 answer: Tokka's disruption, which explains
// ServiceDown, and a printing problem that concerns others.
const FeedJSON = `{"page": {"url": "https://status.example.org"},
"incidents": [
 {"id": "tokka1", "name": "Tokka answers slowly or with errors", "status": "identified", "impact": "major",
  "shortlink": "https://status.example.org/incidents/tokka1",
  "created_at": "2026-11-25T07:31:00Z", "updated_at": "2026-11-25T07:48:00Z",
  "incident_updates": [{"body": "The supplier is fixing a database fault. Next update by 10.00.", "created_at": "2026-11-25T07:48:00Z"}],
  "components": [{"name": "Tokka"}]},
 {"id": "print1", "name": "Printing fails on the 3rd floor", "status": "investigating", "impact": "minor",
  "shortlink": "https://status.example.org/incidents/print1",
  "created_at": "2026-11-25T06:55:00Z", "updated_at": "2026-11-25T06:55:00Z",
  "incident_updates": [{"body": "We are investigating.", "created_at": "2026-11-25T06:55:00Z"}], "components": []}
]}`

// Disruptions is the reading of FeedJSON the agent would hold.
func Disruptions() *disruptions.State {
	list, err := disruptions.Parse([]byte(FeedJSON), nil, StartedAt, 24*time.Hour)
	if err != nil {
		panic("demo feed: " + err.Error())
	}
	return &disruptions.State{URL: "https://status.example.org/api/v2/summary.json", Disruptions: list, CheckedAt: StartedAt}
}

// ServiceDownKnown is ServiceDown explained by the feed's Tokka disruption.
func ServiceDownKnown() *diagnostics.Report {
	r := ServiceDown()
	r.NoteDisruptions(Disruptions().Disruptions, Profile())
	return r
}
