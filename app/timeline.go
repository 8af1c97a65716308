package app

import (
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/timeline"
)

// timelineView is the last 24 hours of the connection in the details window: one line of
// summary readable at a glance ("dropped 5 times this morning"), a small chart (latency to
// the router and to the internet, packet loss as red ticks, incidents as shaded spans) and
// the incidents with their causes. It is drawn from canvas lines and rectangles laid out on
// a 0…1 grid, so it scales with the window and needs no image library.
type timelineView struct {
	env *env

	title     *widget.Label
	summary   *widget.Label
	note      *widget.Label // in place of the rest when there is nothing to draw
	chart     *fyne.Container
	scale     *widget.Label
	axis      *fyne.Container
	legend    *fyne.Container
	incidents *fyne.Container
	box       *fyne.Container
}

// The span the chart shows, and the longest pause between samples still drawn as one line
// (the watcher probes every 30 s while healthy; anything longer is a gap in the record).
const (
	timelineSpan = 24 * time.Hour
	timelineGap  = 10 * time.Minute
	// maxIncidentLines bounds the list under the chart; the chart shows them all.
	maxIncidentLines = 5
)

// The chart's colours: fixed, so that the legend and the lines agree in every theme.
var (
	colorGateway  = color.NRGBA{R: 0x2a, G: 0x9d, B: 0x8f, A: 0xff}
	colorInternet = color.NRGBA{R: 0x35, G: 0x6a, B: 0xd8, A: 0xff}
	colorLoss     = color.NRGBA{R: 0xd6, G: 0x28, B: 0x28, A: 0xff}
	colorLost     = color.NRGBA{R: 0xd6, G: 0x28, B: 0x28, A: 0x40}
	colorDegraded = color.NRGBA{R: 0xe0, G: 0x9a, B: 0x10, A: 0x40}
)

func newTimelineView(e *env) *timelineView {
	return &timelineView{env: e}
}

func (v *timelineView) buildUI() fyne.CanvasObject {
	e := v.env
	v.title = heading(e.t("window.timeline.heading"))
	v.summary = bold("")
	v.note = caption("")
	v.note.Hide()
	v.chart = container.New(&chartLayout{}, canvas.NewRectangle(color.Transparent))
	v.scale = caption("")
	v.axis = container.NewHBox()
	v.legend = container.NewHBox(
		legendItem(colorGateway, e.t("window.timeline.gateway")),
		legendItem(colorInternet, e.t("window.timeline.internet")),
		legendItem(colorLoss, e.t("window.timeline.loss")),
		// The shading marks every loss, the VPN's or a service's too, so its legend names none.
		legendItem(colorLost, e.t("window.timeline.legend_lost")),
		legendItem(colorDegraded, e.t("window.timeline.degraded")),
	)
	v.incidents = container.NewVBox()
	v.box = container.NewVBox(v.title, v.summary, v.note,
		container.NewBorder(nil, v.axis, nil, nil, v.chart), v.legend, v.incidents)
	v.box.Hide()
	return v.box
}

// legendItem is a small swatch of a colour and what it means.
func legendItem(c color.Color, text string) fyne.CanvasObject {
	sw := canvas.NewRectangle(c)
	sw.SetMinSize(fyne.NewSize(14, 10))
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	return container.NewHBox(container.NewCenter(sw), l)
}

// showError says the history could not be read; the rest of the window works without it.
func (v *timelineView) showError(text string) {
	v.showNote(text)
}

// showNote says in one small line why there is no picture, instead of the picture.
func (v *timelineView) showNote(text string) {
	v.note.SetText(text)
	v.note.Show()
	for _, o := range []fyne.CanvasObject{v.title, v.summary, v.chart, v.axis, v.legend} {
		o.Hide()
	}
	v.incidents.RemoveAll()
	v.box.Show()
}

// show draws the last 24 hours of t, up to now.
func (v *timelineView) show(t *timeline.Timeline) {
	e := v.env
	now := e.now()
	from := now.Add(-timelineSpan)
	if t == nil || (len(t.Samples) == 0 && len(t.Incidents) == 0) {
		v.showNote(e.t("window.timeline.empty"))
		return
	}
	v.box.Show()
	v.note.Hide()
	v.summary.SetText(v.summaryText(t.Incidents, now))
	for _, o := range []fyne.CanvasObject{v.title, v.summary, v.chart, v.axis, v.legend} {
		o.Show()
	}

	x := func(at time.Time) float32 {
		f := float32(at.Sub(from)) / float32(timelineSpan)
		return min(max(f, 0), 1)
	}
	top := latencyScale(t.Samples)
	y := func(ms float64) float32 { return 1 - float32(min(ms, top)/top) }

	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	objs := []fyne.CanvasObject{bg}
	places := []place{{0, 0, 1, 1}}
	for _, in := range t.Incidents {
		end := in.End
		if in.Ongoing() {
			end = now
		}
		if end.Before(from) || in.Start.After(now) {
			continue
		}
		c := colorDegraded
		if in.Kind == timeline.KindLost {
			c = colorLost
		}
		// At least a sliver wide: a drop of a minute is still worth seeing in a day.
		x1, x2 := x(in.Start), x(end)
		if x2-x1 < 0.004 {
			x2 = min(x1+0.004, 1)
		}
		objs = append(objs, canvas.NewRectangle(c))
		places = append(places, place{x1, 0, x2, 1})
	}
	for _, series := range []struct {
		c   color.Color
		get func(s timeline.Sample) *diagnostics.Quality
	}{
		{colorGateway, func(s timeline.Sample) *diagnostics.Quality { return s.Gateway }},
		{colorInternet, func(s timeline.Sample) *diagnostics.Quality { return s.Internet }},
	} {
		var prev *timeline.Sample
		for i := range t.Samples {
			s := &t.Samples[i]
			q := series.get(*s)
			if s.Time.Before(from) || q == nil || q.LatencyMS <= 0 {
				prev = nil
				continue
			}
			if prev != nil && s.Time.Sub(prev.Time) <= timelineGap {
				l := canvas.NewLine(series.c)
				l.StrokeWidth = 1.5
				objs = append(objs, l)
				places = append(places, place{x(prev.Time), y(series.get(*prev).LatencyMS), x(s.Time), y(q.LatencyMS)})
			}
			prev = s
		}
	}
	for _, s := range t.Samples {
		loss := 0.0
		for _, q := range []*diagnostics.Quality{s.Gateway, s.Internet} {
			if q != nil {
				loss = max(loss, q.LossPercent)
			}
		}
		if loss <= 0 || s.Time.Before(from) {
			continue
		}
		// A red tick up from the bottom, as tall as the share lost (a quarter at least).
		h := float32(max(loss/100, 0.25)) * 0.3
		objs = append(objs, canvas.NewRectangle(colorLoss))
		xs := x(s.Time)
		places = append(places, place{xs, 1 - h, min(xs+0.003, 1), 1})
	}
	scale := canvas.NewText(e.t("window.timeline.scale", "ms", e.number(top, 0)), theme.Color(theme.ColorNameForeground))
	scale.TextSize = theme.CaptionTextSize()
	objs = append(objs, scale)
	places = append(places, place{0.005, 0.01, 0.2, 0.2})
	v.chart.Layout = &chartLayout{places: places, height: 110}
	v.chart.Objects = objs
	v.chart.Refresh()

	v.axis.Objects = []fyne.CanvasObject{
		axisLabel(e.timeOfDay(from)), layout.NewSpacer(),
		axisLabel(e.timeOfDay(from.Add(timelineSpan / 2))), layout.NewSpacer(),
		axisLabel(e.t("window.timeline.now")),
	}
	v.axis.Refresh()

	v.incidents.RemoveAll()
	shown := 0
	for i := len(t.Incidents) - 1; i >= 0 && shown < maxIncidentLines; i-- {
		in := t.Incidents[i]
		if !in.Ongoing() && in.End.Before(from) {
			continue
		}
		v.incidents.Add(caption(v.incidentText(in)))
		shown++
	}
	v.box.Refresh()
}

func axisLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// latencyScale is the top of the chart: the highest latency rounded up to 1, 2 or 5 times
// a power of ten, 10 ms at least, so that the scale reads as a round number.
func latencyScale(samples []timeline.Sample) float64 {
	top := 0.0
	for _, s := range samples {
		for _, q := range []*diagnostics.Quality{s.Gateway, s.Internet} {
			if q != nil {
				top = max(top, q.LatencyMS)
			}
		}
	}
	if top <= 10 {
		return 10
	}
	p := math.Pow(10, math.Floor(math.Log10(top)))
	for _, m := range []float64{1, 2, 5, 10} {
		if top <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// lostSuffix picks a sentence's form by what an incident took away: the whole connection
// has the plain key, the VPN and a service their own, so that a dropped VPN is never told as
// the connection being down.
func lostSuffix(in timeline.Incident) string {
	switch in.What() {
	case diagnostics.LayerVPN:
		return "_vpn"
	case diagnostics.LayerService:
		return "_service"
	}
	return ""
}

// summaryText is the line to read at a glance: what is lost now and since when, or how often
// the whole connection dropped, and when. Losses of only the VPN or a service are in the list
// under the chart, each named as what it was.
func (v *timelineView) summaryText(incidents []timeline.Incident, now time.Time) string {
	e := v.env
	for _, in := range incidents {
		if in.Ongoing() && in.Kind == timeline.KindLost {
			return e.t("window.timeline.down_now"+lostSuffix(in), "time", e.when(in.Start))
		}
	}
	from := now.Add(-timelineSpan)
	today := now.In(e.loc)
	count, morning, sameDay := 0, true, true
	for _, in := range incidents {
		if in.Kind != timeline.KindLost || in.Start.Before(from) || in.What() != diagnostics.LayerConnection {
			continue
		}
		count++
		s := in.Start.In(e.loc)
		if s.YearDay() != today.YearDay() || s.Year() != today.Year() {
			sameDay, morning = false, false
		} else if s.Hour() >= 12 {
			morning = false
		}
	}
	when := "day"
	switch {
	case morning:
		when = "morning"
	case sameDay:
		when = "today"
	}
	switch count {
	case 0:
		return e.t("window.timeline.no_drops")
	case 1:
		return e.t("window.timeline.once_" + when)
	}
	return e.t("window.timeline.drops_"+when, "count", count)
}

// incidentText is one incident: when, what, and its cause in words.
func (v *timelineView) incidentText(in timeline.Incident) string {
	e := v.env
	end := e.t("window.timeline.now")
	if !in.Ongoing() {
		// The end's date goes without saying when it is the start's.
		end = i18n.FormatClock(e.tr.Lang(), in.End.In(e.loc), in.Start.In(e.loc))
	}
	kind := e.t("window.timeline.degraded")
	if in.Kind == timeline.KindLost {
		kind = e.t("window.timeline.lost" + lostSuffix(in))
	}
	cause := in.Diagnosis
	if cause == "" {
		cause = in.Cause
	}
	text := e.t("window.timeline.incident", "from", e.clock(in.Start), "to", end, "kind", kind)
	if cause != "" && cause != diagnostics.CauseHealthy {
		text += ": " + e.t("tray.cause."+string(cause), "service", e.t("window.timeline.a_service"))
	}
	return text
}

// place is where one object of the chart goes, as fractions of its width and height: a
// rectangle's corners, or a line's two ends.
type place struct{ x1, y1, x2, y2 float32 }

// chartLayout lays the chart's objects out on their places, scaled to its size.
type chartLayout struct {
	places []place
	height float32
}

func (c *chartLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(200, c.height)
}

func (c *chartLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for i, o := range objs {
		if i >= len(c.places) {
			return
		}
		p := c.places[i]
		x1, y1 := p.x1*size.Width, p.y1*size.Height
		x2, y2 := p.x2*size.Width, p.y2*size.Height
		if l, ok := o.(*canvas.Line); ok {
			l.Position1 = fyne.NewPos(x1, y1)
			l.Position2 = fyne.NewPos(x2, y2)
			continue
		}
		o.Move(fyne.NewPos(x1, y1))
		o.Resize(fyne.NewSize(x2-x1, y2-y1))
	}
}
