package selfhelp

import (
	"slices"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// passwordSteps: change the password when it has expired, or expires within the profile's
// password_warn_days. The button opens the organisation's page for it (support.password_url),
// else the general instructions; without either, a note says the instructions tell where. A
// locked account and an expired certificate have no step of their own: only support opens or
// renews them, and the ladder's contact steps follow.
func (b *builder) passwordSteps() []Step {
	r, ok := b.result(diagnostics.IDAccountPassword)
	if !ok {
		return nil
	}
	var why i18n.Message
	switch r.Reason {
	case diagnostics.ReasonPasswordExpired:
		why = i18n.Msg("selfhelp.why.password_expired")
	case diagnostics.ReasonPasswordExpiring:
		days, _ := number(r, "days", diagnostics.DetailDaysLeft)
		why = i18n.Msg("selfhelp.why.password_expiring", "days", int(days))
	default:
		return nil
	}
	score := scoreSupport
	if b.causeFrom(r.ID, diagnostics.CauseAccount) {
		score = scoreCause
	}
	s := Step{ID: StepChangePassword, Title: i18n.Msg("selfhelp.step.change_password")}
	s.consider(score, why, r.ID)
	switch sp := b.p.Support; {
	case webURL(sp.PasswordURL):
		s.Action = Action{Kind: ActionOpenURL, Label: i18n.Msg("selfhelp.action.change_password"), URL: sp.PasswordURL}
	case webURL(sp.InstructionsURL):
		s.Action = Action{Kind: ActionOpenURL, Label: i18n.Msg("selfhelp.action.open_instructions"), URL: sp.InstructionsURL}
	default:
		n := i18n.Msg("selfhelp.note.no_password_page")
		s.Note = &n
	}
	return []Step{s}
}

// userCertificateSteps reorders the ladder for a certificate of the user's own that has expired
// or soon will (the VPN's, a Wi-Fi network's): only support issues a new one, so the support
// request leads, with the reason, and reconnecting the VPN or restarting, which cannot help, are
// no longer recommended.
func (b *builder) userCertificateSteps(steps []Step) []Step {
	if b.r == nil || !b.r.Verdict.AboutUserCertificate() {
		return steps
	}
	canRequest := slices.ContainsFunc(steps, func(s Step) bool { return s.ID == StepRequest && s.Action.Kind == ActionRequest })
	out := steps[:0]
	for _, s := range steps {
		switch s.ID {
		case StepReconnectVPN:
			continue
		case StepRestart:
			s.Score, s.Why, s.Evidence = 0, i18n.Msg("selfhelp.why.restart"), nil
		case StepRequest:
			if canRequest {
				s.consider(scoreCause, i18n.Msg("selfhelp.why.request_user_certificate"), b.verdictEvidence()...)
			}
		case StepCall:
			// Without a way to make a request here, the phone is the way to a new certificate.
			score := scoreContact
			if !canRequest {
				score = scoreCause
			}
			s.consider(score, s.Why, b.verdictEvidence()...)
		}
		out = append(out, s)
	}
	return out
}
