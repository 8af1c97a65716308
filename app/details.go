package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
)

// details is the details window: live progress while the checks run (each row turns from
// "checking" to its result), then the verdict with its advice and every check's result, each
// opening to its details and log.
type details struct {
	env    *env
	window fyne.Window

	banner   *banner
	headline *widget.Label
	when     *widget.Label
	progress *widget.ProgressBar
	advice   *widget.RichText
	list     *fyne.Container
	scroll   *container.Scroll
	notice   *widget.Label
	content  *fyne.Container
	timeline *timelineView
	known    *knownView
	body     *fyne.Container // the known disruptions and the timeline above the rows

	runAgain   *widget.Button
	copyReport *widget.Button
	help       *widget.Button

	rows    map[string]*checkRow
	order   []string
	run     uint64
	running bool
	report  *diagnostics.Report // the latest finished diagnosis, localized
	started bool                // a diagnosis was asked for because there was none
}

func newDetails(e *env, w fyne.Window) *details {
	return &details{env: e, window: w, rows: map[string]*checkRow{}}
}

func (d *details) buildUI() fyne.CanvasObject {
	e := d.env
	d.headline = heading(e.t("window.details.checking"))
	d.when = caption("")
	d.when.Hide()
	d.progress = widget.NewProgressBar()
	d.progress.TextFormatter = func() string {
		return e.t("window.details.progress", "done", int(d.progress.Value), "total", int(d.progress.Max))
	}
	d.progress.Hide()
	d.advice = richText()
	d.advice.Hide()
	d.banner = newBanner(container.NewVBox(d.headline, d.when, d.progress, d.advice))
	d.banner.set("")

	d.list = container.NewVBox()
	d.timeline = newTimelineView(e)
	d.known = newKnownView(e)
	d.body = container.NewVBox(d.known.buildUI(), d.timeline.buildUI(), d.list)
	d.scroll = container.NewVScroll(d.body)

	d.runAgain = widget.NewButtonWithIcon(e.t("window.details.run_again"), theme.ViewRefreshIcon(), d.onRunAgain)
	d.copyReport = widget.NewButtonWithIcon(e.t("window.details.copy_report"), theme.ContentCopyIcon(), d.onCopyReport)
	d.copyReport.Disable()
	d.help = widget.NewButtonWithIcon(e.t("window.details.what_can_i_do"), theme.HelpIcon(), d.onHelp)
	d.help.Importance = widget.HighImportance
	d.notice = caption("")
	d.notice.Hide()
	buttons := container.NewHBox(d.runAgain, d.copyReport, layout.NewSpacer(), d.help)

	d.content = container.NewBorder(d.banner.box, container.NewVBox(d.notice, buttons), nil, nil, d.scroll)
	return container.NewPadded(d.content)
}

// say shows a short notice above the buttons, or hides it when text is empty.
func (d *details) say(text string) {
	d.notice.SetText(text)
	if text == "" {
		d.notice.Hide()
	} else {
		d.notice.Show()
	}
	if d.content != nil {
		d.content.Refresh()
	}
}

func (d *details) start() {
	d.env.follow(d.onUpdate, d.onAgentLost)
	d.env.spawn(d.loadTimeline)
}

// loadTimeline fetches the last 24 hours of the connection; it runs off Fyne's thread.
func (d *details) loadTimeline() {
	e := d.env
	t, err := e.agent.Timeline(e.ctx, time.Time{})
	e.do(func() {
		if err != nil {
			d.timeline.showError(e.t("window.timeline.error", "error", e.errorText(err)))
		} else {
			d.timeline.show(t)
		}
		d.body.Refresh()
		d.scroll.Refresh()
	})
}

// onUpdate applies one update of the agent.
func (d *details) onUpdate(u agent.Update) {
	switch u.Kind {
	case agent.UpdateState:
		if u.State != nil {
			d.showState(*u.State)
		}
	case agent.UpdateProgress:
		if u.Event == nil {
			return
		}
		if !d.running || u.Run != d.run {
			d.startRun(u.Run)
		}
		d.showEvent(*u.Event)
		d.showProgress()
	case agent.UpdateWatch:
		// The connection changed: the picture gains an incident or its end.
		d.env.spawn(d.loadTimeline)
	case agent.UpdateRaise:
		if u.Window == WindowDetails {
			d.window.Show()
			d.window.RequestFocus()
		}
	}
}

// showState redraws from a whole state: the first update, and after every change.
func (d *details) showState(st agent.State) {
	if d.known.show(st.Disruptions) {
		d.relayout()
	}
	if st.Running {
		if !d.running || st.Run != d.run {
			d.startRun(st.Run)
		}
		for _, ev := range st.Progress {
			d.showEvent(ev)
		}
		d.showProgress()
		return
	}
	d.running = false
	d.progress.Hide()
	d.runAgain.Enable()
	if st.Report == nil {
		if !d.started {
			// Nothing to show yet: find out now rather than show an empty window.
			d.started = true
			d.onRunAgain()
		}
		return
	}
	d.showReport(st.Report)
}

// startRun clears the rows for a new diagnosis.
func (d *details) startRun(run uint64) {
	d.run, d.running = run, true
	d.rows = map[string]*checkRow{}
	d.order = nil
	d.list.RemoveAll()
	d.advice.Hide()
	d.banner.set("")
	d.headline.SetText(d.env.t("window.details.checking"))
	d.when.SetText("")
	d.when.Hide()
	d.progress.Show()
	d.runAgain.Disable()
	d.say("")
	d.content.Refresh()
}

// showEvent updates (or adds) the row of one check.
func (d *details) showEvent(ev diagnostics.Event) {
	row := d.row(ev.ID)
	if ev.Kind == diagnostics.EventFinished && ev.Result != nil {
		res := *ev.Result
		res.Summary = d.env.msg(res.Message)
		row.setResult(&res)
		return
	}
	row.setChecking()
}

func (d *details) showProgress() {
	done := 0
	for _, r := range d.rows {
		if r.result != nil {
			done++
		}
	}
	d.progress.Max = float64(len(d.rows))
	d.progress.SetValue(float64(done))
}

// row returns the row of check id, adding it at the end when it is new.
func (d *details) row(id string) *checkRow {
	if r, ok := d.rows[id]; ok {
		return r
	}
	r := newCheckRow(d.env, id)
	r.resized = d.relayout
	d.rows[id] = r
	d.order = append(d.order, id)
	if len(d.order) > 1 {
		d.list.Add(widget.NewSeparator())
	}
	d.list.Add(r.buildUI())
	return r
}

// relayout lays the rows out again after one opened or closed.
func (d *details) relayout() {
	d.body.Refresh()
	d.scroll.Refresh()
}

// showReport shows a finished diagnosis: the verdict, its advice and one row per check.
func (d *details) showReport(r *diagnostics.Report) {
	rep := *r
	rep.Checks = slices.Clone(r.Checks)
	rep.Localize(d.env.tr)
	d.report = &rep

	open := map[string]bool{}
	for id, row := range d.rows {
		open[id] = row.open
	}
	d.rows = map[string]*checkRow{}
	d.order = nil
	d.list.RemoveAll()
	for i := range rep.Checks {
		row := d.row(rep.Checks[i].ID)
		row.setResult(&rep.Checks[i])
		if open[row.id] {
			row.onToggle()
		}
	}

	v := rep.Verdict
	d.banner.set(v.Status)
	d.headline.SetText(v.Summary)
	d.when.SetText(d.env.t("window.details.checked_at",
		"time", d.env.clock(rep.StartedAt), "seconds", d.env.number(float64(rep.DurationMS)/1000, 1)))
	d.when.Show()
	if len(v.Advice) > 0 {
		list := &widget.ListSegment{Ordered: true}
		for _, a := range v.Advice {
			list.Items = append(list.Items, block(a, fyne.TextStyle{}))
		}
		try := d.env.t("report.try")
		if v.Status == diagnostics.StatusOK {
			try = d.env.t("window.details.try_healthy")
		}
		d.advice.Segments = append(knownSegments(d.env, v.Disruption), block(try, fyne.TextStyle{Bold: true}), list)
		d.advice.Refresh()
		d.advice.Show()
	} else {
		d.advice.Hide()
	}
	d.copyReport.Enable()
	if v.Status == diagnostics.StatusOK {
		d.help.Importance = widget.MediumImportance
	} else {
		d.help.Importance = widget.HighImportance
	}
	d.help.Refresh()
	d.content.Refresh()
}

// knownSegments say, above the advice, that the problem is a known disruption, with a link to
// its bulletin; none when no disruption explains the verdict.
func knownSegments(e *env, k *diagnostics.Disruption) []widget.RichTextSegment {
	if k == nil {
		return nil
	}
	segs := []widget.RichTextSegment{block(e.t("report.known_disruption", "title", k.Title), fyne.TextStyle{Bold: true})}
	if link := bulletinLink(e, *k); link != nil {
		// An empty block ends the link's line, so the advice starts on its own.
		segs = append(segs, link, block("", fyne.TextStyle{}))
	}
	return segs
}

func (d *details) onRunAgain() {
	d.runAgain.Disable()
	d.say("")
	d.env.spawn(func() {
		_, err := d.env.agent.StartDiagnosis(d.env.ctx)
		if err == nil {
			return // the progress arrives as updates
		}
		d.env.do(func() {
			d.runAgain.Enable()
			showError(d.window, d.env.errorText(err))
		})
	})
}

func (d *details) onCopyReport() {
	if d.report == nil {
		return
	}
	d.env.clipboard().SetContent(d.report.Text(d.env.tr))
	d.say(d.env.t("window.details.copied"))
}

func (d *details) onHelp() {
	d.env.spawn(func() {
		if err := d.env.agent.OpenWindow(d.env.ctx, WindowHelp); err != nil {
			d.env.do(func() { showError(d.window, d.env.errorText(err)) })
		}
	})
}

// onAgentLost says that the agent is gone; the window keeps showing what it had.
func (d *details) onAgentLost() {
	d.running = false
	d.progress.Hide()
	d.runAgain.Disable()
	d.say(d.env.t("window.agent_lost"))
}

// checkRow is one check in the details: status icon, name, summary and duration, opening to
// its structured details and captured log lines.
type checkRow struct {
	env      *env
	id       string
	icon     *widget.Icon
	name     *widget.Label
	summary  *widget.Label
	duration *widget.Label
	toggle   *widget.Button
	more     *fyne.Container
	moreBox  fyne.CanvasObject
	box      *fyne.Container
	result   *diagnostics.Result
	open     bool
	// resized is called after the row opened or closed, so the list makes room.
	resized func()
}

// nameWidth is the width of the name column: the longest name in every language fits on one
// or two lines.
const nameWidth = 170

func newCheckRow(e *env, id string) *checkRow {
	return &checkRow{env: e, id: id}
}

func (r *checkRow) buildUI() fyne.CanvasObject {
	r.icon = widget.NewIcon(statusIcon(""))
	r.name = bold(diagnostics.CheckName(r.env.tr, r.id))
	r.summary = wrapping(r.env.t("window.details.row_checking"))
	r.duration = widget.NewLabel("")
	r.duration.Alignment = fyne.TextAlignTrailing
	r.toggle = widget.NewButtonWithIcon("", theme.MenuExpandIcon(), r.onToggle)
	r.toggle.Importance = widget.LowImportance
	r.toggle.Disable()
	r.more = container.NewVBox()
	// The details sit under the summary, indented as far as it is.
	r.moreBox = container.New(layout.NewCustomPaddedLayout(0, theme.Padding(), nameWidth+theme.IconInlineSize()+theme.Padding(), 0), r.more)
	r.moreBox.Hide()
	line := container.NewBorder(nil, nil,
		container.NewHBox(container.NewVBox(layout.NewSpacer(), r.icon, layout.NewSpacer()), fixedWidth(nameWidth, r.name)),
		container.NewHBox(fixedWidth(72, r.duration), container.NewVBox(layout.NewSpacer(), r.toggle, layout.NewSpacer())),
		r.summary)
	r.box = container.New(layout.NewCustomPaddedVBoxLayout(0), line, r.moreBox)
	return r.box
}

func (r *checkRow) setChecking() {
	r.result = nil
	r.icon.SetResource(statusIcon(""))
	r.summary.SetText(r.env.t("window.details.row_checking"))
	r.duration.SetText("")
	r.toggle.Disable()
}

func (r *checkRow) setResult(res *diagnostics.Result) {
	r.result = res
	r.icon.SetResource(statusIcon(res.Status))
	r.summary.SetText(res.Summary)
	r.duration.SetText(r.durationText(res.DurationMS))
	r.toggle.Enable()
	if r.open {
		r.fillMore()
	}
}

func (r *checkRow) durationText(ms int64) string {
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + " ms"
	}
	return r.env.number(float64(ms)/1000, 1) + " s"
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
	if len(keys) > 0 {
		form := container.New(layout.NewFormLayout())
		for _, k := range keys {
			key := widget.NewLabel(k)
			val := widget.NewLabel(detailText(res.Details[k]))
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

// detailText shows one structured detail: plain values as they are, lists and tables as JSON.
func detailText(v any) string {
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
