package selfhelp

import (
	"math"
	"slices"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

var msg = diagnostics.Msg

// maxMore bounds the extra buttons of one step.
const maxMore = 4

// consider raises a step's score with one piece of evidence; the strongest one gives the Why.
func (s *Step) consider(score int, why diagnostics.Message, evidence ...string) {
	if score > s.Score {
		s.Score, s.Why = score, why
	}
	for _, id := range evidence {
		if id != "" && !slices.Contains(s.Evidence, id) {
			s.Evidence = append(s.Evidence, id)
		}
	}
}

// verdictEvidence is the verdict's evidence list, for steps that fix its cause.
func (b *builder) verdictEvidence() []string {
	if b.r == nil {
		return nil
	}
	return b.r.Verdict.Evidence
}

// networkSteps fix the broken layer the verdict names below the services; they appear only
// when it names one.
func (b *builder) networkSteps() []Step {
	ev := b.verdictEvidence()
	var steps []Step
	reconnect := func(why string) {
		s := Step{ID: StepReconnectNetwork, Title: msg("selfhelp.step.reconnect_network")}
		s.consider(scoreCause, msg(why), ev...)
		steps = append(steps, s)
	}
	switch b.cause {
	case diagnostics.CauseNoLink:
		s := Step{ID: StepConnectNetwork, Title: msg("selfhelp.step.connect_network")}
		s.consider(scoreCause, msg("selfhelp.why.no_link"), ev...)
		steps = append(steps, s)
	case diagnostics.CauseNoAddress:
		reconnect("selfhelp.why.no_address")
	case diagnostics.CauseNoRoute:
		reconnect("selfhelp.why.no_route")
	case diagnostics.CauseGatewayUnreachable:
		reconnect("selfhelp.why.gateway")
	case diagnostics.CauseDNSFailure:
		reconnect("selfhelp.why.dns")
	case diagnostics.CauseDegraded:
		if b.connectionDegraded() {
			s := Step{ID: StepUseCable, Title: msg("selfhelp.step.use_cable")}
			s.consider(scoreCause, msg("selfhelp.why.degraded"), ev...)
			r := Step{ID: StepReconnectNetwork, Title: msg("selfhelp.step.reconnect_network")}
			r.consider(scoreSupport, msg("selfhelp.why.degraded"), ev...)
			steps = append(steps, s, r)
		}
	case diagnostics.CauseCaptivePortal:
		steps = append(steps, b.loginPageStep())
	case diagnostics.CauseVPNDown, diagnostics.CauseVPNBroken:
		steps = append(steps, b.vpnStep())
	}
	if s, ok := b.clockStep(); ok {
		steps = append(steps, s)
	}
	return steps
}

// connectionDegraded says whether the warnings behind a "degraded" verdict are about the
// connection (slow, lossy) rather than, say, a certificate about to expire.
func (b *builder) connectionDegraded() bool {
	for _, id := range b.verdictEvidence() {
		if r, ok := b.result(id); ok && r.Reason != "cert_expiring" {
			return true
		}
	}
	return false
}

func (b *builder) loginPageStep() Step {
	s := Step{ID: StepOpenLoginPage, Title: msg("selfhelp.step.open_login_page")}
	s.consider(scoreCause, msg("selfhelp.why.captive"), b.verdictEvidence()...)
	if u := b.captiveURL(); u != "" {
		s.Action = Action{Kind: ActionOpenLoginPage, Label: msg("selfhelp.action.open_login_page"), URL: u}
	} else {
		n := msg("selfhelp.note.no_login_page")
		s.Note = &n
	}
	return s
}

// vpnStep tells the user to reconnect the VPN. Apuri does not drive VPN clients (each
// organisation has its own), so its button opens the instructions.
func (b *builder) vpnStep() Step {
	s := Step{ID: StepReconnectVPN, Title: msg("selfhelp.step.reconnect_vpn")}
	if b.cause == diagnostics.CauseVPNDown {
		s.consider(scoreCause, msg("selfhelp.why.vpn_down"), b.verdictEvidence()...)
	} else {
		s.consider(scoreCause-10, msg("selfhelp.why.vpn_broken"), b.verdictEvidence()...)
	}
	u := ""
	if l, ok := b.link("vpn"); ok {
		u = l.URL
	} else if webURL(b.p.Support.InstructionsURL) {
		u = b.p.Support.InstructionsURL
	}
	if u != "" {
		s.Action = Action{Kind: ActionReconnectVPN, Label: msg("selfhelp.action.vpn_instructions"), URL: u}
	}
	return s
}

func (b *builder) clockStep() (Step, bool) {
	r, ok := b.result(diagnostics.IDClock)
	if !ok || !troubled(r) {
		return Step{}, false
	}
	s := Step{ID: StepSyncClock, Title: msg("selfhelp.step.sync_clock")}
	skew, _ := number(r, "", "skew_s")
	skew = math.Abs(skew)
	why := msg("selfhelp.why.clock_seconds", "seconds", rounded(skew))
	if skew >= 120 {
		why = msg("selfhelp.why.clock_minutes", "minutes", rounded(skew/60))
	}
	score := scoreSupport
	if b.causeFrom(r.ID, diagnostics.CauseClockSkew) {
		score = scoreCause
	} else if f, ok := b.serviceFault(); ok && f.Reason == "tls" {
		// A wrong clock makes valid certificates look expired: fix the clock before anything else.
		score = scoreCause + 5
	}
	s.consider(score, why, r.ID)
	return s, true
}

// networkCauses are the verdicts a restart often helps with: it sets up the network anew.
var networkCauses = []diagnostics.Cause{
	diagnostics.CauseNoLink, diagnostics.CauseNoAddress, diagnostics.CauseNoRoute,
	diagnostics.CauseGatewayUnreachable, diagnostics.CauseDNSFailure, diagnostics.CauseDegraded,
}

// localSteps: the restart, always in the ladder, and the fixes for a computer short of memory,
// processor or disk.
func (b *builder) localSteps() []Step {
	restart := Step{ID: StepRestart, Title: msg("selfhelp.step.restart"), Why: msg("selfhelp.why.restart")}
	if remediesWork(b.o.goos) {
		c := msg("selfhelp.confirm.restart")
		restart.Action = Action{Kind: ActionRestart, Label: msg("selfhelp.action.restart"), Confirm: &c}
	}
	closeProgs := Step{ID: StepClosePrograms, Title: msg("selfhelp.step.close_programs")}
	freeDisk := Step{ID: StepFreeDisk, Title: msg("selfhelp.step.free_disk")}
	local := []diagnostics.Cause{diagnostics.CauseLocalResources}

	if r, ok := b.result(diagnostics.IDMemory); ok && troubled(r) {
		pct, _ := number(r, "percent", "used_percent")
		score := scoreSupport
		if r.Status == diagnostics.StatusFail {
			score = scoreStrong
		}
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		restart.consider(score, msg("selfhelp.why.restart_memory", "percent", rounded(pct)), r.ID)
		closeProgs.consider(score-10, msg("selfhelp.why.close_memory", "percent", rounded(pct)), r.ID)
	}
	if r, ok := b.result(diagnostics.IDUptime); ok && troubled(r) {
		days, ok := number(r, "days", "days")
		if !ok {
			secs, _ := number(r, "", "uptime_s")
			days = math.Floor(secs / 86400)
		}
		score := scoreSupport
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		restart.consider(score, msg("selfhelp.why.uptime", "days", int(days)), r.ID)
	}
	if r, ok := b.result(diagnostics.IDCPU); ok && troubled(r) {
		pct, _ := number(r, "percent", "busy_percent")
		score := scoreSupport
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		// A busy processor is usually one program: closing it beats a restart.
		closeProgs.consider(score, msg("selfhelp.why.close_cpu", "percent", rounded(pct)), r.ID)
		restart.consider(score-10, msg("selfhelp.why.restart_cpu", "percent", rounded(pct)), r.ID)
	}
	if r, ok := b.result(diagnostics.IDDisk); ok && troubled(r) {
		pct, _ := number(r, "percent", "free_percent")
		score := scoreSupport
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		freeDisk.consider(score, msg("selfhelp.why.disk", "percent", int(math.Floor(pct))), r.ID)
	}
	switch {
	case slices.Contains(networkCauses, b.cause) && (b.cause != diagnostics.CauseDegraded || b.connectionDegraded()):
		restart.consider(scoreHelps, msg("selfhelp.why.restart_network"), b.verdictEvidence()...)
	case b.cause == diagnostics.CauseVPNDown:
		restart.consider(scoreHelps, msg("selfhelp.why.restart_vpn"), b.verdictEvidence()...)
	}

	steps := []Step{restart}
	if closeProgs.Score > 0 {
		steps = append(steps, closeProgs)
	}
	if freeDisk.Score > 0 {
		steps = append(steps, freeDisk)
	}
	return steps
}

// healthy says whether the report found nothing wrong, so the trouble the user has is likely in
// the session or the browser.
func (b *builder) healthy() bool { return b.r != nil && b.cause == diagnostics.CauseHealthy }

// reloginSteps: one per suspect service, or one general step.
func (b *builder) reloginSteps() []Step {
	var steps []Step
	for _, sus := range b.suspects {
		name := sus.svc.Name
		s := Step{ID: StepReloginService, Service: name, Title: msg("selfhelp.step.relogin_named", "service", name)}
		s.consider(sus.score, sus.why, sus.evidence...)
		if a, ok := reloginAction(sus.svc, msg("selfhelp.action.relogin")); ok {
			s.Action = a
		} else {
			n := msg("selfhelp.note.no_logout_url", "service", name)
			s.Note = &n
		}
		steps = append(steps, s)
	}
	if len(steps) > 0 {
		return steps
	}
	s := Step{ID: StepReloginService, Title: msg("selfhelp.step.relogin_service"), Why: msg("selfhelp.why.relogin")}
	if b.healthy() {
		s.consider(scoreHint, msg("selfhelp.why.relogin_healthy"))
	}
	for _, svc := range b.p.Services {
		if a, ok := reloginAction(svc, msg("selfhelp.action.relogin_named", "service", svc.Name)); ok && len(s.More) < maxMore {
			s.More = append(s.More, a)
		}
	}
	return []Step{s}
}

// reloginAction signs out through the service's logout_url, then opens the service again.
func reloginAction(svc profile.Service, label diagnostics.Message) (Action, bool) {
	if !webURL(svc.LogoutURL) || !webURL(svc.URL) {
		return Action{}, false
	}
	return Action{Kind: ActionReloginService, Label: label, URL: svc.URL, LogoutURL: svc.LogoutURL}, true
}

// logOutStep is the stronger form of signing out: out of the computer session.
func (b *builder) logOutStep(relogin []Step) Step {
	s := Step{ID: StepLogOut, Title: msg("selfhelp.step.log_out"), Why: msg("selfhelp.why.log_out")}
	best := 0
	var ev []string
	for _, r := range relogin {
		if r.Score > best {
			best, ev = r.Score, r.Evidence
		}
	}
	// Worth it only after signing out of the service did not help, so well below it.
	if best-scoreHelps > 0 {
		s.consider(best-scoreHelps, msg("selfhelp.why.log_out"), ev...)
	}
	if remediesWork(b.o.goos) {
		c := msg("selfhelp.confirm.logout")
		s.Action = Action{Kind: ActionLogOut, Label: msg("selfhelp.action.logout"), Confirm: &c}
	}
	return s
}

// otherBrowserSteps: one per suspect service, or one general step.
func (b *builder) otherBrowserSteps() []Step {
	others := otherBrowsers(b.o.browsers)
	var noBrowser *diagnostics.Message
	if b.o.browsersKnown && len(others) == 0 {
		n := msg("selfhelp.note.no_other_browser")
		noBrowser = &n
	}
	var steps []Step
	for _, sus := range b.suspects {
		name := sus.svc.Name
		s := Step{ID: StepOtherBrowser, Service: name, Title: msg("selfhelp.step.other_browser_named", "service", name)}
		s.consider(sus.score-10, sus.browser, sus.evidence...)
		switch {
		case noBrowser != nil:
			s.Note = noBrowser
		case len(others) > 0 && webURL(sus.svc.URL):
			for i, br := range others {
				a := browserAction(br, sus.svc.URL, msg("selfhelp.action.open_in", "browser", br.Name))
				if i == 0 {
					s.Action = a
				} else if len(s.More) < maxMore {
					s.More = append(s.More, a)
				}
			}
		}
		steps = append(steps, s)
	}
	if len(steps) > 0 {
		return steps
	}
	s := Step{ID: StepOtherBrowser, Title: msg("selfhelp.step.other_browser"), Why: msg("selfhelp.why.browser_default"), Note: noBrowser}
	if b.healthy() {
		s.consider(scoreHint-5, msg("selfhelp.why.browser_healthy"))
	}
	if len(others) > 0 {
		for _, svc := range b.p.Services {
			if webURL(svc.URL) && len(s.More) < maxMore {
				s.More = append(s.More, browserAction(others[0], svc.URL,
					msg("selfhelp.action.open_service_in", "service", svc.Name, "browser", others[0].Name)))
			}
		}
	}
	return []Step{s}
}

func browserAction(br Browser, u string, label diagnostics.Message) Action {
	br.cmd = nil // the action may cross the local API; Remedies finds the browser again by ID
	return Action{Kind: ActionOtherBrowser, Label: label, URL: u, Browser: &br}
}

// instructionsStep points at the service's own instructions, or the service portal's.
func (b *builder) instructionsStep() Step {
	s := Step{ID: StepInstructions, Title: msg("selfhelp.step.instructions")}
	var actions []Action
	for _, sus := range b.suspects {
		if webURL(sus.svc.InstructionsURL) {
			if len(actions) == 0 {
				s.Service = sus.svc.Name
				s.Title = msg("selfhelp.step.instructions_named", "service", sus.svc.Name)
				s.Why = msg("selfhelp.why.instructions_service", "service", sus.svc.Name)
				if sus.svc.Name == b.o.service {
					s.consider(scoreHint, s.Why, sus.evidence...)
				}
			}
			actions = append(actions, openAction(sus.svc.InstructionsURL,
				msg("selfhelp.action.open_instructions_named", "service", sus.svc.Name)))
		}
	}
	sup := b.p.Support
	switch top, hasTop := b.link("top"); {
	case webURL(sup.InstructionsURL):
		actions = append(actions, openAction(sup.InstructionsURL, msg("selfhelp.action.open_instructions")))
	case hasTop:
		actions = append(actions, openAction(top.URL, msg("selfhelp.action.open_link", "name", top.Name)))
	case webURL(sup.PortalURL):
		actions = append(actions, openAction(sup.PortalURL, msg("selfhelp.action.open_link", "name", portalName(sup))))
	}
	if joiku, ok := b.link("joiku"); ok {
		actions = append(actions, openAction(joiku.URL, msg("selfhelp.action.open_link", "name", joiku.Name)))
	}
	if s.Why.Key == "" {
		s.Why = msg("selfhelp.why.instructions")
		if len(actions) == 0 {
			s.Why = msg("selfhelp.why.instructions_intranet")
		}
	}
	if len(actions) > 0 {
		s.Action = actions[0]
		s.More = truncate(actions[1:], maxMore)
	}
	return s
}

func openAction(u string, label diagnostics.Message) Action {
	return Action{Kind: ActionOpenURL, Label: label, URL: u}
}

// portalName is what the buttons call the service portal.
func portalName(s profile.Support) string {
	if s.PortalName != "" {
		return s.PortalName
	}
	return s.PortalURL
}

func truncate(a []Action, n int) []Action {
	if len(a) > n {
		return a[:n]
	}
	return a
}

// colleaguesStep: is it only me? A shared fault says no at once.
func (b *builder) colleaguesStep() Step {
	s := Step{ID: StepColleagues, Title: msg("selfhelp.step.colleagues"), Why: msg("selfhelp.why.colleagues")}
	ev := b.verdictEvidence()
	if k := b.known; k != nil {
		s.consider(scoreCause+10, msg("selfhelp.why.known_disruption", "summary", k.Title))
		if webURL(k.URL) {
			s.Action = Action{Kind: ActionOpenURL, Label: msg("selfhelp.action.bulletin"), URL: k.URL}
		}
	}
	if f, ok := b.serviceFault(); ok {
		name := f.ID[len(diagnostics.ServicePrefix):]
		switch code := httpStatus(f); {
		case code >= 500:
			s.consider(scoreCause, msg("selfhelp.why.colleagues_server_error", "service", name, "status", code), ev...)
		case f.Reason == "tls":
			s.consider(scoreStrong, msg("selfhelp.why.colleagues_tls", "service", name), ev...)
		default:
			s.consider(scoreStrong, msg("selfhelp.why.colleagues_no_answer", "service", name), ev...)
		}
	}
	switch b.cause {
	case diagnostics.CauseInternetUnreach:
		s.consider(scoreCause, msg("selfhelp.why.colleagues_internet"), ev...)
	case diagnostics.CauseVPNBroken:
		s.consider(scoreStrong, msg("selfhelp.why.colleagues_vpn"), ev...)
	case diagnostics.CauseGatewayUnreachable, diagnostics.CauseDNSFailure:
		s.consider(scoreContact, msg("selfhelp.why.colleagues_network"), ev...)
	}
	return s
}

// requestStep is the guide's path for what is not urgent: a pre-filled support request.
func (b *builder) requestStep() Step {
	s := Step{ID: StepRequest, Title: msg("selfhelp.step.request"), Why: msg("selfhelp.why.request")}
	if b.canRequest() {
		s.Action = Action{Kind: ActionRequest, Label: msg("selfhelp.action.request")}
		if webURL(b.p.Support.PortalURL) {
			s.Action.URL = b.p.Support.PortalURL
		}
	} else {
		s.Why = msg("selfhelp.why.request_intranet")
	}
	switch {
	case b.known != nil:
		// Support knows: a request would only repeat the bulletin.
		s.Why = msg("selfhelp.why.request_known")
	case b.sharedFault():
		s.consider(scoreContact, s.Why, b.verdictEvidence()...)
	}
	return s
}

// callStep is the guide's path for a disruption with a wide impact on one's work. Support, not
// the user, judges how wide or critical it is.
func (b *builder) callStep() Step {
	sup := b.p.Support
	s := Step{ID: StepCall, Title: msg("selfhelp.step.call")}
	tel := TelURI(sup.Phone)
	switch {
	case tel == "":
		s.Why = msg("selfhelp.why.call_intranet")
	case sup.PhoneHours != "":
		s.Why = msg("selfhelp.why.call_hours", "phone", sup.Phone, "hours", sup.PhoneHours)
	default:
		s.Why = msg("selfhelp.why.call", "phone", sup.Phone)
	}
	if tel != "" {
		s.Action = Action{Kind: ActionCall, Label: msg("selfhelp.action.call", "phone", sup.Phone), URL: tel}
	}
	if b.sharedFault() && b.known == nil {
		s.consider(scoreContact, s.Why, b.verdictEvidence()...)
	}
	return s
}

// feedbackStep is the last rung: the survey, and how long the solution can be rejected.
func (b *builder) feedbackStep() Step {
	s := Step{ID: StepFeedback, Title: msg("selfhelp.step.feedback"), Why: msg("selfhelp.why.feedback_range")}
	if d := b.p.Support.FeedbackDays; d > 0 {
		s.Why = msg("selfhelp.why.feedback", "days", d)
	}
	return s
}
