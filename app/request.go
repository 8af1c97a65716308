package app

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/support"
)

// request is the support request window: the draft the agent wrote from the diagnosis, for
// the user to edit; a preview of exactly what will leave the machine; Send, the only thing
// that lets anything leave; and the state of this and earlier requests. The draft is saved
// through the agent on every change, so closing the window loses nothing, and the agent's
// outbox delivers it even after the window is gone.
type request struct {
	env    *env
	window fyne.Window

	info   agent.DraftInfo
	loaded bool // the form holds the draft; changes before this are the form filling itself

	intro       *widget.Label
	known       *widget.RichText // the known disruption behind the problem, if any
	summary     *widget.Entry
	description *widget.Entry
	category    *widget.Select
	urgency     *widget.RadioGroup
	rule        *widget.Label
	name        *widget.Entry
	email       *widget.Entry
	phone       *widget.Entry
	attach      *widget.Check
	notice      *widget.Label
	status      *widget.Label
	link        *widget.Hyperlink
	toSettings  *widget.Button // shown while the request waits for the channel's credentials
	feedback    *widget.Label
	history     *fyne.Container
	content     *fyne.Container

	previewButton *widget.Button
	send          *widget.Button

	// preview is the latest preview and previewOf the draft it shows: Send sends that very
	// bundle while the draft is unchanged.
	preview   *agent.Preview
	previewOf support.Draft

	// saving: one save runs at a time, and only the latest draft waiting is saved next.
	mu       sync.Mutex
	saveNext *support.Draft
	saving   bool
	// saveFailed: the notice says the draft was not saved; the next save that works clears it.
	saveFailed bool
}

func newRequest(e *env, w fyne.Window) *request {
	return &request{env: e, window: w}
}

func (r *request) buildUI() fyne.CanvasObject {
	e := r.env
	r.intro = wrapping(e.t("window.request.intro_loading"))
	r.known = richText()
	r.known.Hide()
	r.summary = widget.NewEntry()
	r.description = widget.NewMultiLineEntry()
	r.description.Wrapping = fyne.TextWrapWord
	r.description.SetMinRowsVisible(7)
	r.category = widget.NewSelect(nil, nil)
	r.urgency = widget.NewRadioGroup([]string{e.t("draft.urgency.normal"), e.t("draft.urgency.urgent")}, nil)
	// One under the other: side by side, the long labels would widen the window.
	r.urgency.Required = true
	r.rule = wrapping("")
	r.name = widget.NewEntry()
	r.email = widget.NewEntry()
	r.phone = widget.NewEntry()
	r.attach = widget.NewCheck(e.t("window.request.attach"), nil)
	r.attach.Checked = true

	form := widget.NewForm(
		widget.NewFormItem(e.t("window.request.summary"), r.summary),
		widget.NewFormItem(e.t("window.request.description"), r.description),
		widget.NewFormItem(e.t("window.request.category"), r.category),
		widget.NewFormItem(e.t("window.request.urgency"), container.NewVBox(r.urgency, r.rule)),
		widget.NewFormItem(e.t("window.request.name"), r.name),
		widget.NewFormItem(e.t("window.request.email"), r.email),
		widget.NewFormItem(e.t("window.request.phone"), r.phone),
		widget.NewFormItem("", r.attach),
	)

	r.feedback = caption("")
	r.feedback.Hide()
	r.history = container.NewVBox()
	r.notice = caption("")
	r.notice.Hide()
	r.status = bold("")
	r.status.Hide()
	r.link = widget.NewHyperlink("", nil)
	r.link.Hide()
	r.toSettings = widget.NewButtonWithIcon(e.t("window.request.open_settings"), theme.SettingsIcon(), func() {
		if err := e.agent.OpenWindow(e.ctx, WindowSettings); err != nil {
			showError(r.window, e.errorText(err))
		}
	})
	r.toSettings.Hide()

	r.previewButton = widget.NewButtonWithIcon(e.t("window.request.preview"), theme.VisibilityIcon(), r.onPreview)
	r.send = widget.NewButtonWithIcon(e.t("window.request.send"), theme.MailSendIcon(), r.onSend)
	r.send.Importance = widget.HighImportance
	buttons := container.NewHBox(layout.NewSpacer(), r.previewButton, r.send)

	body := container.NewVBox(r.known, r.intro, form, widget.NewSeparator(),
		heading(e.t("window.request.history")), r.feedback, r.history)
	r.content = container.NewBorder(nil,
		container.NewVBox(r.notice, container.NewHBox(r.status, r.link, r.toSettings), buttons), nil, nil,
		container.NewVScroll(body))

	for _, en := range []*widget.Entry{r.summary, r.description, r.name, r.email, r.phone} {
		en.OnChanged = func(string) { r.onChanged() }
	}
	r.category.OnChanged = func(string) { r.onChanged() }
	r.urgency.OnChanged = func(string) { r.onChanged() }
	r.attach.OnChanged = func(bool) { r.onChanged() }
	return container.NewPadded(r.content)
}

func (r *request) start() {
	e := r.env
	e.spawn(func() {
		info, err := e.agent.RequestDraft(e.ctx)
		e.do(func() {
			if err != nil {
				r.say(e.t("window.request.error_load", "error", e.errorText(err)))
			}
			r.fill(info)
		})
		r.loadOutbox()
	})
	e.follow(r.onUpdate, func() { r.say(e.t("window.request.agent_lost")) })
}

// onUpdate follows the agent: a request's state changed, or the window is asked to come up.
func (r *request) onUpdate(u agent.Update) {
	switch u.Kind {
	case agent.UpdateState:
		if r.loaded {
			r.env.spawn(r.loadOutbox)
		}
	case agent.UpdateRaise:
		if u.Window == WindowRequest {
			r.window.Show()
			r.window.RequestFocus()
		}
	}
}

// fill puts a draft into the form.
func (r *request) fill(info agent.DraftInfo) {
	e := r.env
	r.loaded = false
	r.info = info
	d := info.Draft
	where := e.t("outbox.channel." + channelName(info.Channel))
	r.intro.SetText(e.t("window.request.intro", "where", where))
	r.showKnown(info.Known)
	r.summary.SetText(d.Summary)
	r.description.SetText(d.Description)
	var labels []string
	for _, c := range info.Categories {
		labels = append(labels, e.t("draft.category."+c))
	}
	r.category.SetOptions(labels)
	if d.Category != "" {
		r.category.SetSelected(e.t("draft.category." + d.Category))
	}
	if d.Urgency == support.UrgencyUrgent {
		r.urgency.SetSelected(r.urgency.Options[1])
	} else {
		r.urgency.SetSelected(r.urgency.Options[0])
	}
	r.name.SetText(d.Contact.Name)
	r.email.SetText(d.Contact.Email)
	r.phone.SetText(d.Contact.Phone)
	r.attach.SetChecked(d.Attach || !info.Saved)
	r.showRule(info)
	if info.FeedbackDays > 0 {
		r.feedback.SetText(e.t("window.request.feedback_rule", "days", info.FeedbackDays))
		r.feedback.Show()
	}
	r.loaded = true
}

// channelName is a channel the translations know, so that the label is never a raw key.
func channelName(c string) string {
	switch c {
	case "email", "rt", "webhook":
		return c
	}
	return "portal"
}

// showKnown says, above the form, that support already knows of the disruption behind the
// problem, with its bulletin: the request may not be needed at all.
func (r *request) showKnown(k *diagnostics.Disruption) {
	if k == nil {
		r.known.Hide()
		return
	}
	e := r.env
	r.known.Segments = append(knownSegments(e, k), block(e.t("selfhelp.why.request_known"), fyne.TextStyle{}))
	r.known.Show()
	r.content.Refresh()
}

// showRule spells out the guide's rule for the urgency chosen: the phone, its number and hours.
func (r *request) showRule(info agent.DraftInfo) {
	if info.Rule.Key == "" {
		r.rule.SetText("")
		return
	}
	r.rule.SetText(r.env.msg(info.Rule))
}

// draft is what the form says now.
func (r *request) draft() support.Draft {
	d := r.info.Draft
	d.Summary = strings.TrimSpace(r.summary.Text)
	d.Description = r.description.Text
	for _, c := range r.info.Categories {
		if r.env.t("draft.category."+c) == r.category.Selected {
			d.Category = c
		}
	}
	d.Urgency = support.UrgencyNormal
	if len(r.urgency.Options) > 1 && r.urgency.Selected == r.urgency.Options[1] {
		d.Urgency = support.UrgencyUrgent
	}
	d.Contact = support.Contact{
		Name:  strings.TrimSpace(r.name.Text),
		Email: strings.TrimSpace(r.email.Text),
		Phone: strings.TrimSpace(r.phone.Text),
	}
	d.Attach = r.attach.Checked
	if d.Lang == "" {
		d.Lang = r.env.tr.Lang()
	}
	return d
}

// onChanged saves the draft after each change the user makes, and lets it be sent again.
func (r *request) onChanged() {
	if !r.loaded {
		return
	}
	r.preview = nil
	r.send.Enable()
	d := r.draft()
	r.mu.Lock()
	r.saveNext = &d
	busy := r.saving
	r.saving = true
	r.mu.Unlock()
	if busy {
		return
	}
	r.env.spawn(r.saveLoop)
}

// saveLoop saves the latest draft waiting until none waits; it runs off Fyne's thread.
func (r *request) saveLoop() {
	e := r.env
	for {
		r.mu.Lock()
		d := r.saveNext
		r.saveNext = nil
		if d == nil {
			r.saving = false
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		info, err := e.agent.SaveRequestDraft(e.ctx, *d)
		e.do(func() {
			if err != nil {
				r.saveFailed = true
				r.say(e.t("window.request.error_save", "error", e.errorText(err)))
				return
			}
			r.info.Rule = info.Rule
			r.showRule(info)
			if r.saveFailed {
				r.saveFailed = false
				r.say("")
			}
		})
	}
}

// say shows a short notice above the buttons, or hides it when text is empty.
func (r *request) say(text string) {
	r.notice.SetText(text)
	if text == "" {
		r.notice.Hide()
	} else {
		r.notice.Show()
	}
	if r.content != nil {
		r.content.Refresh()
	}
}

// valid says whether the draft can be sent, and why not in the notice.
func (r *request) valid(d support.Draft) bool {
	if m, ok := d.Validate(); !ok {
		r.say(r.env.msg(m))
		return false
	}
	return true
}

func (r *request) onPreview() {
	e := r.env
	d := r.draft()
	if !r.valid(d) {
		return
	}
	r.previewButton.Disable()
	e.spawn(func() {
		p, err := e.agent.PreviewRequest(e.ctx, agent.PreviewRequest{Draft: d})
		e.do(func() {
			r.previewButton.Enable()
			if err != nil {
				showError(r.window, e.t("window.request.error_preview", "error", e.errorText(err)))
				return
			}
			r.preview, r.previewOf = &p, d
			r.showPreview(p)
		})
	})
}

// showPreview shows exactly what will leave: the text, and each file of the bundle with what
// was removed from it. Its Send is the same as the window's.
func (r *request) showPreview(p agent.Preview) {
	e := r.env
	box := container.NewVBox()
	where := e.t("outbox.channel." + channelName(p.Channel))
	if p.Target != "" {
		where += " (" + p.Target + ")"
	}
	box.Add(wrapping(e.t("window.request.preview_goes", "where", where)))
	if p.Secret != nil && p.Secret.Problem != nil {
		box.Add(wrapping(e.msg(*p.Secret.Problem)))
	}
	text := wrapping(p.Text)
	text.TextStyle = fyne.TextStyle{Monospace: true}
	box.Add(text)
	if p.Bundle == nil {
		box.Add(bold(e.t("window.request.preview_no_bundle")))
	} else {
		box.Add(bold(e.t("window.request.preview_bundle", "file", p.Bundle.Name, "kb", e.number(float64(p.BundleSize)/1024, 1))))
		for _, f := range p.Bundle.Files {
			line := f.Name + " — " + e.t("window.request.preview_size", "kb", e.number(float64(f.Size)/1024, 1))
			if red := r.redactions(f.Redactions); red != "" {
				line += " — " + e.t("window.request.preview_redacted", "what", red)
			}
			box.Add(caption(line))
		}
		if red := r.redactions(p.Bundle.Redactions); red != "" {
			box.Add(wrapping(e.t("window.request.preview_redacted_total", "what", red)))
		}
	}
	content := widthAtLeast(560, container.NewGridWrap(fyne.NewSize(560, 380), container.NewVScroll(box)))
	dlg := dialog.NewCustomConfirm(e.t("window.request.preview_title"), e.t("window.request.send"),
		e.t("window.request.close"), content, func(ok bool) {
			if ok {
				r.onSend()
			}
		}, r.window)
	dlg.Show()
}

// redactions lists what was removed, by kind, as "e-mail addresses (2), IP addresses (3)".
func (r *request) redactions(m map[string]int) string {
	kinds := make([]string, 0, len(m))
	for k, n := range m {
		if n > 0 {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		// A kind the translations do not know yet shows by its own name.
		name := r.env.t("window.request.redact." + k)
		if strings.HasPrefix(name, "window.request.redact.") {
			name = k
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

// onSend hands the request to the agent: stored in its outbox, then the first attempt. This
// click is the only way anything leaves the machine.
func (r *request) onSend() {
	e := r.env
	d := r.draft()
	if !r.valid(d) {
		return
	}
	req := agent.SubmitRequest{Draft: d}
	if r.preview != nil && r.previewOf == d {
		req.PreviewID = r.preview.ID
	}
	r.send.Disable()
	r.say(e.t("window.request.sending"))
	e.spawn(func() {
		res, err := e.agent.SubmitRequest(e.ctx, req)
		e.do(func() {
			if err != nil {
				r.send.Enable()
				r.say("")
				showError(r.window, e.t("window.request.error_send", "error", e.errorText(err)))
				return
			}
			r.say("")
			r.showResult(res)
		})
		r.loadOutbox()
	})
}

// showResult shows the request's state after sending.
func (r *request) showResult(res agent.SubmitResult) {
	e := r.env
	en := res.Entry
	if res.Receipt != nil && en.Receipt == nil {
		en.Receipt = res.Receipt
	}
	r.status.SetText(r.stateText(en))
	r.status.Show()
	r.showLink(r.link, en)
	if en.Receipt != nil && en.Receipt.Clipboard != "" {
		e.clipboard().SetContent(en.Receipt.Clipboard)
	}
	if en.State == support.StateFailed || en.State == support.StateNeedsCredentials {
		r.send.Enable()
	}
	if en.State == support.StateNeedsCredentials {
		r.toSettings.Show()
	} else {
		r.toSettings.Hide()
	}
	r.content.Refresh()
}

// stateText is a request's state in words: where it is, its ticket, and what went wrong.
func (r *request) stateText(en support.Entry) string {
	e := r.env
	parts := []string{e.t("outbox.state." + stateName(en.State))}
	if en.Receipt != nil && en.Receipt.Ticket != "" {
		parts = []string{e.t("window.request.sent_ticket", "ticket", en.Receipt.Ticket)}
	}
	if en.Error != nil && !en.Done() {
		parts = append(parts, e.msg(*en.Error))
	}
	if en.Receipt != nil && en.Receipt.Note != nil {
		parts = append(parts, e.msg(*en.Receipt.Note))
	}
	return strings.Join(parts, " — ")
}

// stateName is a state the translations know.
func stateName(s support.State) string {
	switch s {
	case support.StateSending, support.StateWaiting, support.StateNeedsCredentials,
		support.StateFailed, support.StateSent, support.StateHandedOver:
		return string(s)
	}
	return string(support.StateQueued)
}

// showLink points l at the request's ticket, or hides it.
func (r *request) showLink(l *widget.Hyperlink, en support.Entry) {
	if en.Receipt == nil || en.Receipt.Link == "" {
		l.Hide()
		return
	}
	u, err := url.Parse(en.Receipt.Link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		l.Hide()
		return
	}
	l.SetText(r.env.t("window.request.open_ticket"))
	l.SetURL(u)
	l.Show()
}

// loadOutbox fetches what waits and the history; it runs off Fyne's thread.
func (r *request) loadOutbox() {
	e := r.env
	list, err := e.agent.Outbox(e.ctx)
	e.do(func() {
		if err != nil {
			r.history.RemoveAll()
			r.history.Add(caption(e.t("window.request.error_history", "error", e.errorText(err))))
			return
		}
		r.showHistory(list)
	})
}

// showHistory lists the requests waiting, then those sent, newest first, each with the
// guide's rule on rejecting its solution.
func (r *request) showHistory(list agent.OutboxList) {
	e := r.env
	r.history.RemoveAll()
	entries := append(append([]support.Entry(nil), list.Pending...), list.History...)
	if len(entries) == 0 {
		r.history.Add(caption(e.t("window.request.history_none")))
	}
	for i, en := range entries {
		if i > 0 {
			r.history.Add(widget.NewSeparator())
		}
		box := container.NewVBox(bold(en.Summary))
		when := e.t("window.request.history_line", "time", e.clock(en.Created),
			"channel", e.t("outbox.channel."+channelName(en.Channel)), "state", r.stateText(en))
		box.Add(caption(when))
		if en.Rule != nil {
			box.Add(caption(e.msg(*en.Rule)))
		}
		if en.Receipt != nil && en.Receipt.Link != "" {
			l := widget.NewHyperlink("", nil)
			r.showLink(l, en)
			box.Add(l)
		}
		r.history.Add(box)
	}
	r.history.Refresh()
}
