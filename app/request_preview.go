package app

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/apuri-project/apuri/agent"
)

// The request window's preview: exactly what will leave the machine, the text and each file
// of the bundle with what was removed from it, before the user sends.

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
				r.keys.showError(e.t("window.request.error_preview", "error", e.errorText(err)))
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
	// The text scrolls; the dialog takes the room it wants when the window has it.
	content := container.NewVScroll(widthAtLeast(300, box))
	d := r.keys.confirm(e.t("window.request.preview_title"), content,
		e.t("window.request.send"), theme.MailSendIcon(), e.t("window.request.close"), r.onSend)
	r.keys.fitDialog(d, fyne.NewSize(640, 520))
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
