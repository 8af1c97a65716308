package app

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// One check's row in the details window: its status, name and summary, opening to how long it
// took, its structured details and captured log lines.

// checkRow is one check in the details: status icon, name and summary, opening to how long it
// took, its structured details and captured log lines. The row shows one figure, the one in its
// sentence ("answers (45 ms)"): the time the check took is a different number, and read side by
// side the two would contradict each other.
type checkRow struct {
	env     *env
	keys    *keyboard
	id      string
	title   map[string]string // a service's title from the profile, nil for Apuri's own checks
	icon    *widget.Icon
	name    *widget.Label
	summary *widget.Label
	toggle  *keyButton
	more    *fyne.Container
	moreBox fyne.CanvasObject
	box     *fyne.Container
	result  *diagnostics.Result
	open    bool
	// resized is called after the row opened or closed, so the list makes room.
	resized func()
}

// nameWidth is the width of the name column: the longest name in every language fits on one
// or two lines.
const nameWidth = 170

func newCheckRow(e *env, k *keyboard, id string, title map[string]string) *checkRow {
	return &checkRow{env: e, keys: k, id: id, title: title}
}

func (r *checkRow) buildUI() fyne.CanvasObject {
	r.icon = widget.NewIcon(statusIcon(""))
	r.name = bold(diagnostics.CheckName(r.env.tr, r.id, r.title))
	r.summary = wrapping(r.env.t("window.details.row_checking"))
	r.toggle = r.keys.button("", theme.MenuExpandIcon(), r.onToggle)
	r.toggle.Importance = widget.LowImportance
	r.toggle.Disable()
	r.more = container.NewVBox()
	// The details sit under the summary, indented as far as it is.
	r.moreBox = container.New(layout.NewCustomPaddedLayout(0, theme.Padding(), nameWidth+theme.IconInlineSize()+theme.Padding(), 0), r.more)
	r.moreBox.Hide()
	line := container.NewBorder(nil, nil,
		container.NewHBox(container.NewVBox(layout.NewSpacer(), r.icon, layout.NewSpacer()), fixedWidth(nameWidth, r.name)),
		container.NewVBox(layout.NewSpacer(), r.toggle, layout.NewSpacer()),
		r.summary)
	r.box = container.New(layout.NewCustomPaddedVBoxLayout(0), line, r.moreBox)
	return r.box
}

func (r *checkRow) setChecking() {
	r.result = nil
	r.icon.SetResource(statusIcon(""))
	r.summary.SetText(r.env.t("window.details.row_checking"))
	r.toggle.Disable()
}

func (r *checkRow) setResult(res *diagnostics.Result) {
	r.result = res
	r.icon.SetResource(statusIcon(res.Status))
	r.summary.SetText(res.Summary)
	r.toggle.Enable()
	if r.open {
		r.fillMore()
	}
}

// onToggle opens or closes the row's details.
func (r *checkRow) onToggle() {
	if r.result == nil {
		return
	}
	r.open = !r.open
	if r.open {
		r.fillMore()
		r.moreBox.Show()
		r.toggle.SetIcon(theme.MenuDropDownIcon())
	} else {
		r.moreBox.Hide()
		r.toggle.SetIcon(theme.MenuExpandIcon())
	}
	r.box.Refresh()
	if r.resized != nil {
		r.resized()
	}
}

// fillMore lays out the result's details, key by key, and its log lines.
func (r *checkRow) fillMore() {
	r.more.RemoveAll()
	res := r.result
	keys := make([]string, 0, len(res.Details))
	for k := range res.Details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	took := time.Duration(res.DurationMS) * time.Millisecond
	r.more.Add(caption(r.env.t("window.details.took", "duration", i18n.FormatDuration(r.env.tr.Lang(), took))))
	if len(keys) > 0 {
		form := container.New(layout.NewFormLayout())
		for _, k := range keys {
			key := widget.NewLabel(k)
			val := widget.NewLabel(detailText(r.env.tr.Lang(), res.Details[k]))
			val.Wrapping = fyne.TextWrapWord
			form.Add(key)
			form.Add(val)
		}
		r.more.Add(form)
	}
	if len(res.Log) > 0 {
		r.more.Add(bold(r.env.t("window.details.log")))
		log := widget.NewLabel(strings.Join(res.Log, "\n"))
		log.TextStyle = fyne.TextStyle{Monospace: true}
		log.SizeName = theme.SizeNameCaptionText
		log.Wrapping = fyne.TextWrapWord
		r.more.Add(log)
	}
	if len(keys) == 0 && len(res.Log) == 0 {
		r.more.Add(wrapping(r.env.t("window.details.no_details")))
	}
}

// detailText shows one structured detail: plain values as they are, a text per language (a
// custom check's advice) in lang, lists and tables as JSON.
func detailText(lang string, v any) string {
	if l, ok := localizedText(v); ok {
		return l.In(lang)
	}
	switch v := v.(type) {
	case nil:
		return "–"
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool, int, int64, uint64, float32:
		return fmt.Sprint(v)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// localizedText recognises a text per language, in process (map[string]string) or after JSON
// (map[string]any): an object whose keys are all languages and whose values are all text.
func localizedText(v any) (i18n.Localized, bool) {
	out := i18n.Localized{}
	switch m := v.(type) {
	case map[string]string:
		for k, s := range m {
			out[k] = s
		}
	case map[string]any:
		for k, x := range m {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out[k] = s
		}
	default:
		return nil, false
	}
	for k := range out {
		if !i18n.Supported(k) {
			return nil, false
		}
	}
	return out, len(out) > 0
}
