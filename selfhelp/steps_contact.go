package selfhelp

import (
	"strings"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// The ladder's steps that reach other people: ask colleagues, make a support request, call
// support, and the feedback on the solution.

// colleaguesStep: is it only me? A known disruption answers that before anyone is asked, so the
// step then says the answer in its title instead of asking a question it answers itself.
func (b *builder) colleaguesStep() Step {
	s := Step{ID: StepColleagues, Title: i18n.Msg("selfhelp.step.colleagues"), Why: i18n.Msg("selfhelp.why.colleagues")}
	ev := b.verdictEvidence()
	if k := b.known; k != nil {
		s.Title = i18n.Msg("selfhelp.step.known_disruption")
		if k.Detected != nil {
			s.consider(scoreCause+10, detectedWhy(*k))
		} else {
			s.consider(scoreCause+10, i18n.Msg("selfhelp.why.known_disruption", "summary", k.Title))
		}
		if webURL(k.URL) {
			s.Action = Action{Kind: ActionOpenURL, Label: i18n.Msg("selfhelp.action.bulletin"), URL: k.URL}
		}
	}
	if f, ok := b.serviceFault(); ok {
		name := b.service(f.ID[len(diagnostics.ServicePrefix):]).Titles()
		switch code := httpStatus(f); {
		case code >= 500:
			s.consider(scoreCause, i18n.Msg("selfhelp.why.colleagues_server_error", "service", name, "status", code), ev...)
		case f.Reason == diagnostics.ReasonTLS:
			s.consider(scoreStrong, i18n.Msg("selfhelp.why.colleagues_tls", "service", name), ev...)
		case f.Reason == diagnostics.ReasonBodyStalled:
			s.consider(scoreStrong, i18n.Msg("selfhelp.why.colleagues_page_stalled", "service", name), ev...)
		default:
			s.consider(scoreStrong, i18n.Msg("selfhelp.why.colleagues_no_answer", "service", name), ev...)
		}
	}
	switch b.cause {
	case diagnostics.CauseInternetUnreach:
		s.consider(scoreCause, i18n.Msg("selfhelp.why.colleagues_internet"), ev...)
	case diagnostics.CauseVPNBroken:
		s.consider(scoreStrong, i18n.Msg("selfhelp.why.colleagues_vpn"), ev...)
	case diagnostics.CauseGatewayUnreachable, diagnostics.CauseDNSFailure, diagnostics.CausePathMTU, diagnostics.CauseProxyFailure:
		s.consider(scoreContact, i18n.Msg("selfhelp.why.colleagues_network"), ev...)
	}
	return s
}

// detectedWhy answers "is it only me?" from what the organisation's monitoring saw: how many
// others at the site have the same problem, and since when. This computer is among those
// counted, since the disruption explains its own verdict.
func detectedWhy(k diagnostics.Disruption) i18n.Message {
	key := "selfhelp.why.colleagues_detected"
	switch k.Detected.Cause {
	case diagnostics.CauseVPNDown, diagnostics.CauseVPNBroken, diagnostics.CauseVPNMTU:
		key += "_vpn"
	}
	others := k.Detected.Affected - 1
	if others <= 1 {
		key += "_one"
	}
	since := k.Started.Local()
	return i18n.Msg(key, "count", others, "time", i18n.Each(func(l string) string { return i18n.FormatTime(l, since) }))
}

// requestStep is the guide's path for what is not urgent: a pre-filled support request.
func (b *builder) requestStep() Step {
	s := Step{ID: StepRequest, Title: i18n.Msg("selfhelp.step.request"), Why: i18n.Msg("selfhelp.why.request")}
	if b.canRequest() {
		s.Action = Action{Kind: ActionRequest, Label: i18n.Msg("selfhelp.action.request")}
		if webURL(b.p.Support.PortalURL) {
			s.Action.URL = b.p.Support.PortalURL
		}
	} else {
		s.Why = i18n.Msg("selfhelp.why.request_intranet")
	}
	switch {
	case b.known != nil:
		// Support knows: a request would only repeat the bulletin, so the title no longer asks
		// "not urgent?" and then tells the user not to make one.
		s.Title = i18n.Msg("selfhelp.step.request_known")
		s.Why = i18n.Msg("selfhelp.why.request_known")
	case b.certificateWhy() != nil:
		s.consider(scoreContact, *b.certificateWhy(), b.verdictEvidence()...)
	case b.sharedFault():
		s.consider(scoreContact, s.Why, b.verdictEvidence()...)
	}
	return s
}

// certificateWhy tells the user that a service's certificate is for support to renew or fix,
// not their fault, when the verdict is about one; nil otherwise. A certificate that only looks
// wrong because this computer's clock is wrong is the clock step's.
func (b *builder) certificateWhy() *i18n.Message {
	if b.r == nil {
		return nil
	}
	if !b.r.Verdict.AboutCertificate() {
		return nil
	}
	for _, id := range b.verdictEvidence() {
		r, ok := b.result(id)
		if !ok || !strings.HasPrefix(id, diagnostics.ServicePrefix) {
			continue
		}
		title := b.service(strings.TrimPrefix(id, diagnostics.ServicePrefix)).Titles()
		m := i18n.Msg("selfhelp.why.request_certificate", "service", title)
		if days, ok := number(r, "days", ""); ok && r.Reason == diagnostics.ReasonCertExpiring {
			m = i18n.Msg("selfhelp.why.request_certificate_expiring", "service", title, "days", int(days))
		}
		return &m
	}
	return nil
}

// callStep is the guide's path for a disruption with a wide impact on one's work. Support, not
// the user, judges how wide or critical it is.
func (b *builder) callStep() Step {
	sup := b.p.Support
	s := Step{ID: StepCall, Title: i18n.Msg("selfhelp.step.call")}
	tel := TelURI(sup.Phone)
	switch {
	case tel == "":
		s.Why = i18n.Msg("selfhelp.why.call_intranet")
	case sup.PhoneHours != "":
		s.Why = i18n.Msg("selfhelp.why.call_hours", "phone", sup.Phone, "hours", sup.PhoneHours)
	default:
		s.Why = i18n.Msg("selfhelp.why.call", "phone", sup.Phone)
	}
	if tel != "" {
		s.Action = Action{Kind: ActionCall, Label: i18n.Msg("selfhelp.action.call", "phone", sup.Phone), URL: tel}
	}
	if b.sharedFault() && b.known == nil {
		s.consider(scoreContact, s.Why, b.verdictEvidence()...)
	}
	return s
}

// feedbackStep is the last rung: the survey, and how long the solution can be rejected.
func (b *builder) feedbackStep() Step {
	s := Step{ID: StepFeedback, Title: i18n.Msg("selfhelp.step.feedback"), Why: i18n.Msg("selfhelp.why.feedback_range")}
	if d := b.p.Support.FeedbackDays; d > 0 {
		s.Why = i18n.Msg("selfhelp.why.feedback", "days", d)
	}
	return s
}
