package selfhelp

import (
	"math"
	"slices"
	"strings"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// maxMore bounds the extra buttons of one step.
const maxMore = 4

// consider raises a step's score with one piece of evidence; the strongest one gives the Why.
func (s *Step) consider(score int, why i18n.Message, evidence ...string) {
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
		s := Step{ID: StepReconnectNetwork, Title: i18n.Msg("selfhelp.step.reconnect_network")}
		s.consider(scoreCause, i18n.Msg(why), ev...)
		steps = append(steps, s)
	}
	switch b.cause {
	case diagnostics.CauseNoLink:
		s := Step{ID: StepConnectNetwork, Title: i18n.Msg("selfhelp.step.connect_network")}
		s.consider(scoreCause, i18n.Msg("selfhelp.why.no_link"), ev...)
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
			s := Step{ID: StepUseCable, Title: i18n.Msg("selfhelp.step.use_cable")}
			s.consider(scoreCause, i18n.Msg("selfhelp.why.degraded"), ev...)
			r := Step{ID: StepReconnectNetwork, Title: i18n.Msg("selfhelp.step.reconnect_network")}
			r.consider(scoreSupport, i18n.Msg("selfhelp.why.degraded"), ev...)
			steps = append(steps, s, r)
		}
	case diagnostics.CauseCaptivePortal:
		steps = append(steps, b.loginPageStep())
	case diagnostics.CausePathMTU:
		s := Step{ID: StepReconnectNetwork, Title: i18n.Msg("selfhelp.step.reconnect_network")}
		s.consider(scoreCause, i18n.Msg("selfhelp.why.path_mtu", "service", b.verdictService()), ev...)
		steps = append(steps, s)
	case diagnostics.CauseVPNDown, diagnostics.CauseVPNBroken, diagnostics.CauseVPNMTU:
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
		if r, ok := b.result(id); ok && r.Reason != diagnostics.ReasonCertExpiring {
			return true
		}
	}
	return false
}

func (b *builder) loginPageStep() Step {
	s := Step{ID: StepOpenLoginPage, Title: i18n.Msg("selfhelp.step.open_login_page")}
	s.consider(scoreCause, i18n.Msg("selfhelp.why.captive"), b.verdictEvidence()...)
	if u := b.captiveURL(); u != "" {
		s.Action = Action{Kind: ActionOpenLoginPage, Label: i18n.Msg("selfhelp.action.open_login_page"), URL: u}
	} else {
		n := i18n.Msg("selfhelp.note.no_login_page")
		s.Note = &n
	}
	return s
}

// vpnStep tells the user to reconnect the VPN. Apuri does not drive VPN clients (each
// organisation has its own), so its button opens the instructions.
func (b *builder) vpnStep() Step {
	s := Step{ID: StepReconnectVPN, Title: i18n.Msg("selfhelp.step.reconnect_vpn")}
	switch b.cause {
	case diagnostics.CauseVPNDown:
		s.consider(scoreCause, i18n.Msg("selfhelp.why.vpn_down"), b.verdictEvidence()...)
	case diagnostics.CauseVPNMTU:
		s.consider(scoreCause, i18n.Msg("selfhelp.why.vpn_mtu", "service", b.verdictService()), b.verdictEvidence()...)
	default:
		s.consider(scoreCause-10, i18n.Msg("selfhelp.why.vpn_broken"), b.verdictEvidence()...)
	}
	u := ""
	if l, ok := b.link("vpn"); ok {
		u = l.URL
	} else if webURL(b.p.Support.InstructionsURL) {
		u = b.p.Support.InstructionsURL
	}
	if u != "" {
		s.Action = Action{Kind: ActionReconnectVPN, Label: i18n.Msg("selfhelp.action.vpn_instructions"), URL: u}
	}
	return s
}

// verdictService is the title of the first service in the verdict's evidence, per language.
func (b *builder) verdictService() map[string]string {
	for _, id := range b.verdictEvidence() {
		if name, ok := strings.CutPrefix(id, diagnostics.ServicePrefix); ok {
			return b.service(name).Titles()
		}
	}
	return nil
}

func (b *builder) clockStep() (Step, bool) {
	r, ok := b.result(diagnostics.IDClock)
	if !ok || !troubled(r) {
		return Step{}, false
	}
	s := Step{ID: StepSyncClock, Title: i18n.Msg("selfhelp.step.sync_clock")}
	skew, _ := number(r, "", diagnostics.DetailSkewS)
	skew = math.Abs(skew)
	why := i18n.Msg("selfhelp.why.clock_seconds", "seconds", rounded(skew))
	if skew >= 120 {
		why = i18n.Msg("selfhelp.why.clock_minutes", "minutes", rounded(skew/60))
	}
	score := scoreSupport
	if b.causeFrom(r.ID, diagnostics.CauseClockSkew) {
		score = scoreCause
	} else if f, ok := b.serviceFault(); ok && f.Reason == diagnostics.ReasonTLS {
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
	restart := Step{ID: StepRestart, Title: i18n.Msg("selfhelp.step.restart"), Why: i18n.Msg("selfhelp.why.restart")}
	if remediesWork(b.o.goos) {
		c := i18n.Msg("selfhelp.confirm.restart")
		restart.Action = Action{Kind: ActionRestart, Label: i18n.Msg("selfhelp.action.restart"), Confirm: &c}
	}
	closeProgs := Step{ID: StepClosePrograms, Title: i18n.Msg("selfhelp.step.close_programs")}
	freeDisk := Step{ID: StepFreeDisk, Title: i18n.Msg("selfhelp.step.free_disk")}
	if remediesWork(b.o.goos) {
		c := i18n.Msg("selfhelp.confirm.clean_up")
		freeDisk.Action = Action{Kind: ActionCleanUp, Label: i18n.Msg("selfhelp.action.clean_up"), Confirm: &c}
	}
	install := Step{ID: StepInstallUpdates, Title: i18n.Msg("selfhelp.step.install_updates")}
	if b.o.updatesPage {
		// It only opens a window, where the system itself asks for what installing needs.
		install.Action = Action{Kind: ActionOpenUpdates, Label: i18n.Msg("selfhelp.action.open_updates")}
	}
	local := []diagnostics.Cause{diagnostics.CauseLocalResources}

	if r, ok := b.result(diagnostics.IDMemory); ok && troubled(r) {
		pct, _ := number(r, "percent", diagnostics.DetailUsedPercent)
		score := scoreSupport
		if r.Status == diagnostics.StatusFail {
			score = scoreStrong
		}
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		restart.consider(score, i18n.Msg("selfhelp.why.restart_memory", "percent", rounded(pct)), r.ID)
		closeProgs.consider(score-10, i18n.Msg("selfhelp.why.close_memory", "percent", rounded(pct)), r.ID)
	}
	if r, ok := b.result(diagnostics.IDReboot); ok && troubled(r) {
		// The system itself asks for the restart: no stronger evidence for the step exists, so
		// it leads the ladder unless a broken layer below has its own fix.
		why := i18n.Msg("selfhelp.why.reboot")
		if since, ok := r.Message.Args["since"]; ok {
			why = i18n.Msg("selfhelp.why.reboot_since", "since", since)
		}
		restart.consider(scoreCause, why, r.ID)
	}
	if r, ok := b.result(diagnostics.IDUpdates); ok && troubled(r) {
		if rb, ok := b.result(diagnostics.IDReboot); ok && troubled(rb) {
			// Folded into the restart, which leads anyway: installed updates finish there first,
			// and Windows and macOS offer the waiting ones as they restart.
			restart.consider(scoreSupport, i18n.Msg("selfhelp.why.updates"), r.ID)
		} else {
			score := scoreSupport
			if b.causeFrom(r.ID, local...) {
				score = scoreCause
			}
			install.consider(score, i18n.Msg("selfhelp.why.updates"), r.ID)
		}
	}
	if r, ok := b.result(diagnostics.IDUptime); ok && troubled(r) {
		days, ok := number(r, "days", diagnostics.DetailDays)
		if !ok {
			secs, _ := number(r, "", diagnostics.DetailUptimeS)
			days = math.Floor(secs / 86400)
		}
		score := scoreSupport
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		restart.consider(score, i18n.Msg("selfhelp.why.uptime", "days", int(days)), r.ID)
	}
	if r, ok := b.result(diagnostics.IDCPU); ok && troubled(r) {
		pct, _ := number(r, "percent", diagnostics.DetailBusyPercent)
		score := scoreSupport
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		// A busy processor is usually one program: closing it beats a restart.
		closeProgs.consider(score, i18n.Msg("selfhelp.why.close_cpu", "percent", rounded(pct)), r.ID)
		restart.consider(score-10, i18n.Msg("selfhelp.why.restart_cpu", "percent", rounded(pct)), r.ID)
	}
	if r, ok := b.result(diagnostics.IDDisk); ok && troubled(r) {
		pct, _ := number(r, "percent", diagnostics.DetailFreePercent)
		score := scoreSupport
		if b.causeFrom(r.ID, local...) {
			score = scoreCause
		}
		why := i18n.Msg("selfhelp.why.disk", "percent", int(math.Floor(pct)))
		if path, _ := r.Details[diagnostics.DetailPath].(string); path != "" {
			why = i18n.Msg("selfhelp.why.disk_named", "percent", int(math.Floor(pct)), "path", path)
			if w, ok := diskWhy(r, int(math.Floor(pct)), path); ok {
				why = w
			}
		}
		freeDisk.consider(score, why, r.ID)
	}
	switch {
	case slices.Contains(networkCauses, b.cause) && (b.cause != diagnostics.CauseDegraded || b.connectionDegraded()):
		restart.consider(scoreHelps, i18n.Msg("selfhelp.why.restart_network"), b.verdictEvidence()...)
	case b.cause == diagnostics.CauseVPNDown:
		restart.consider(scoreHelps, i18n.Msg("selfhelp.why.restart_vpn"), b.verdictEvidence()...)
	}

	steps := []Step{restart}
	if closeProgs.Score > 0 {
		steps = append(steps, closeProgs)
	}
	if freeDisk.Score > 0 {
		steps = append(steps, freeDisk)
	}
	if install.Score > 0 {
		steps = append(steps, install)
	}
	return steps
}
