package selfhelp

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// check builds one result as the runner would hand it to the verdict.
func check(id string, st diagnostics.Status, key string, kv ...any) diagnostics.Result {
	group, _, _ := strings.Cut(id, ".")
	return diagnostics.Result{ID: id, Group: diagnostics.Group(group), Status: st, Message: i18n.Msg(key, kv...)}
}

// healthyChecks is a run where everything answered.
func healthyChecks() []diagnostics.Result {
	return []diagnostics.Result{
		check(diagnostics.IDInterfaces, diagnostics.StatusOK, "check.interfaces.ok"),
		check(diagnostics.IDGateway, diagnostics.StatusOK, "check.gateway.ok"),
		check(diagnostics.IDDNS, diagnostics.StatusOK, "check.dns.ok"),
		check(diagnostics.IDInternet, diagnostics.StatusOK, "check.internet.ok"),
		check(diagnostics.IDVPNTunnel, diagnostics.StatusSkip, "check.vpn_tunnel.absent").Because(diagnostics.ReasonVPNAbsent),
		service("mail", diagnostics.StatusOK, 200, ""),
		service("intra", diagnostics.StatusOK, 200, ""),
		check(diagnostics.IDCPU, diagnostics.StatusOK, "check.cpu.ok", "percent", 12).Detail("busy_percent", 12.3),
		check(diagnostics.IDMemory, diagnostics.StatusOK, "check.memory.ok", "percent", 40).Detail("used_percent", 40.2),
		check(diagnostics.IDDisk, diagnostics.StatusOK, "check.disk.ok", "percent", 55).Detail("free_percent", 55.1),
		check(diagnostics.IDReboot, diagnostics.StatusOK, "check.reboot.none"),
		check(diagnostics.IDUptime, diagnostics.StatusOK, "check.uptime.ok", "days", 1).Detail("days", 1).Detail("uptime_s", uint64(90000)),
		check(diagnostics.IDClock, diagnostics.StatusOK, "check.clock.ok").Detail("skew_s", 0.4),
	}
}

func service(name string, st diagnostics.Status, code int, reason string) diagnostics.Result {
	r := check(diagnostics.ServicePrefix+name, st, "check.service.x", "service", name).Because(reason).
		Detail(diagnostics.DetailViaVPN, name == "intra")
	if code != 0 {
		r = r.Detail("status", code)
	}
	return r
}

// knownDisruption notes a bulletin about the mail service in r.
func knownDisruption(r *diagnostics.Report) *diagnostics.Report {
	r.NoteDisruptions([]diagnostics.Disruption{{Title: "Sähköpostissa on häiriö", Components: []string{"mail"},
		URL: "https://status.example.org/1"}}, nil)
	return r
}

// report replaces the healthy results with the given ones and decides the verdict as a real
// run would.
func report(changed ...diagnostics.Result) *diagnostics.Report {
	results := healthyChecks()
	for _, c := range changed {
		i := slices.IndexFunc(results, func(r diagnostics.Result) bool { return r.ID == c.ID })
		if i < 0 {
			results = append(results, c)
		} else {
			results[i] = c
		}
	}
	return &diagnostics.Report{Schema: diagnostics.ReportSchema, Checks: results, Verdict: diagnostics.Decide(results)}
}

func uptime(days int) diagnostics.Result {
	return check(diagnostics.IDUptime, diagnostics.StatusWarn, "check.uptime.long", "days", days).Because("long_uptime").
		Detail("uptime_s", uint64(days*86400+3600)).Detail("days", days)
}

// pendingRestart is a restart the system has asked for since the date given in every language.
func pendingRestart(since string) diagnostics.Result {
	day := i18n.Localized{"fi": since, "sv": since, "en": since}
	return check(diagnostics.IDReboot, diagnostics.StatusWarn, "check.reboot.pending_since", "since", day).
		Because(diagnostics.ReasonRebootPending).Detail(diagnostics.DetailRebootSources, []string{diagnostics.RebootSourceWindowsUpdate})
}

// updatesWaiting is updates that have waited 30 days to be installed.
func updatesWaiting() diagnostics.Result {
	return check(diagnostics.IDUpdates, diagnostics.StatusWarn, "check.updates.waiting_days", "count", 4, "days", 30).
		Because(diagnostics.ReasonUpdatesWaiting).Detail(diagnostics.DetailUpdatesCount, 4).Detail(diagnostics.DetailDays, 30)
}

func memory(st diagnostics.Status, pct float64) diagnostics.Result {
	return check(diagnostics.IDMemory, st, "check.memory.high", "percent", int(pct+0.5)).Because("memory_high").
		Detail("used_percent", pct)
}

func clock(st diagnostics.Status, skew float64) diagnostics.Result {
	return check(diagnostics.IDClock, st, "check.clock.wrong").Because("clock_skew").Detail("skew_s", skew)
}

func orgProfile() *profile.Profile {
	return &profile.Profile{
		Support: profile.Support{
			PortalName: "TOP", PortalURL: "https://top.example.fi/",
			NewRequestURL:   "https://top.example.fi/new?summary={summary}",
			InstructionsURL: "https://top.example.fi/ohjeet",
			Phone:           "0295 000 000", PhoneHours: "ma–pe 8–16", Email: "tuki@example.fi", FeedbackDays: 5,
		},
		Links: []profile.Link{
			{Name: "TOP", URL: "https://top.example.fi/"},
			{Name: "Joiku", URL: "https://joiku.example.fi/"},
			{Name: "VPN-ohje", URL: "https://top.example.fi/ohjeet/vpn"},
		},
		Network: profile.Network{InternetURL: "http://detect.example.net/canonical.html", InternetExpect: "success"},
		Services: []profile.Service{
			{Name: "mail", Title: mailTitle, URL: "https://mail.example.fi/", LogoutURL: "https://mail.example.fi/logout",
				InstructionsURL: "https://top.example.fi/ohjeet/mail"},
			{Name: "intra", URL: "https://intra.example.fi/", ViaVPN: true},
		},
	}
}

// mailTitle is what the organisation calls its mail service; intra has no title.
var mailTitle = profile.Title{FI: "Sähköposti", SV: "E-post", EN: "Mail"}

// titled is what the steps call the service named name in each language.
func titled(name string) map[string]string {
	if name == "mail" {
		return profile.Service{Name: name, Title: mailTitle}.Titles()
	}
	return profile.Service{Name: name}.Titles()
}

// with changes a copy of the organisation profile.
func with(change func(p *profile.Profile)) *profile.Profile {
	p := orgProfile()
	change(p)
	return p
}

var (
	firefox  = Browser{ID: "firefox.desktop", Name: "Firefox", Default: true, cmd: []string{"firefox", urlArg}}
	chromium = Browser{ID: "chromium.desktop", Name: "Chromium", cmd: []string{"chromium", urlArg}}
	browsers = WithBrowsers([]Browser{firefox, chromium})
)

func keys(steps []Step, recommended bool) []string {
	out := []string{}
	for _, s := range steps {
		if s.Recommended == recommended {
			out = append(out, s.Key())
		}
	}
	return out
}

func find(t *testing.T, steps []Step, key string) Step {
	t.Helper()
	for _, s := range steps {
		if s.Key() == key {
			return s
		}
	}
	t.Fatalf("no step %q in %q", key, append(keys(steps, true), keys(steps, false)...))
	return Step{}
}

// actionView is what a test compares of an action.
type actionView struct {
	Kind                  ActionKind
	Label, URL, LogoutURL string
	Browser               string
	Confirm               string
}

func viewAction(a Action) actionView {
	v := actionView{Kind: a.Kind, Label: a.Label.Key, URL: a.URL, LogoutURL: a.LogoutURL}
	if a.Browser != nil {
		v.Browser = a.Browser.ID
	}
	if a.Confirm != nil {
		v.Confirm = a.Confirm.Key
	}
	return v
}

type ladderCase struct {
	name    string
	report  *diagnostics.Report
	profile *profile.Profile
	opts    []Option
	cause   diagnostics.Cause
	// top lists the recommended steps, in order; the others follow in the guide's order.
	top    []string
	why    i18n.Message // of the first step
	action actionView   // of the first step
	check  func(t *testing.T, steps []Step)
}

var (
	restartAction = actionView{Kind: ActionRestart, Label: "selfhelp.action.restart", Confirm: "selfhelp.confirm.restart"}
	noAction      = actionView{Kind: ActionNone}
	cleanUpAction = actionView{Kind: ActionCleanUp, Label: "selfhelp.action.clean_up", Confirm: "selfhelp.confirm.clean_up"}
	updatesAction = actionView{Kind: ActionOpenUpdates, Label: "selfhelp.action.open_updates"}
	guideOrder    = []string{StepRestart, StepReloginService, StepLogOut, StepOtherBrowser, StepInstructions,
		StepColleagues, StepRequest, StepCall, StepFeedback}
)

func ladderCases() []ladderCase {
	return []ladderCase{
		{
			name: "long uptime: restart first, with the day count", report: report(uptime(23)),
			cause: diagnostics.CauseLocalResources, top: []string{StepRestart},
			why: i18n.Msg("selfhelp.why.uptime", "days", 23), action: restartAction,
		},
		{
			name: "a pending restart leads, with its date", report: report(pendingRestart("1.12.2026")),
			cause: diagnostics.CauseLocalResources, top: []string{StepRestart},
			why: i18n.Msg("selfhelp.why.reboot_since", "since", i18n.Localized{"fi": "1.12.2026", "sv": "1.12.2026", "en": "1.12.2026"}), action: restartAction,
		},
		{
			name: "a pending restart beside a long uptime: the system's own request is the why", report: report(uptime(23), pendingRestart("1.12.2026")),
			cause: diagnostics.CauseLocalResources, top: []string{StepRestart},
			why: i18n.Msg("selfhelp.why.reboot_since", "since", i18n.Localized{"fi": "1.12.2026", "sv": "1.12.2026", "en": "1.12.2026"}), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				if ev := steps[0].Evidence; !slices.Contains(ev, diagnostics.IDReboot) || !slices.Contains(ev, diagnostics.IDUptime) {
					t.Errorf("evidence %v, want both checks", ev)
				}
			},
		},
		{
			name: "updates long waiting: install them from the system's page", report: report(updatesWaiting()),
			opts:  []Option{WithUpdatesPage(true)},
			cause: diagnostics.CauseLocalResources, top: []string{StepInstallUpdates},
			why: i18n.Msg("selfhelp.why.updates"), action: updatesAction,
		},
		{
			name: "updates long waiting without a page to open: words only", report: report(updatesWaiting()),
			opts:  []Option{WithUpdatesPage(false)},
			cause: diagnostics.CauseLocalResources, top: []string{StepInstallUpdates},
			why: i18n.Msg("selfhelp.why.updates"), action: noAction,
		},
		{
			name: "updates long waiting, nothing said about the page: words only", report: report(updatesWaiting()),
			cause: diagnostics.CauseLocalResources, top: []string{StepInstallUpdates},
			why: i18n.Msg("selfhelp.why.updates"), action: noAction,
		},
		{
			name: "updates waiting beside a pending restart: folded into the restart", report: report(updatesWaiting(), pendingRestart("1.12.2026")),
			opts:  []Option{WithUpdatesPage(true)},
			cause: diagnostics.CauseLocalResources, top: []string{StepRestart},
			why: i18n.Msg("selfhelp.why.reboot_since", "since", i18n.Localized{"fi": "1.12.2026", "sv": "1.12.2026", "en": "1.12.2026"}), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				if !slices.Contains(steps[0].Evidence, diagnostics.IDUpdates) {
					t.Errorf("restart evidence %v, want the updates too", steps[0].Evidence)
				}
				if slices.ContainsFunc(steps, func(s Step) bool {
					return s.ID == StepInstallUpdates || s.Action.Kind == ActionOpenUpdates
				}) {
					t.Error("a step or a button of its own for the updates beside the restart")
				}
			},
		},
		{
			name: "memory nearly full: restart, then close programs", report: report(memory(diagnostics.StatusWarn, 96.2)),
			cause: diagnostics.CauseLocalResources, top: []string{StepRestart, StepClosePrograms},
			why: i18n.Msg("selfhelp.why.restart_memory", "percent", 96), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				if w := find(t, steps, StepClosePrograms).Why; !reflect.DeepEqual(w, i18n.Msg("selfhelp.why.close_memory", "percent", 96)) {
					t.Errorf("close programs why = %+v", w)
				}
			},
		},
		{
			name:   "memory full beside a long uptime: memory speaks first, both are evidence",
			report: report(memory(diagnostics.StatusFail, 98.6), uptime(30)),
			cause:  diagnostics.CauseLocalResources, top: []string{StepRestart, StepClosePrograms},
			why: i18n.Msg("selfhelp.why.restart_memory", "percent", 99), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				if ev := steps[0].Evidence; !reflect.DeepEqual(ev, []string{diagnostics.IDMemory, diagnostics.IDUptime}) {
					t.Errorf("evidence = %q", ev)
				}
			},
		},
		{
			name: "busy processor: close programs before restarting",
			report: report(check(diagnostics.IDCPU, diagnostics.StatusWarn, "check.cpu.busy", "percent", 97).
				Because("cpu_busy").Detail("busy_percent", 97.4)),
			cause: diagnostics.CauseLocalResources, top: []string{StepClosePrograms, StepRestart},
			why: i18n.Msg("selfhelp.why.close_cpu", "percent", 97), action: noAction,
		},
		{
			name: "disk nearly full: free up space",
			report: report(check(diagnostics.IDDisk, diagnostics.StatusWarn, "check.disk.low", "percent", 4).
				Because("disk_low").Detail("free_percent", 4.7)),
			cause: diagnostics.CauseLocalResources, top: []string{StepFreeDisk},
			why: i18n.Msg("selfhelp.why.disk", "percent", 4), action: cleanUpAction,
		},
		{
			name: "home volume nearly full: free up space there, by its path",
			report: report(check(diagnostics.IDDisk, diagnostics.StatusWarn, "check.disk.low", "percent", 4).
				Because(diagnostics.ReasonDiskLow).Detail(diagnostics.DetailFreePercent, 4.7).Detail(diagnostics.DetailPath, "/home/maija")),
			cause: diagnostics.CauseLocalResources, top: []string{StepFreeDisk},
			why: i18n.Msg("selfhelp.why.disk_named", "percent", 4, "path", "/home/maija"), action: cleanUpAction,
		},
		{
			// As the report arrives over the local API: the list decoded from JSON. The largest
			// place is named; one too small to matter is not.
			name: "disk nearly full, the trash the largest: named with its size",
			report: report(check(diagnostics.IDDisk, diagnostics.StatusWarn, "check.disk.low", "percent", 4).
				Because(diagnostics.ReasonDiskLow).Detail(diagnostics.DetailFreePercent, 4.7).Detail(diagnostics.DetailPath, "/home/maija").
				Detail(diagnostics.DetailDiskUsage, []any{
					map[string]any{"place": "trash", "path": "/home/maija/.local/share/Trash", "bytes": 3.2e9, "complete": true},
					map[string]any{"place": "downloads", "bytes": 1.1e9, "complete": false},
				})),
			cause: diagnostics.CauseLocalResources, top: []string{StepFreeDisk},
			why: i18n.Msg("selfhelp.why.disk_trash", "percent", 4, "path", "/home/maija",
				"size", i18n.Localized{"fi": "3,2\u00a0Gt", "sv": "3,2\u00a0GB", "en": "3.2\u00a0GB"}),
			action: cleanUpAction,
		},
		{
			name: "disk nearly full, little to clear: not named",
			report: report(check(diagnostics.IDDisk, diagnostics.StatusWarn, "check.disk.low", "percent", 4).
				Because(diagnostics.ReasonDiskLow).Detail(diagnostics.DetailFreePercent, 4.7).Detail(diagnostics.DetailPath, "/home/maija").
				Detail(diagnostics.DetailDiskUsage, []any{map[string]any{"place": "temp", "bytes": 5e6, "complete": true}})),
			cause: diagnostics.CauseLocalResources, top: []string{StepFreeDisk},
			why: i18n.Msg("selfhelp.why.disk_named", "percent", 4, "path", "/home/maija"), action: cleanUpAction,
		},
		{
			name:   "service answers 401: sign out of it and back in, through its logout_url",
			report: report(service("mail", diagnostics.StatusOK, 401, "")), opts: []Option{browsers},
			cause: diagnostics.CauseHealthy,
			top:   []string{"relogin_service:mail", "other_browser:mail", StepLogOut},
			why:   i18n.Msg("selfhelp.why.session_stuck", "service", titled("mail"), "status", 401),
			action: actionView{Kind: ActionReloginService, Label: "selfhelp.action.relogin",
				URL: "https://mail.example.fi/", LogoutURL: "https://mail.example.fi/logout"},
			check: func(t *testing.T, steps []Step) {
				b := find(t, steps, "other_browser:mail")
				want := actionView{Kind: ActionOtherBrowser, Label: "selfhelp.action.open_in", URL: "https://mail.example.fi/", Browser: "chromium.desktop"}
				if got := viewAction(b.Action); got != want {
					t.Errorf("other browser action = %+v, want %+v", got, want)
				}
				if b.Action.Label.Args["browser"] != "Chromium" {
					t.Errorf("label args = %v", b.Action.Label.Args)
				}
				in := find(t, steps, "instructions:mail")
				if in.Action.URL != "https://top.example.fi/ohjeet/mail" || len(in.More) != 2 {
					t.Errorf("instructions = %+v more %+v", in.Action, in.More)
				}
			},
		},
		{
			name:   "service answers 403 but has no logout_url: plain advice",
			report: report(service("intra", diagnostics.StatusOK, 403, "")),
			cause:  diagnostics.CauseHealthy,
			top:    []string{"relogin_service:intra", "other_browser:intra", StepLogOut},
			why:    i18n.Msg("selfhelp.why.session_stuck", "service", titled("intra"), "status", 403), action: noAction,
			check: func(t *testing.T, steps []Step) {
				if n := steps[0].Note; n == nil || n.Key != "selfhelp.note.no_logout_url" {
					t.Errorf("note = %+v", n)
				}
				// The browsers were not given: no button, and no claim that none exists.
				if b := find(t, steps, "other_browser:intra"); b.Action.Kind != ActionNone || b.Note != nil {
					t.Errorf("other browser = %+v note %+v", b.Action, b.Note)
				}
			},
		},
		{
			name: "captive portal: open its login page",
			report: report(check(diagnostics.IDInternet, diagnostics.StatusFail, "check.internet.captive").
				Because(diagnostics.ReasonCaptivePortal).Detail(diagnostics.DetailPortalURL, "http://login.hotel.example/guest?continue=%2F")),
			cause: diagnostics.CauseCaptivePortal, top: []string{StepOpenLoginPage},
			why: i18n.Msg("selfhelp.why.captive"),
			action: actionView{Kind: ActionOpenLoginPage, Label: "selfhelp.action.open_login_page",
				URL: "http://login.hotel.example/guest?continue=%2F"},
		},
		{
			name: "captive portal without its address: the plain-http probe brings it up",
			report: report(check(diagnostics.IDInternet, diagnostics.StatusFail, "check.internet.captive").
				Because(diagnostics.ReasonCaptivePortal).Detail(diagnostics.DetailPortalURL, "file:///etc/passwd")),
			cause: diagnostics.CauseCaptivePortal, top: []string{StepOpenLoginPage}, why: i18n.Msg("selfhelp.why.captive"),
			action: actionView{Kind: ActionOpenLoginPage, Label: "selfhelp.action.open_login_page",
				URL: "http://detect.example.net/canonical.html"},
		},
		{
			name: "captive portal with only an https probe: advice without a button",
			report: report(check(diagnostics.IDInternet, diagnostics.StatusFail, "check.internet.captive").
				Because(diagnostics.ReasonCaptivePortal)),
			profile: with(func(p *profile.Profile) { p.Network.InternetURL = "https://detect.example.net/" }),
			cause:   diagnostics.CauseCaptivePortal, top: []string{StepOpenLoginPage}, why: i18n.Msg("selfhelp.why.captive"),
			action: noAction,
			check: func(t *testing.T, steps []Step) {
				if n := steps[0].Note; n == nil || n.Key != "selfhelp.note.no_login_page" {
					t.Errorf("note = %+v", n)
				}
			},
		},
		{
			name:   "VPN tunnel down: reconnect it (instructions), a restart also helps",
			report: report(check(diagnostics.IDVPNTunnel, diagnostics.StatusFail, "check.vpn_tunnel.down").Because("down")),
			cause:  diagnostics.CauseVPNDown, top: []string{StepReconnectVPN, StepRestart},
			why: i18n.Msg("selfhelp.why.vpn_down"),
			action: actionView{Kind: ActionReconnectVPN, Label: "selfhelp.action.vpn_instructions",
				URL: "https://top.example.fi/ohjeet/vpn"},
			check: func(t *testing.T, steps []Step) {
				if w := steps[1].Why; w.Key != "selfhelp.why.restart_vpn" {
					t.Errorf("restart why = %v", w.Key)
				}
			},
		},
		{
			name:    "VPN down, seen through a service behind it; no VPN link: the general instructions",
			report:  report(service("intra", diagnostics.StatusFail, 0, "unreachable")),
			profile: with(func(p *profile.Profile) { p.Links = nil }),
			cause:   diagnostics.CauseVPNDown, top: []string{StepReconnectVPN, StepRestart},
			why: i18n.Msg("selfhelp.why.vpn_down"),
			action: actionView{Kind: ActionReconnectVPN, Label: "selfhelp.action.vpn_instructions",
				URL: "https://top.example.fi/ohjeet"},
		},
		{
			name:   "VPN up but broken: reconnect, and others are probably affected",
			report: report(check(diagnostics.IDVPNInternal, diagnostics.StatusFail, "check.vpn_internal.fail")),
			cause:  diagnostics.CauseVPNBroken,
			top:    []string{StepReconnectVPN, StepColleagues, StepRequest, StepCall},
			why:    i18n.Msg("selfhelp.why.vpn_broken"),
			action: actionView{Kind: ActionReconnectVPN, Label: "selfhelp.action.vpn_instructions",
				URL: "https://top.example.fi/ohjeet/vpn"},
		},
		{
			name:   "service answers 503: it is not you; the request and the phone follow",
			report: report(service("mail", diagnostics.StatusFail, 503, "http_status")),
			cause:  diagnostics.CauseServiceDown, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_server_error", "service", titled("mail"), "status", 503), action: noAction,
			check: func(t *testing.T, steps []Step) {
				call := find(t, steps, StepCall)
				want := actionView{Kind: ActionCall, Label: "selfhelp.action.call", URL: "tel:0295000000"}
				if got := viewAction(call.Action); got != want {
					t.Errorf("call action = %+v, want %+v", got, want)
				}
				if !reflect.DeepEqual(call.Why, i18n.Msg("selfhelp.why.call_hours", "phone", "0295 000 000", "hours", "ma–pe 8–16")) {
					t.Errorf("call why = %+v", call.Why)
				}
				req := find(t, steps, StepRequest)
				if got := viewAction(req.Action); got != (actionView{Kind: ActionRequest, Label: "selfhelp.action.request", URL: "https://top.example.fi/"}) {
					t.Errorf("request action = %+v", got)
				}
			},
		},
		{
			name:   "service does not answer",
			report: report(service("mail", diagnostics.StatusFail, 0, "unreachable")),
			cause:  diagnostics.CauseServiceDown, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_no_answer", "service", titled("mail")), action: noAction,
		},
		{
			name:   "certificate refused and the clock is an hour off: fix the clock first",
			report: report(service("mail", diagnostics.StatusFail, 0, "tls"), clock(diagnostics.StatusFail, 3600)),
			cause:  diagnostics.CauseServiceDown,
			top:    []string{StepSyncClock, StepColleagues, StepRequest, StepCall},
			why:    i18n.Msg("selfhelp.why.clock_minutes", "minutes", 60), action: noAction,
		},
		{
			name: "internet unreachable: ask colleagues about the office connection",
			report: report(check(diagnostics.IDInternet, diagnostics.StatusFail, "check.internet.unreachable").
				Because("unreachable")),
			cause: diagnostics.CauseInternetUnreach, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_internet"), action: noAction,
		},
		{
			name: "the proxy is down: ask colleagues, then support, who run the proxy",
			report: report(check(diagnostics.IDInternet, diagnostics.StatusFail, "check.internet.proxy_down").
				Because(diagnostics.ReasonProxyDown)),
			cause: diagnostics.CauseProxyFailure, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_network"), action: noAction,
		},
		{
			name: "no link: connect to a network",
			report: report(check(diagnostics.IDInterfaces, diagnostics.StatusFail, "check.interfaces.no_link").
				Because(diagnostics.ReasonNoLink)),
			cause: diagnostics.CauseNoLink, top: []string{StepConnectNetwork, StepRestart},
			why: i18n.Msg("selfhelp.why.no_link"), action: noAction,
		},
		{
			name: "no address: reconnect",
			report: report(check(diagnostics.IDInterfaces, diagnostics.StatusFail, "check.interfaces.no_address").
				Because(diagnostics.ReasonNoAddress)),
			cause: diagnostics.CauseNoAddress, top: []string{StepReconnectNetwork, StepRestart},
			why: i18n.Msg("selfhelp.why.no_address"), action: noAction,
		},
		{
			name: "no route: reconnect",
			report: report(check(diagnostics.IDGateway, diagnostics.StatusFail, "check.gateway.no_route").
				Because(diagnostics.ReasonNoRoute)),
			cause: diagnostics.CauseNoRoute, top: []string{StepReconnectNetwork, StepRestart},
			why: i18n.Msg("selfhelp.why.no_route"), action: noAction,
		},
		{
			name:   "gateway silent: reconnect, restart, ask the colleagues on the same network",
			report: report(check(diagnostics.IDGateway, diagnostics.StatusFail, "check.gateway.unreachable")),
			cause:  diagnostics.CauseGatewayUnreachable, top: []string{StepReconnectNetwork, StepRestart, StepColleagues},
			why: i18n.Msg("selfhelp.why.gateway"), action: noAction,
		},
		{
			name:   "DNS fails",
			report: report(check(diagnostics.IDDNS, diagnostics.StatusFail, "check.dns.fail")),
			cause:  diagnostics.CauseDNSFailure, top: []string{StepReconnectNetwork, StepRestart, StepColleagues},
			why: i18n.Msg("selfhelp.why.dns"), action: noAction,
		},
		{
			name:   "slow connection: cable or closer to the access point",
			report: report(service("mail", diagnostics.StatusWarn, 200, "slow")),
			cause:  diagnostics.CauseDegraded, top: []string{StepUseCable, StepReconnectNetwork, StepRestart},
			why: i18n.Msg("selfhelp.why.degraded"), action: noAction,
		},
		{
			name: "a certificate about to expire is no connection problem: support must renew it",
			report: report(check(diagnostics.ServicePrefix+"mail", diagnostics.StatusWarn, "check.service.cert_expiring",
				"service", "mail", "days", 4).Because("cert_expiring").Detail("status", 200)),
			cause: diagnostics.CauseDegraded, top: []string{StepRequest},
			why:    i18n.Msg("selfhelp.why.request_certificate_expiring", "service", titled("mail"), "days", 4),
			action: actionView{Kind: ActionRequest, Label: "selfhelp.action.request", URL: "https://top.example.fi/"},
			check: func(t *testing.T, steps []Step) {
				if all := append(keys(steps, true), keys(steps, false)...); slices.Contains(all, StepUseCable) {
					t.Errorf("the cable is advised for a certificate: %q", all)
				}
			},
		},
		{
			name:   "a page that never finishes loading: the server answered, ask whether others have it too",
			report: report(service("mail", diagnostics.StatusFail, 200, "body_stalled")),
			cause:  diagnostics.CauseServiceDown, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_page_stalled", "service", titled("mail")), action: noAction,
		},
		{
			name: "a certificate for another address: others have it too, and support must fix it",
			report: report(service("mail", diagnostics.StatusFail, 0, "tls").
				Detail(diagnostics.DetailTLSProblem, diagnostics.TLSWrongName)),
			cause: diagnostics.CauseServiceDown, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_tls", "service", titled("mail")), action: noAction,
			check: func(t *testing.T, steps []Step) {
				want := i18n.Msg("selfhelp.why.request_certificate", "service", titled("mail"))
				if got := find(t, steps, StepRequest).Why; !reflect.DeepEqual(got, want) {
					t.Errorf("request why = %+v, want %+v", got, want)
				}
			},
		},
		{
			name:   "clock ten minutes off",
			report: report(clock(diagnostics.StatusFail, -600)),
			cause:  diagnostics.CauseClockSkew, top: []string{StepSyncClock},
			why: i18n.Msg("selfhelp.why.clock_minutes", "minutes", 10), action: noAction,
		},
		{
			name:   "clock a little off",
			report: report(clock(diagnostics.StatusWarn, 90.4)),
			cause:  diagnostics.CauseClockSkew, top: []string{StepSyncClock},
			why: i18n.Msg("selfhelp.why.clock_seconds", "seconds", 90), action: noAction,
		},
		{
			name: "healthy: the session or the browser, gently", report: report(), opts: []Option{browsers, WithUpdatesPage(true)},
			cause: diagnostics.CauseHealthy, top: []string{StepReloginService, StepOtherBrowser},
			why: i18n.Msg("selfhelp.why.relogin_healthy"), action: noAction,
			check: func(t *testing.T, steps []Step) {
				if slices.ContainsFunc(steps, func(s Step) bool { return s.ID == StepInstallUpdates }) {
					t.Error("a step to install updates that nothing asked for")
				}
				want := []actionView{{Kind: ActionReloginService, Label: "selfhelp.action.relogin_named",
					URL: "https://mail.example.fi/", LogoutURL: "https://mail.example.fi/logout"}}
				if got := viewActions(steps[0].More); !reflect.DeepEqual(got, want) {
					t.Errorf("relogin more = %+v", got)
				}
				if got := viewActions(steps[1].More); len(got) != 2 || got[1].URL != "https://intra.example.fi/" || got[1].Browser != "chromium.desktop" {
					t.Errorf("other browser more = %+v", got)
				}
			},
		},
		{
			name:   "healthy, and the user names a service that answers: its session, then the browser",
			report: report(), opts: []Option{browsers, ForService("mail")},
			cause: diagnostics.CauseHealthy,
			top:   []string{"relogin_service:mail", "other_browser:mail", StepLogOut, "instructions:mail"},
			why:   i18n.Msg("selfhelp.why.session_maybe", "service", titled("mail")),
			action: actionView{Kind: ActionReloginService, Label: "selfhelp.action.relogin",
				URL: "https://mail.example.fi/", LogoutURL: "https://mail.example.fi/logout"},
		},
		{
			name:   "the user names a service Apuri did not check",
			report: report(), opts: []Option{ForService("crm")},
			cause: diagnostics.CauseHealthy, top: []string{"relogin_service:crm", "other_browser:crm"},
			why: i18n.Msg("selfhelp.why.session_unchecked", "service", titled("crm")), action: noAction,
		},
		{
			name:   "the user names a service that fails for everyone",
			report: report(service("mail", diagnostics.StatusFail, 502, "http_status")), opts: []Option{ForService("mail")},
			cause: diagnostics.CauseServiceDown, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_server_error", "service", titled("mail"), "status", 502), action: noAction,
		},
		{
			name:   "a known disruption answers the colleagues question at once, and no request is needed",
			report: knownDisruption(report(service("mail", diagnostics.StatusFail, 502, "http_status"))),
			cause:  diagnostics.CauseServiceDown,
			top:    []string{StepColleagues},
			why:    i18n.Msg("selfhelp.why.known_disruption", "summary", "Sähköpostissa on häiriö"),
			action: actionView{Kind: ActionOpenURL, Label: "selfhelp.action.bulletin", URL: "https://status.example.org/1"},
			check: func(t *testing.T, steps []Step) {
				for _, s := range steps {
					if (s.ID == StepRequest || s.ID == StepCall) && s.Recommended {
						t.Errorf("%s is recommended although support knows", s.ID)
					}
					if s.ID == StepRequest && s.Why.Key != "selfhelp.why.request_known" {
						t.Errorf("the request step says %s", s.Why.Key)
					}
				}
			},
		},
		{
			name:   "the service the user names is in a bulletin, though it answers from here",
			report: knownDisruption(report()), opts: []Option{ForService("mail")},
			cause:  diagnostics.CauseHealthy,
			top:    []string{StepColleagues, "relogin_service:mail", "other_browser:mail", StepLogOut, "instructions:mail"},
			why:    i18n.Msg("selfhelp.why.known_disruption", "summary", "Sähköpostissa on häiriö"),
			action: actionView{Kind: ActionOpenURL, Label: "selfhelp.action.bulletin", URL: "https://status.example.org/1"},
		},
		{
			name: "no report: the guide as it stands", cause: "",
			top: []string{}, why: i18n.Msg("selfhelp.why.restart"), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				if got := keys(steps, false); !reflect.DeepEqual(got, guideOrder) {
					t.Errorf("order = %q, want %q", got, guideOrder)
				}
			},
		},
		{
			name: "the embedded default profile: the contacts are on the intranet", profile: profile.Default(),
			cause: "", top: []string{}, why: i18n.Msg("selfhelp.why.restart"), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				for key, why := range map[string]i18n.Message{
					StepInstructions: i18n.Msg("selfhelp.why.instructions_intranet"),
					StepRequest:      i18n.Msg("selfhelp.why.request_intranet"),
					StepCall:         i18n.Msg("selfhelp.why.call_intranet"),
					StepFeedback:     i18n.Msg("selfhelp.why.feedback", "days", 5),
				} {
					s := find(t, steps, key)
					if !reflect.DeepEqual(s.Why, why) || s.Action.Kind != ActionNone || len(s.More) > 0 {
						t.Errorf("%s: why %+v action %+v more %+v", key, s.Why, s.Action, s.More)
					}
				}
			},
		},
		{
			name:    "no phone in the profile: the call step is advice only",
			report:  report(service("mail", diagnostics.StatusFail, 503, "http_status")),
			profile: with(func(p *profile.Profile) { p.Support.Phone = "" }),
			cause:   diagnostics.CauseServiceDown, top: []string{StepColleagues, StepRequest, StepCall},
			why: i18n.Msg("selfhelp.why.colleagues_server_error", "service", titled("mail"), "status", 503), action: noAction,
			check: func(t *testing.T, steps []Step) {
				call := find(t, steps, StepCall)
				if call.Action.Kind != ActionNone || call.Why.Key != "selfhelp.why.call_intranet" {
					t.Errorf("call = %+v why %+v", call.Action, call.Why)
				}
			},
		},
		{
			name:    "a phone number without hours, and one that is no number",
			profile: with(func(p *profile.Profile) { p.Support.PhoneHours = "" }),
			cause:   "", top: []string{}, why: i18n.Msg("selfhelp.why.restart"), action: restartAction,
			check: func(t *testing.T, steps []Step) {
				if call := find(t, steps, StepCall); !reflect.DeepEqual(call.Why, i18n.Msg("selfhelp.why.call", "phone", "0295 000 000")) {
					t.Errorf("call why = %+v", call.Why)
				}
				p := with(func(p *profile.Profile) { p.Support.Phone = "katso intranet" })
				if call := find(t, Ladder(nil, p), StepCall); call.Action.Kind != ActionNone {
					t.Errorf("call action = %+v", call.Action)
				}
			},
		},
		{
			name:   "only the default browser installed: no other-browser button, and a note",
			report: report(service("mail", diagnostics.StatusOK, 401, "")), opts: []Option{WithBrowsers([]Browser{firefox})},
			cause: diagnostics.CauseHealthy,
			top:   []string{"relogin_service:mail", "other_browser:mail", StepLogOut},
			why:   i18n.Msg("selfhelp.why.session_stuck", "service", titled("mail"), "status", 401),
			action: actionView{Kind: ActionReloginService, Label: "selfhelp.action.relogin",
				URL: "https://mail.example.fi/", LogoutURL: "https://mail.example.fi/logout"},
			check: func(t *testing.T, steps []Step) {
				b := find(t, steps, "other_browser:mail")
				if b.Action.Kind != ActionNone || b.Note == nil || b.Note.Key != "selfhelp.note.no_other_browser" {
					t.Errorf("other browser = %+v note %+v", b.Action, b.Note)
				}
			},
		},
		{
			name:   "profile addresses that may not be opened give no button",
			report: report(service("mail", diagnostics.StatusOK, 401, "")),
			profile: with(func(p *profile.Profile) {
				p.Services[0].LogoutURL = "file:///home/user/.bashrc"
				p.Services[0].InstructionsURL = "javascript:alert(1)"
				p.Support.InstructionsURL = "ms-settings:network"
				p.Links = []profile.Link{{Name: "TOP", URL: "smb://fileserver/top"}}
				p.Support.PortalURL = "custom-handler://x"
			}),
			cause: diagnostics.CauseHealthy,
			top:   []string{"relogin_service:mail", "other_browser:mail", StepLogOut},
			why:   i18n.Msg("selfhelp.why.session_stuck", "service", titled("mail"), "status", 401), action: noAction,
			check: func(t *testing.T, steps []Step) {
				if in := find(t, steps, StepInstructions); in.Action.Kind != ActionNone {
					t.Errorf("instructions action = %+v", in.Action)
				}
			},
		},
		{
			name: "no restart or log-out button where Apuri cannot do them", report: report(uptime(40)),
			opts:  []Option{func(o *options) { o.goos = "plan9" }},
			cause: diagnostics.CauseLocalResources, top: []string{StepRestart},
			why: i18n.Msg("selfhelp.why.uptime", "days", 40), action: noAction,
		},
	}
}

func viewActions(as []Action) []actionView {
	out := []actionView{}
	for _, a := range as {
		out = append(out, viewAction(a))
	}
	return out
}

func TestLadder(t *testing.T) {
	for _, tt := range ladderCases() {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.profile
			if p == nil {
				p = orgProfile()
			}
			if tt.report != nil && tt.report.Verdict.Cause != tt.cause {
				t.Fatalf("the fixture's verdict is %q, want %q", tt.report.Verdict.Cause, tt.cause)
			}
			steps := Ladder(tt.report, p, tt.opts...)
			if got := keys(steps, true); !reflect.DeepEqual(got, tt.top) {
				t.Errorf("recommended = %q, want %q", got, tt.top)
			}
			if !reflect.DeepEqual(steps[0].Why, tt.why) {
				t.Errorf("first why = %+v, want %+v", steps[0].Why, tt.why)
			}
			if got := viewAction(steps[0].Action); got != tt.action {
				t.Errorf("first action = %+v, want %+v", got, tt.action)
			}
			checkInvariants(t, steps)
			if tt.check != nil {
				tt.check(t, steps)
			}
		})
	}
}

// checkInvariants holds for every ladder: the guide's steps are all there once, the evidence
// orders the top and the guide the rest, and every button can work.
func checkInvariants(t *testing.T, steps []Step) {
	t.Helper()
	seen := map[string]bool{}
	count := map[string]int{}
	for _, s := range steps {
		if seen[s.Key()] {
			t.Errorf("step %q twice", s.Key())
		}
		seen[s.Key()] = true
		count[s.ID]++
		if s.Title.Key == "" || s.Why.Key == "" {
			t.Errorf("%s: title %q why %q", s.Key(), s.Title.Key, s.Why.Key)
		}
		if s.Recommended != (s.Score > 0) {
			t.Errorf("%s: recommended %v with score %d", s.Key(), s.Recommended, s.Score)
		}
		for _, a := range append([]Action{s.Action}, s.More...) {
			checkAction(t, s.Key(), a)
		}
		if s.Action.Kind == ActionNone && len(s.More) > 0 && s.Service != "" {
			t.Errorf("%s: extra buttons without a main one", s.Key())
		}
	}
	for _, id := range []string{StepRestart, StepLogOut, StepInstructions, StepColleagues, StepRequest, StepCall, StepFeedback} {
		if count[id] != 1 {
			t.Errorf("step %s appears %d times", id, count[id])
		}
	}
	for _, id := range []string{StepReloginService, StepOtherBrowser} {
		if count[id] < 1 {
			t.Errorf("step %s missing", id)
		}
	}
	for i := 1; i < len(steps); i++ {
		a, b := steps[i-1], steps[i]
		switch {
		case a.Score < b.Score:
			t.Errorf("%s (score %d) before %s (score %d)", a.Key(), a.Score, b.Key(), b.Score)
		case a.Score == b.Score && rank[a.ID] > rank[b.ID]:
			t.Errorf("%s before %s against the guide's order", a.Key(), b.Key())
		}
	}
}

func checkAction(t *testing.T, step string, a Action) {
	t.Helper()
	if a.Kind == ActionNone {
		if a.Label.Key != "" || a.URL != "" || a.Browser != nil {
			t.Errorf("%s: advice-only action carries %+v", step, a)
		}
		return
	}
	if a.Label.Key == "" {
		t.Errorf("%s: %s button without a label", step, a.Kind)
	}
	needsURL := map[ActionKind]bool{ActionReloginService: true, ActionOtherBrowser: true, ActionOpenURL: true,
		ActionCall: true, ActionOpenLoginPage: true, ActionReconnectVPN: true}
	if needsURL[a.Kind] || a.URL != "" {
		if _, err := CheckURL(a.URL); err != nil {
			t.Errorf("%s: %s button with %q: %v", step, a.Kind, a.URL, err)
		}
	}
	switch a.Kind {
	case ActionRestart, ActionLogOut:
		if a.Confirm == nil {
			t.Errorf("%s: %s without a confirmation", step, a.Kind)
		}
	case ActionOpenUpdates:
		if step != StepInstallUpdates || a.Confirm != nil || a.URL != "" {
			t.Errorf("%s: %+v: only the install step opens the updates, at once and with no address", step, a)
		}
	case ActionReloginService:
		if err := checkWebURL(a.LogoutURL); err != nil {
			t.Errorf("%s: logout_url %q: %v", step, a.LogoutURL, err)
		}
	case ActionOtherBrowser:
		if a.Browser == nil || a.Browser.Default || len(a.Browser.cmd) > 0 {
			t.Errorf("%s: other browser %+v", step, a.Browser)
		}
	case ActionCall:
		if !strings.HasPrefix(a.URL, "tel:") {
			t.Errorf("%s: call %q", step, a.URL)
		}
	}
}

// TestLadderSurvivesTheLocalAPI: the windows get the report as JSON, where every number is a
// float64; the ladder must come out the same.
func TestLadderSurvivesTheLocalAPI(t *testing.T) {
	for _, tt := range ladderCases() {
		if tt.report == nil {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			p := tt.profile
			if p == nil {
				p = orgProfile()
			}
			data, err := json.Marshal(tt.report)
			if err != nil {
				t.Fatal(err)
			}
			var back diagnostics.Report
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(Ladder(tt.report, p, tt.opts...))
			got, _ := json.Marshal(Ladder(&back, p, tt.opts...))
			if string(got) != string(want) {
				t.Errorf("after JSON:\n got  %s\n want %s", got, want)
			}
		})
	}
}

func TestTelURI(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"national", "0295 000 000", "tel:0295000000"},
		{"international", "+358 29 500 0000", "tel:+358295000000"},
		{"punctuation", "(09) 123-456", "tel:09123456"},
		{"words", "katso intranet", ""},
		{"plus in the middle", "12+34", ""},
		{"too short", "12", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TelURI(tt.in); got != tt.want {
				t.Errorf("TelURI(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
