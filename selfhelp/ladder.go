// Package selfhelp turns a diagnosis into the support guide's ladder of advice (docs/architecture.md)
// and performs the one-click remedies: restart, log out, open a service, its sign-out page,
// another browser or the system's own page for updates.
//
// The ladder keeps the guide's order — restart, sign out and back in, another browser, the
// instructions, colleagues, the request or the phone, the feedback survey — but moves the steps
// the evidence speaks for to the top, each with a Why that names that evidence.
package selfhelp

import (
	"sort"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// Step IDs (stable: the windows, the tray and tests refer to them). A step about one service
// carries the same ID and names the service in Step.Service.
const (
	StepConnectNetwork   = "connect_network"
	StepReconnectNetwork = "reconnect_network"
	StepUseCable         = "use_cable"
	StepOpenLoginPage    = "open_login_page"
	StepReconnectVPN     = "reconnect_vpn"
	StepSyncClock        = "sync_clock"
	StepChangePassword   = "change_password" // steps_account.go
	StepRestart          = "restart"
	StepClosePrograms    = "close_programs"
	StepFreeDisk         = "free_disk"
	StepInstallUpdates   = "install_updates"
	StepReloginService   = "relogin_service"
	StepLogOut           = "log_out"
	StepOtherBrowser     = "other_browser"
	StepInstructions     = "instructions"
	StepColleagues       = "colleagues"
	StepRequest          = "request"
	StepCall             = "call"
	StepFeedback         = "feedback"
	// StepCustomCheck is the advice of a custom check that failed (Step.Check names it).
	StepCustomCheck = "custom_check"
)

// rank is a step's place in the guide's order; it breaks ties between equally strong evidence.
// The fixes for a named broken layer come before the guide's general steps.
var rank = map[string]int{
	StepCustomCheck:    0,
	StepConnectNetwork: 1, StepReconnectNetwork: 2, StepUseCable: 3, StepOpenLoginPage: 4,
	StepReconnectVPN: 5, StepSyncClock: 6, StepChangePassword: 7,
	StepRestart: 10, StepClosePrograms: 11, StepFreeDisk: 12, StepInstallUpdates: 13,
	StepReloginService: 20, StepLogOut: 21,
	StepOtherBrowser: 30,
	StepInstructions: 40,
	StepColleagues:   50,
	StepRequest:      60, StepCall: 61,
	StepFeedback: 70,
}

// Scores: how strongly the evidence speaks for a step. Zero means no evidence: the step is
// still in the ladder, in the guide's order, after the recommended ones.
const (
	// scoreCause: the step fixes the layer the verdict names.
	scoreCause = 100
	// scoreStrong: a finding of its own points straight at the step (a 401 from a service).
	scoreStrong = 80
	// scoreSupport: a finding makes the step worth trying (a long uptime beside another fault).
	scoreSupport = 60
	// scoreHelps: the step often helps with the verdict's cause, without proof.
	scoreHelps = 40
	// scoreHint: only the absence of faults hints at the step (everything here is healthy).
	scoreHint = 20
	// scoreContact: self-help cannot fix this fault; support has to.
	scoreContact = 30
)

// Step is one rung of the ladder.
type Step struct {
	ID string `json:"id"`
	// Service names the profile service the step is about; empty for a general step.
	Service string `json:"service,omitempty"`
	// Check names the custom check ([[checks]] id) the step is about.
	Check string       `json:"check,omitempty"`
	Title i18n.Message `json:"title"`
	// Why ties the step to the evidence ("your computer has been on for 23 days"), or says why
	// the guide suggests it when there is none.
	Why i18n.Message `json:"why"`
	// Note explains a missing button: no sign-out address, no other browser, no phone number.
	Note *i18n.Message `json:"note,omitempty"`
	// Evidence lists the IDs of the checks behind the step.
	Evidence []string `json:"evidence,omitempty"`
	// Score orders the ladder: higher first; zero means no evidence speaks for the step.
	Score       int  `json:"score"`
	Recommended bool `json:"recommended"`
	// Action is the step's button; Kind is ActionNone when it is advice only.
	Action Action `json:"action"`
	// More are further buttons: other browsers, other services, a second instructions page.
	More []Action `json:"more,omitempty"`
}

// Key identifies a step within a ladder: its ID, and the service for a per-service step.
func (s Step) Key() string {
	switch {
	case s.Check != "":
		return s.ID + ":" + s.Check
	case s.Service == "":
		return s.ID
	}
	return s.ID + ":" + s.Service
}

// ActionKind says what a step's button does.
type ActionKind string

// The kinds of action. Restart, log out and clean-up must be confirmed by the user before Do runs them.
const (
	ActionNone           ActionKind = "none"
	ActionRestart        ActionKind = "restart"
	ActionLogOut         ActionKind = "logout"
	ActionReloginService ActionKind = "relogin_service" // LogoutURL, then URL
	ActionOtherBrowser   ActionKind = "other_browser"   // URL in Browser
	ActionOpenURL        ActionKind = "open_url"        // instructions, a portal
	ActionCall           ActionKind = "call"            // URL is a tel: URI
	ActionRequest        ActionKind = "request"         // the non-urgent path: a pre-filled request; URL is the portal
	ActionOpenLoginPage  ActionKind = "open_login_page" // the network's captive portal
	ActionReconnectVPN   ActionKind = "reconnect_vpn"   // opens the VPN instructions: Apuri does not drive VPN clients
	ActionCleanUp        ActionKind = "clean_up"        // empties the trash and old temporary files (Remedies.CleanUp)
	ActionCustomFix      ActionKind = "custom_fix"      // runs a custom check's fix (Command), once confirmed
	ActionOpenUpdates    ActionKind = "open_updates"    // opens the system's own page for updates (Remedies.OpenUpdates)
)

// Action is a button. Its URLs have passed CheckURL: a profile cannot smuggle in file:// or a
// custom handler.
type Action struct {
	Kind  ActionKind   `json:"kind"`
	Label i18n.Message `json:"label"`
	URL   string       `json:"url,omitempty"`
	// LogoutURL is opened before URL by ActionReloginService.
	LogoutURL string `json:"logout_url,omitempty"`
	// Browser is where ActionOtherBrowser opens URL.
	Browser *Browser `json:"browser,omitempty"`
	// Confirm is the question to ask before acting; nil when none is needed.
	Confirm *i18n.Message `json:"confirm,omitempty"`
	// Check and Command are ActionCustomFix's: the custom check and its fix from the profile.
	Check   string   `json:"check,omitempty"`
	Command []string `json:"command,omitempty"`
}

// Option adds what the report cannot know to a ladder.
type Option func(*options)

type options struct {
	browsers      []Browser
	browsersKnown bool
	updatesPage   bool
	service       string
	goos          string
}

// WithBrowsers gives the installed browsers (Remedies.Browsers). Without it no step offers
// another browser, because the ladder cannot know that one exists.
func WithBrowsers(bs []Browser) Option {
	return func(o *options) { o.browsers, o.browsersKnown = bs, true }
}

// WithUpdatesPage says whether the system's own page for installing updates can be opened here
// (Remedies.CanOpenUpdates). Without it the step to install them has no button, because on
// Linux the ladder cannot know that a software centre is installed.
func WithUpdatesPage(ok bool) Option { return func(o *options) { o.updatesPage = ok } }

// ForService says which profile service the user has trouble with. A service that answers
// from here while the user cannot use it points at the session or the browser.
func ForService(name string) Option { return func(o *options) { o.service = name } }

// Ladder returns the support guide's steps for a report, the ones the evidence speaks for
// first, the rest in the guide's order. A nil report gives the plain guide.
func Ladder(r *diagnostics.Report, p *profile.Profile, opts ...Option) []Step {
	b := newBuilder(r, p, opts)
	var steps []Step
	steps = append(steps, b.customSteps()...)
	steps = append(steps, b.networkSteps()...)
	steps = append(steps, b.passwordSteps()...)
	steps = append(steps, b.localSteps()...)
	relogin := b.reloginSteps()
	steps = append(steps, relogin...)
	steps = append(steps, b.logOutStep(relogin))
	steps = append(steps, b.otherBrowserSteps()...)
	steps = append(steps, b.instructionsStep())
	steps = append(steps, b.colleaguesStep())
	steps = append(steps, b.requestStep(), b.callStep())
	steps = append(steps, b.feedbackStep())
	steps = b.userCertificateSteps(steps)
	for i := range steps {
		steps[i].Recommended = steps[i].Score > 0
		if steps[i].Action.Kind == "" {
			steps[i].Action.Kind = ActionNone
		}
	}
	sort.SliceStable(steps, func(i, j int) bool {
		if steps[i].Score != steps[j].Score {
			return steps[i].Score > steps[j].Score
		}
		return rank[steps[i].ID] < rank[steps[j].ID]
	})
	return steps
}
