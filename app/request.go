package app

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	keys   *keyboard

	info   agent.DraftInfo
	loaded bool // the form holds the draft; changes before this are the form filling itself

	intro       *widget.Label
	known       *widget.RichText // the known disruption behind the problem, if any
	summary     *keyEntry
	description *keyEntry
	category    *keySelect
	urgency     *keyRadio
	rule        *widget.Label
	name        *keyEntry
	email       *keyEntry
	phone       *keyEntry
	attach      *keyCheck
	notice      *widget.Label
	status      *widget.Label
	link        *keyLink
	toSettings  *keyButton // shown while the request waits for the channel's credentials
	feedback    *widget.Label
	history     *fyne.Container
	content     *fyne.Container
	// scroll holds the form and, below it, the history; toHistory in the bottom bar scrolls to
	// historyHeading, so earlier requests are one press away at any window size.
	scroll         *container.Scroll
	historyHeading *widget.Label
	toHistory      *keyButton

	previewButton *keyButton
	send          *keyButton

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
	return &request{env: e, window: w, keys: newKeyboard(e, w)}
}

func (r *request) buildUI() fyne.CanvasObject {
	e := r.env
	r.intro = wrapping(e.t("window.request.intro_loading"))
	r.known = richText()
	r.known.Hide()
	k := r.keys
	r.summary = k.entry(false)
	r.description = k.entry(true)
	r.description.SetMinRowsVisible(7)
	r.category = k.selectMenu(nil, nil)
	// One under the other: side by side, the long labels would widen the window.
	r.urgency = k.radio([]string{e.t("draft.urgency.normal"), e.t("draft.urgency.urgent")}, nil)
	r.rule = wrapping("")
	r.name = k.entry(false)
	r.email = k.entry(false)
	r.phone = k.entry(false)
	r.attach = k.check(e.t("window.request.attach"), nil)
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
	r.link = k.link("", nil)
	r.link.Hide()
	r.toSettings = k.button(e.t("window.request.open_settings"), theme.SettingsIcon(), func() {
		if err := e.agent.OpenWindow(e.ctx, WindowSettings); err != nil {
			k.showError(e.errorText(err))
		}
	})
	r.toSettings.Hide()

	r.previewButton = k.button(e.t("window.request.preview"), theme.VisibilityIcon(), r.onPreview)
	r.send = k.button(e.t("window.request.send"), theme.MailSendIcon(), r.onSend)
	r.send.Importance = widget.HighImportance
	r.toHistory = k.button(e.t("window.request.to_history"), theme.HistoryIcon(), r.onToHistory)
	for _, b := range []*keyButton{r.toHistory, r.previewButton, r.send} {
		k.addButton(b)
	}
	// Enter sends when nothing has the focus: in a field, Enter belongs to the field.
	k.setDefault(r.send)
	buttons := buttonBar([]fyne.CanvasObject{r.toHistory}, r.previewButton, r.send)

	r.historyHeading = heading(e.t("window.request.history"))
	body := container.NewVBox(r.known, r.intro, form, widget.NewSeparator(),
		r.historyHeading, r.feedback, r.history)
	r.scroll = container.NewVScroll(body)
	r.content = container.NewBorder(nil,
		container.NewVBox(r.notice, container.NewHBox(r.status, r.link, r.toSettings), buttons, k.hintLabel()), nil, nil,
		r.scroll)

	for _, en := range []*keyEntry{r.summary, r.description, r.name, r.email, r.phone} {
		en.OnChanged = func(string) { r.onChanged() }
	}
	r.category.OnChanged = func(string) { r.onChanged() }
	r.urgency.OnChanged = func(string) { r.onChanged() }
	r.attach.OnChanged = func(bool) { r.onChanged() }
	return container.NewPadded(r.content)
}

// onToHistory scrolls the history of earlier requests into view, its heading at the top.
func (r *request) onToHistory() {
	r.scroll.ScrollToOffset(fyne.NewPos(0, r.historyHeading.Position().Y))
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
	r.known.Segments = append(knownSegments(r.keys, k), block(e.t("selfhelp.why.request_known"), fyne.TextStyle{}))
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
