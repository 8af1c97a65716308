package app

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/support"
)

// The request window once the user sends: the hand-over to the agent's outbox, the request's
// state and ticket link, and the history of earlier requests.

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
				r.keys.showError(e.t("window.request.error_send", "error", e.errorText(err)))
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
func (r *request) showLink(l *keyLink, en support.Entry) {
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
			l := r.keys.link("", nil)
			r.showLink(l, en)
			box.Add(l)
		}
		if stuck(en) {
			box.Add(r.stuckButtons(en))
		}
		r.history.Add(box)
	}
	r.history.Refresh()
}

// stuck says whether a request waits for the user: refused, without credentials, or stored in
// a form that could not be read. Those offer "Try again" and "Discard", so nothing is silently
// lost or left waiting for ever.
func stuck(en support.Entry) bool {
	if en.Done() {
		return false
	}
	return en.Damaged || en.State == support.StateFailed || en.State == support.StateNeedsCredentials
}

// stuckButtons are the two ways out for a stuck request.
func (r *request) stuckButtons(en support.Entry) *fyne.Container {
	e := r.env
	ref, summary := en.Ref, en.Summary
	retry := r.keys.button(e.t("window.request.retry"), nil, nil)
	discard := r.keys.button(e.t("window.request.discard"), nil, nil)
	retry.OnTapped = func() {
		retry.Disable()
		discard.Disable()
		e.spawn(func() {
			_, err := e.agent.RetryRequest(e.ctx, ref)
			e.do(func() {
				if err != nil {
					r.keys.showError(e.t("window.request.error_retry", "error", e.errorText(err)))
				}
			})
			r.loadOutbox()
		})
	}
	discard.OnTapped = func() {
		r.keys.confirm(e.t("window.request.discard_title"),
			widthAtLeast(360, wrapping(e.t("window.request.discard_text", "summary", summary))),
			e.t("window.fyne.yes"), theme.DeleteIcon(), e.t("window.fyne.no"),
			func() {
				retry.Disable()
				discard.Disable()
				e.spawn(func() {
					err := e.agent.DiscardRequest(e.ctx, ref)
					e.do(func() {
						if err != nil {
							r.keys.showError(e.t("window.request.error_discard", "error", e.errorText(err)))
						}
					})
					r.loadOutbox()
				})
			})
	}
	return container.NewHBox(retry, discard)
}
