package selfhelp

import (
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// The ladder's steps for a service that does not work while the connection does: sign in to
// it again, sign out of the computer, try another browser, read the instructions.

// healthy says whether the report found nothing wrong, so the trouble the user has is likely in
// the session or the browser.
func (b *builder) healthy() bool { return b.r != nil && b.cause == diagnostics.CauseHealthy }

// reloginSteps: one per suspect service, or one general step.
func (b *builder) reloginSteps() []Step {
	var steps []Step
	for _, sus := range b.suspects {
		s := Step{ID: StepReloginService, Service: sus.svc.Name, Title: i18n.Msg("selfhelp.step.relogin_named", "service", sus.svc.Titles())}
		s.consider(sus.score, sus.why, sus.evidence...)
		if a, ok := reloginAction(sus.svc, i18n.Msg("selfhelp.action.relogin")); ok {
			s.Action = a
		} else {
			n := i18n.Msg("selfhelp.note.no_logout_url", "service", sus.svc.Titles())
			s.Note = &n
		}
		steps = append(steps, s)
	}
	if len(steps) > 0 {
		return steps
	}
	s := Step{ID: StepReloginService, Title: i18n.Msg("selfhelp.step.relogin_service"), Why: i18n.Msg("selfhelp.why.relogin")}
	if b.healthy() {
		s.consider(scoreHint, i18n.Msg("selfhelp.why.relogin_healthy"))
	}
	for _, svc := range b.p.Services {
		if a, ok := reloginAction(svc, i18n.Msg("selfhelp.action.relogin_named", "service", svc.Titles())); ok && len(s.More) < maxMore {
			s.More = append(s.More, a)
		}
	}
	return []Step{s}
}

// reloginAction signs out through the service's logout_url, then opens the service again.
func reloginAction(svc profile.Service, label i18n.Message) (Action, bool) {
	if !webURL(svc.LogoutURL) || !webURL(svc.URL) {
		return Action{}, false
	}
	return Action{Kind: ActionReloginService, Label: label, URL: svc.URL, LogoutURL: svc.LogoutURL}, true
}

// logOutStep is the stronger form of signing out: out of the computer session.
func (b *builder) logOutStep(relogin []Step) Step {
	s := Step{ID: StepLogOut, Title: i18n.Msg("selfhelp.step.log_out"), Why: i18n.Msg("selfhelp.why.log_out")}
	best := 0
	var ev []string
	for _, r := range relogin {
		if r.Score > best {
			best, ev = r.Score, r.Evidence
		}
	}
	// Worth it only after signing out of the service did not help, so well below it.
	if best-scoreHelps > 0 {
		s.consider(best-scoreHelps, i18n.Msg("selfhelp.why.log_out"), ev...)
	}
	if remediesWork(b.o.goos) {
		c := i18n.Msg("selfhelp.confirm.logout")
		s.Action = Action{Kind: ActionLogOut, Label: i18n.Msg("selfhelp.action.logout"), Confirm: &c}
	}
	return s
}

// otherBrowserSteps: one per suspect service, or one general step.
func (b *builder) otherBrowserSteps() []Step {
	others := otherBrowsers(b.o.browsers)
	var noBrowser *i18n.Message
	if b.o.browsersKnown && len(others) == 0 {
		n := i18n.Msg("selfhelp.note.no_other_browser")
		noBrowser = &n
	}
	var steps []Step
	for _, sus := range b.suspects {
		s := Step{ID: StepOtherBrowser, Service: sus.svc.Name, Title: i18n.Msg("selfhelp.step.other_browser_named", "service", sus.svc.Titles())}
		s.consider(sus.score-10, sus.browser, sus.evidence...)
		switch {
		case noBrowser != nil:
			s.Note = noBrowser
		case len(others) > 0 && webURL(sus.svc.URL):
			for i, br := range others {
				a := browserAction(br, sus.svc.URL, i18n.Msg("selfhelp.action.open_in", "browser", br.Name))
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
	s := Step{ID: StepOtherBrowser, Title: i18n.Msg("selfhelp.step.other_browser"), Why: i18n.Msg("selfhelp.why.browser_default"), Note: noBrowser}
	if b.healthy() {
		s.consider(scoreHint-5, i18n.Msg("selfhelp.why.browser_healthy"))
	}
	if len(others) > 0 {
		for _, svc := range b.p.Services {
			if webURL(svc.URL) && len(s.More) < maxMore {
				s.More = append(s.More, browserAction(others[0], svc.URL,
					i18n.Msg("selfhelp.action.open_service_in", "service", svc.Titles(), "browser", others[0].Name)))
			}
		}
	}
	return []Step{s}
}

func browserAction(br Browser, u string, label i18n.Message) Action {
	br.cmd = nil // the action may cross the local API; Remedies finds the browser again by ID
	return Action{Kind: ActionOtherBrowser, Label: label, URL: u, Browser: &br}
}

// instructionsStep points at the service's own instructions, or the service portal's.
func (b *builder) instructionsStep() Step {
	s := Step{ID: StepInstructions, Title: i18n.Msg("selfhelp.step.instructions")}
	var actions []Action
	for _, sus := range b.suspects {
		if webURL(sus.svc.InstructionsURL) {
			if len(actions) == 0 {
				s.Service = sus.svc.Name
				s.Title = i18n.Msg("selfhelp.step.instructions_named", "service", sus.svc.Titles())
				s.Why = i18n.Msg("selfhelp.why.instructions_service", "service", sus.svc.Titles())
				if sus.svc.Name == b.o.service {
					s.consider(scoreHint, s.Why, sus.evidence...)
				}
			}
			actions = append(actions, openAction(sus.svc.InstructionsURL,
				i18n.Msg("selfhelp.action.open_instructions_named", "service", sus.svc.Titles())))
		}
	}
	sup := b.p.Support
	switch top, hasTop := b.link("top"); {
	case webURL(sup.InstructionsURL):
		actions = append(actions, openAction(sup.InstructionsURL, i18n.Msg("selfhelp.action.open_instructions")))
	case hasTop:
		actions = append(actions, openAction(top.URL, i18n.Msg("selfhelp.action.open_link", "name", top.Titles())))
	case webURL(sup.PortalURL):
		actions = append(actions, openAction(sup.PortalURL, i18n.Msg("selfhelp.action.open_link", "name", portalName(sup))))
	}
	if joiku, ok := b.link("joiku"); ok {
		actions = append(actions, openAction(joiku.URL, i18n.Msg("selfhelp.action.open_link", "name", joiku.Titles())))
	}
	if s.Why.Key == "" {
		s.Why = i18n.Msg("selfhelp.why.instructions")
		if len(actions) == 0 {
			s.Why = i18n.Msg("selfhelp.why.instructions_intranet")
		}
	}
	if len(actions) > 0 {
		s.Action = actions[0]
		s.More = truncate(actions[1:], maxMore)
	}
	return s
}

func openAction(u string, label i18n.Message) Action {
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
