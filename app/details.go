package app

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
	keys   *keyboard

	banner   *banner
	headline *widget.Label
	when     *widget.Label
	progress *widget.ProgressBar
	// progressBox holds progress in its readable colours; it is what is shown and hidden.
	progressBox fyne.CanvasObject
	advice      *widget.RichText
	list        *fyne.Container
	scroll      *container.Scroll
	notice      *widget.Label
	content     *fyne.Container
	timeline    *timelineView
	known       *knownView
	body        *fyne.Container // the known disruptions and the timeline above the rows

	runAgain   *keyButton
	copyReport *keyButton
	webPage    *keyButton
	help       *keyButton

	rows    map[string]*checkRow
	order   []string
	run     uint64
	running bool
	report  *diagnostics.Report // the latest finished diagnosis, localized
	started bool                // a diagnosis was asked for because there was none
}

func newDetails(e *env, w fyne.Window) *details {
	return &details{env: e, window: w, keys: newKeyboard(e, w), rows: map[string]*checkRow{}}
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
	d.progressBox = readableProgress(d.progress)
	d.progressBox.Hide()
	d.advice = richText()
	d.advice.Hide()
	d.banner = newBanner(container.NewVBox(d.headline, d.when, d.progressBox, d.advice))
	d.banner.set("")

	d.list = container.NewVBox()
	d.timeline = newTimelineView(e)
	d.known = newKnownView(e, d.keys)
	d.body = container.NewVBox(d.known.buildUI(), d.timeline.buildUI(), d.list)
	d.scroll = container.NewVScroll(d.body)

	k := d.keys
	d.runAgain = k.button(e.t("window.details.run_again"), theme.ViewRefreshIcon(), d.onRunAgain)
	d.copyReport = k.button(e.t("window.details.copy_report"), theme.ContentCopyIcon(), d.onCopyReport)
	d.copyReport.Disable()
	d.webPage = k.button(e.t("window.details.web_page"), theme.DocumentIcon(), d.onWebPage)
	d.help = k.button(e.t("window.details.what_can_i_do"), theme.HelpIcon(), d.onHelp)
	d.help.Importance = widget.HighImportance
	for _, b := range []*keyButton{d.runAgain, d.copyReport, d.webPage, d.help} {
		k.addButton(b)
	}
	k.setDefault(d.help)
	d.notice = caption("")
	d.notice.Hide()
	bottom := container.NewVBox(d.notice, buttonBar([]fyne.CanvasObject{d.runAgain, d.copyReport, d.webPage}, d.help), k.hintLabel())

	// In reading order, which Tab follows: the verdict, the checks, then the buttons.
	d.content = headBodyFoot(d.banner.box, d.scroll, bottom)
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
	d.progressBox.Hide()
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
	d.progressBox.Show()
	d.runAgain.Disable()
	d.say("")
	d.content.Refresh()
}

// showEvent updates (or adds) the row of one check.
func (d *details) showEvent(ev diagnostics.Event) {
	row := d.row(ev.ID, ev.Title)
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
func (d *details) row(id string, title map[string]string) *checkRow {
	if r, ok := d.rows[id]; ok {
		return r
	}
	r := newCheckRow(d.env, d.keys, id, title)
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
		row := d.row(rep.Checks[i].ID, rep.Checks[i].Title)
		row.setResult(&rep.Checks[i])
		if open[row.id] {
			row.onToggle()
		}
	}

	v := rep.Verdict
	d.banner.set(v.Status)
	d.headline.SetText(v.Summary)
	d.when.SetText(d.env.t("window.details.checked_at",
		"time", d.env.when(rep.StartedAt), "seconds", d.env.number(float64(rep.DurationMS)/1000, 1)))
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
		d.advice.Segments = append(knownSegments(d.keys, v.Disruption), block(try, fyne.TextStyle{Bold: true}), list)
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
func knownSegments(keys *keyboard, k *diagnostics.Disruption) []widget.RichTextSegment {
	if k == nil {
		return nil
	}
	e := keys.env
	segs := []widget.RichTextSegment{block(e.t("report.known_disruption", "title", k.Heading(e.tr)), fyne.TextStyle{Bold: true})}
	if link := bulletinLink(keys, *k); link != nil {
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
			d.keys.showError(d.env.errorText(err))
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

// onWebPage writes the diagnosis and the ladder as a web page and opens it in the browser,
// where a screen reader can read what this window cannot give it (selfhelp/webpage).
func (d *details) onWebPage() {
	e := d.env
	e.spawn(func() {
		err := e.openWebPage()
		e.do(func() {
			if err != nil {
				d.keys.showError(e.t("window.details.web_page_failed", "error", e.webPageError(err)))
				return
			}
			d.say(e.t("window.details.web_page_opened"))
		})
	})
}

func (d *details) onHelp() {
	d.env.spawn(func() {
		if err := d.env.agent.OpenWindow(d.env.ctx, WindowHelp); err != nil {
			d.env.do(func() { d.keys.showError(d.env.errorText(err)) })
		}
	})
}

// onAgentLost says that the agent is gone; the window keeps showing what it had.
func (d *details) onAgentLost() {
	d.running = false
	d.progressBox.Hide()
	d.runAgain.Disable()
	d.say(d.env.t("window.agent_lost"))
}
