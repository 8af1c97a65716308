package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
)

// help is the "What can I do?" window: the support guide's ladder (docs/architecture.md) for the latest
// diagnosis, the steps the evidence speaks for first, each with why and a button where one helps.
type help struct {
	env    *env
	window fyne.Window
	keys   *keyboard

	banner   *banner
	headline *widget.Label
	intro    *widget.Label
	list     *fyne.Container
	notice   *widget.Label
	content  *fyne.Container

	profile     *profile.Profile
	browsers    []selfhelp.Browser
	updatesPage bool // the system's page for updates can be opened
	known       bool // browsers and the updates page were looked for
	report      *diagnostics.Report
	running     bool
	started     bool
	steps       []selfhelp.Step
	confirm     *countdown // the latest restart or log-out confirmation
}

func newHelp(e *env, w fyne.Window) *help {
	// The embedded default until the agent says which profile is in use: the ladder needs one.
	return &help{env: e, window: w, keys: newKeyboard(e, w), profile: profile.Default()}
}

func (h *help) buildUI() fyne.CanvasObject {
	h.headline = heading(h.env.t("window.help.heading"))
	h.intro = wrapping(h.env.t("window.help.intro_checking"))
	h.banner = newBanner(container.NewVBox(h.headline, h.intro))
	h.banner.set("")
	h.list = container.NewVBox()
	h.notice = caption("")
	h.notice.Hide()
	// In reading order, which Tab follows: the verdict, the steps, then the notes.
	scroll := container.NewVScroll(h.list)
	bottom := container.NewVBox(h.notice, h.keys.hintLabel())
	h.content = container.New(layout.NewBorderLayout(h.banner.box, bottom, nil, nil), h.banner.box, scroll, bottom)
	h.render()
	return container.NewPadded(h.content)
}

func (h *help) start() {
	e := h.env
	e.spawn(func() {
		l, err := e.agent.Profile(e.ctx)
		if err == nil && l.Profile != nil {
			e.do(func() { h.onProfile(l.Profile) })
		}
	})
	e.spawn(func() {
		bs := e.remedies.Browsers(e.ctx)
		updates := e.remedies.CanOpenUpdates()
		e.do(func() { h.onRemedies(bs, updates) })
	})
	e.follow(h.onUpdate, h.onAgentLost)
}

func (h *help) onProfile(p *profile.Profile) {
	h.profile = p
	h.render()
}

// onRemedies takes what only the computer can tell: its browsers, and whether it has a page for
// installing updates that a button can open.
func (h *help) onRemedies(bs []selfhelp.Browser, updatesPage bool) {
	h.browsers, h.updatesPage, h.known = bs, updatesPage, true
	h.render()
}

func (h *help) onUpdate(u agent.Update) {
	switch u.Kind {
	case agent.UpdateState:
		if u.State == nil {
			return
		}
		st := u.State
		h.running = st.Running
		if st.Report != nil && !st.Running {
			h.report = st.Report
		}
		if st.Report == nil && !st.Running && !h.started {
			// No diagnosis yet: run one, so the steps can follow the evidence.
			h.started = true
			h.running = true
			h.env.spawn(func() { _, _ = h.env.agent.StartDiagnosis(h.env.ctx) })
		}
		h.render()
	case agent.UpdateRaise:
		if u.Window == WindowHelp {
			h.window.Show()
			h.window.RequestFocus()
		}
	}
}

func (h *help) onAgentLost() {
	h.running = false
	h.notice.SetText(h.env.t("window.agent_lost"))
	h.notice.Show()
	h.render()
}

// render rebuilds the ladder from the report, the profile and the remedies at hand.
func (h *help) render() {
	e := h.env
	var opts []selfhelp.Option
	if h.known {
		opts = append(opts, selfhelp.WithBrowsers(h.browsers), selfhelp.WithUpdatesPage(h.updatesPage))
	}
	h.steps = selfhelp.Ladder(h.report, h.profile, opts...)

	switch {
	case h.running || h.report == nil:
		h.banner.set("")
		h.headline.SetText(e.t("window.help.heading"))
		h.intro.SetText(e.t("window.help.intro_checking"))
	default:
		h.banner.set(h.report.Verdict.Status)
		h.headline.SetText(e.msg(h.report.Verdict.Message))
		h.intro.SetText(e.t("window.help.intro"))
	}

	h.list.RemoveAll()
	h.keys.forget(func(string) bool { return false })
	h.keys.setDefault(nil)
	first, others := 0, 0
	for _, s := range h.steps {
		if s.Recommended {
			first++
		} else {
			others++
		}
	}
	n, highlighted := 0, false
	for i, s := range h.steps {
		switch {
		case i == 0 && first > 0:
			h.list.Add(heading(e.t("window.help.recommended")))
		case !s.Recommended && n == first:
			if first > 0 {
				h.list.Add(widget.NewSeparator())
			}
			h.list.Add(heading(e.t("window.help.others")))
		}
		n++
		// The first button of the recommended steps is the one to press.
		first := s.Recommended && !highlighted && s.Action.Kind != selfhelp.ActionNone && s.Action.Kind != ""
		highlighted = highlighted || first
		h.list.Add(h.stepUI(n, s, first))
	}
	h.content.Refresh()
}

// stepUI is one rung: its number and title, why it may help, a note, and its buttons.
func (h *help) stepUI(n int, s selfhelp.Step, first bool) fyne.CanvasObject {
	e := h.env
	text := richText(block(fmt.Sprintf("%d. %s", n, e.msg(s.Title)), fyne.TextStyle{Bold: true}))
	if s.Why.Key != "" {
		text.Segments = append(text.Segments, block(e.msg(s.Why), fyne.TextStyle{}))
	}
	if s.Note != nil {
		text.Segments = append(text.Segments, block(e.msg(*s.Note), fyne.TextStyle{Italic: true}))
	}
	box := container.NewVBox(text)
	var buttons []fyne.CanvasObject
	if s.Action.Kind != selfhelp.ActionNone && s.Action.Kind != "" {
		b := h.actionButton(s, s.Action)
		if first {
			// The button to press: Enter presses it, and it has an access key.
			b.Importance = widget.HighImportance
			h.keys.setDefault(b)
			h.keys.addButton(b)
		} else if s.Action.Kind == selfhelp.ActionRequest {
			h.keys.addButton(b)
		}
		buttons = append(buttons, b)
	}
	for _, a := range s.More {
		buttons = append(buttons, h.actionButton(s, a))
	}
	if len(buttons) > 0 {
		// Indented under the text, which has its own inner padding.
		box.Add(container.New(layout.NewCustomPaddedLayout(0, 0, theme.InnerPadding(), 0),
			buttonRow(buttons...)))
	}
	return container.New(layout.NewCustomPaddedLayout(0, theme.Padding()*2, 0, 0), box)
}

func (h *help) actionButton(s selfhelp.Step, a selfhelp.Action) *keyButton {
	return h.keys.button(h.env.msg(a.Label), actionIcon(a.Kind), func() { h.onAction(s, a) })
}

// phoneIcon is the Call buttons' icon, recoloured like Fyne's own icons to the theme.
var phoneIcon = theme.NewThemedResource(fyne.NewStaticResource("phone.svg", assets.PhoneIcon))

func actionIcon(k selfhelp.ActionKind) fyne.Resource {
	switch k {
	case selfhelp.ActionRestart:
		return theme.ViewRefreshIcon()
	case selfhelp.ActionLogOut, selfhelp.ActionReloginService:
		return theme.LogoutIcon()
	case selfhelp.ActionCall:
		return phoneIcon
	case selfhelp.ActionRequest:
		return theme.MailComposeIcon()
	case selfhelp.ActionOpenURL, selfhelp.ActionReconnectVPN:
		return theme.HelpIcon()
	case selfhelp.ActionCleanUp:
		return theme.DeleteIcon()
	case selfhelp.ActionCustomFix:
		return theme.SettingsIcon()
	case selfhelp.ActionOpenUpdates:
		return theme.DownloadIcon()
	}
	return theme.ComputerIcon()
}

// onAction handles a step's button: restart, log out, clean-up and a custom check's fix ask
// first, the rest act at once (opening the updates page only opens a window).
func (h *help) onAction(s selfhelp.Step, a selfhelp.Action) {
	switch a.Kind {
	case selfhelp.ActionRestart:
		h.confirmRestart(s, a)
	case selfhelp.ActionLogOut, selfhelp.ActionCleanUp:
		h.confirmFirst(s, a)
	case selfhelp.ActionCustomFix:
		h.confirmFix(a)
	case selfhelp.ActionRequest:
		h.openRequest(a)
	default:
		h.perform(a)
	}
}

// openRequest opens the request window, which writes the request from the diagnosis; when the
// agent cannot open it, the portal opens instead, so the user still gets to make the request.
func (h *help) openRequest(a selfhelp.Action) {
	e := h.env
	e.spawn(func() {
		if err := e.agent.OpenWindow(e.ctx, WindowRequest); err == nil {
			return
		}
		if err := e.remedies.Do(e.ctx, a); err != nil {
			e.do(func() { h.keys.showError(e.msg(selfhelp.ErrorMessage(err))) })
		}
	})
}

// confirmRestart asks with a countdown: the restart happens at zero or on the button, never
// after Cancel.
func (h *help) confirmRestart(s selfhelp.Step, a selfhelp.Action) {
	question := h.env.msg(s.Title)
	if a.Confirm != nil {
		question = h.env.msg(*a.Confirm)
	}
	h.confirm = newCountdown(h.env, h.keys, h.env.msg(s.Title), question, h.env.msg(a.Label),
		actionIcon(a.Kind), restartSeconds, func() { h.perform(a) })
	h.confirm.start()
}

// confirmFirst asks before ending the session or removing files; nothing happens until the
// user says so.
func (h *help) confirmFirst(s selfhelp.Step, a selfhelp.Action) {
	question := h.env.msg(s.Title)
	if a.Confirm != nil {
		question = h.env.msg(*a.Confirm)
	}
	h.confirm = newCountdown(h.env, h.keys, h.env.msg(s.Title), question, h.env.msg(a.Label),
		actionIcon(a.Kind), 0, func() { h.perform(a) })
	h.confirm.start()
}

// confirmFix shows the command a custom check's fix runs and asks before running it; the
// dialog is titled by the check, as the step itself reads the organisation's whole advice.
func (h *help) confirmFix(a selfhelp.Action) {
	if a.Confirm == nil {
		return // a fix is never run unasked
	}
	title := h.env.msg(i18n.Msg("selfhelp.step.custom_fix", "title", a.Confirm.Args["title"]))
	h.confirm = newCountdown(h.env, h.keys, title, h.env.msg(*a.Confirm), h.env.msg(a.Label),
		actionIcon(a.Kind), 0, func() { h.perform(a) })
	h.confirm.start()
}

// perform runs a remedy off Fyne's thread and says so when it fails; the clean-up also says
// how much it freed.
func (h *help) perform(a selfhelp.Action) {
	e := h.env
	e.spawn(func() {
		if a.Kind == selfhelp.ActionCleanUp {
			c, err := e.remedies.CleanUp(e.ctx)
			e.do(func() {
				if err != nil && c.Files == 0 {
					h.keys.showError(e.msg(selfhelp.ErrorMessage(err)))
					return
				}
				h.keys.showMessage(e.msg(a.Label), e.msg(c.Message()))
			})
			return
		}
		if err := e.remedies.Do(e.ctx, a); err != nil {
			e.do(func() { h.keys.showError(e.msg(selfhelp.ErrorMessage(err))) })
		}
	})
}
