package webpage

import (
	"slices"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
)

// view is the page in words: every text translated, every link checked. The template only
// arranges it, so what it says can be built and tested apart from the markup.
type view struct {
	Lang    string
	Title   string
	Heading string
	// Checked says when the diagnosis ran; Notice says that none has finished, or that a new
	// one runs.
	Checked string
	Notice  string
	Verdict *verdictView
	Ladder  ladderView
	Known   *knownView
	Checks  *checksView
	Made    string
}

type verdictView struct {
	Heading  string
	Status   string // ok, warn or fail: the colour, always beside the word
	Word     string // the status in words: the colour is never the only sign
	Text     string
	Known    string
	Bulletin *link
	Try      string
	Advice   []string
}

type link struct {
	Label, URL string
}

type ladderView struct {
	Heading string
	Intro   string
	Groups  []stepGroup
}

// stepGroup is the recommended steps or the others; the numbering runs on from one to the next.
type stepGroup struct {
	Heading string
	Start   int
	Steps   []stepView
}

type stepView struct {
	Title string
	Why   string
	Note  string
	Links []link
}

type knownView struct {
	Heading string
	Items   []disruptionView
}

type disruptionView struct {
	Title    string
	Body     string
	Updated  string
	Bulletin *link
}

type checksView struct {
	Heading string
	Caption string
	Columns [4]string
	Rows    []checkRow
}

type checkRow struct {
	Name     string
	Status   string
	Mark     string
	Word     string
	Summary  string
	Duration string
}

// statusMark gives each status a symbol beside its word; screen readers skip it.
var statusMark = map[diagnostics.Status]string{
	diagnostics.StatusOK: "✓", diagnostics.StatusWarn: "!", diagnostics.StatusFail: "✗", diagnostics.StatusSkip: "–",
}

func newView(p Page, tr *i18n.Translator) view {
	lang := tr.Lang()
	loc := p.Location
	if loc == nil {
		loc = time.Local
	}
	made := p.Made
	if made.IsZero() {
		made = time.Now()
	}
	prof := p.Profile
	if prof == nil {
		prof = profile.Default()
	}
	var rep *diagnostics.Report
	if p.Report != nil {
		c := *p.Report
		c.Checks = slices.Clone(p.Report.Checks)
		c.Localize(tr)
		rep = &c
	}
	made = made.In(loc)
	v := view{
		Lang:    lang,
		Heading: tr.T("webpage.heading", nil),
		Made:    tr.F("webpage.made", "time", i18n.FormatDateTime(lang, made)),
	}
	v.Title = shortStatus(rep, p.Running, tr) + " – Apuri"

	switch {
	case rep == nil && p.Running:
		v.Notice = tr.T("webpage.checking", nil)
	case rep == nil:
		v.Notice = tr.T("webpage.not_checked", nil)
	case p.Running:
		v.Notice = tr.T("webpage.running_previous", nil)
	}
	if rep != nil {
		at := rep.StartedAt.In(loc)
		v.Checked = tr.F("webpage.checked_at", "time", i18n.FormatDateTime(lang, at),
			"seconds", i18n.FormatNumber(lang, float64(rep.DurationMS)/1000, 1))
		v.Verdict = newVerdictView(rep.Verdict, tr)
		v.Checks = newChecksView(rep.Checks, tr)
	}

	steps := p.Steps
	if steps == nil {
		steps = selfhelp.Ladder(rep, prof)
	}
	v.Ladder = newLadderView(steps, rep != nil, tr)

	known := p.Disruptions
	if known == nil && rep != nil {
		known = rep.Disruptions
	}
	if len(known) > 0 {
		v.Known = newKnownView(known, loc, tr)
	}
	return v
}

// shortStatus is the page's title: the verdict in short, as the tray's status line says it.
func shortStatus(rep *diagnostics.Report, running bool, tr *i18n.Translator) string {
	switch {
	case rep == nil && running:
		return tr.T("tray.status.checking", nil)
	case rep == nil:
		return tr.T("tray.status.unknown", nil)
	}
	key := "tray.cause." + rep.Verdict.Topic()
	if s := tr.T(key, rep.Verdict.Message.Args); s != key {
		return s
	}
	return rep.Verdict.Summary
}

func newVerdictView(v diagnostics.Verdict, tr *i18n.Translator) *verdictView {
	status := v.Status
	if status != diagnostics.StatusOK && status != diagnostics.StatusWarn {
		status = diagnostics.StatusFail
	}
	vv := &verdictView{
		Heading: tr.T("webpage.result", nil),
		Status:  string(status),
		Word:    tr.T("webpage.verdict."+string(status), nil),
		Text:    v.Summary,
		Advice:  v.Advice,
	}
	if k := v.Disruption; k != nil {
		vv.Known = tr.T("report.known_disruption", map[string]any{"title": k.Heading(tr)})
		vv.Bulletin = webLink(tr.T("selfhelp.action.bulletin", nil), k.URL)
	}
	if len(v.Advice) > 0 {
		vv.Try = tr.T("report.try", nil)
		if v.Status == diagnostics.StatusOK {
			vv.Try = tr.T("window.details.try_healthy", nil)
		}
	}
	return vv
}

func newLadderView(steps []selfhelp.Step, evidence bool, tr *i18n.Translator) ladderView {
	lv := ladderView{Heading: tr.T("window.help.heading", nil)}
	if evidence {
		lv.Intro = tr.T("window.help.intro", nil)
	}
	var first, others []stepView
	for _, s := range steps {
		sv := stepView{Title: tr.T(s.Title.Key, s.Title.Args)}
		if s.Why.Key != "" {
			sv.Why = tr.T(s.Why.Key, s.Why.Args)
		}
		if s.Note != nil {
			sv.Note = tr.T(s.Note.Key, s.Note.Args)
		}
		for _, a := range append([]selfhelp.Action{s.Action}, s.More...) {
			if l := actionLink(a, tr); l != nil {
				sv.Links = append(sv.Links, *l)
			}
		}
		if s.Recommended {
			first = append(first, sv)
		} else {
			others = append(others, sv)
		}
	}
	if len(first) > 0 {
		lv.Groups = append(lv.Groups, stepGroup{Heading: tr.T("window.help.recommended", nil), Start: 1, Steps: first})
	}
	if len(others) > 0 {
		g := stepGroup{Start: len(first) + 1, Steps: others}
		if len(first) > 0 {
			g.Heading = tr.T("window.help.others", nil)
		}
		lv.Groups = append(lv.Groups, g)
	}
	return lv
}

// actionLink is a step's button as a link, for the buttons that open a web page; nil for the
// rest (restart, sign out, call, another browser), which a page cannot do.
func actionLink(a selfhelp.Action, tr *i18n.Translator) *link {
	switch a.Kind {
	case selfhelp.ActionOpenURL, selfhelp.ActionOpenLoginPage, selfhelp.ActionReconnectVPN, selfhelp.ActionRequest:
		return webLink(tr.T(a.Label.Key, a.Label.Args), a.URL)
	}
	return nil
}

// webLink is a link to an http or https address, nil for anything else: the page links to
// nothing a profile or a feed could turn into a script or a local file.
func webLink(label, raw string) *link {
	u, err := selfhelp.CheckURL(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	return &link{Label: label, URL: u.String()}
}

func newKnownView(list []diagnostics.Disruption, loc *time.Location, tr *i18n.Translator) *knownView {
	lang := tr.Lang()
	kv := &knownView{Heading: tr.F("window.details.disruptions", "count", len(list))}
	for _, d := range list {
		dv := disruptionView{Title: d.Heading(tr), Body: d.Body, Bulletin: webLink(tr.T("selfhelp.action.bulletin", nil), d.URL)}
		if !d.Updated.IsZero() {
			at := d.Updated.In(loc)
			dv.Updated = tr.F("window.details.disruption_updated", "time", i18n.FormatDateTime(lang, at))
		}
		kv.Items = append(kv.Items, dv)
	}
	return kv
}

func newChecksView(results []diagnostics.Result, tr *i18n.Translator) *checksView {
	cv := &checksView{
		Heading: tr.T("webpage.checks", nil),
		Caption: tr.T("webpage.checks_caption", nil),
		Columns: [4]string{
			tr.T("webpage.column.check", nil), tr.T("webpage.column.result", nil),
			tr.T("webpage.column.found", nil), tr.T("webpage.column.duration", nil),
		},
	}
	for _, r := range results {
		cv.Rows = append(cv.Rows, checkRow{
			Name:     diagnostics.CheckName(tr, r.ID, r.Title),
			Status:   string(r.Status),
			Mark:     statusMark[r.Status],
			Word:     tr.T("status."+string(r.Status), nil),
			Summary:  r.Summary,
			Duration: i18n.FormatDuration(tr.Lang(), time.Duration(r.DurationMS)*time.Millisecond),
		})
	}
	return cv
}
