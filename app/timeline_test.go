package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/timeline"
)

// testTimeline is a day up to now: a sample every half hour, a slow spell yesterday afternoon
// and two drops this morning (now is 08:07).
func testTimeline(now time.Time) *timeline.Timeline {
	t := &timeline.Timeline{Schema: timeline.Schema, Since: now.Add(-24 * time.Hour), Until: now}
	for at := now.Add(-24 * time.Hour); !at.After(now); at = at.Add(30 * time.Minute) {
		s := timeline.Sample{Time: at, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK,
			Gateway:  &diagnostics.Quality{LatencyMS: 2 + float64(at.Minute()%7)},
			Internet: &diagnostics.Quality{LatencyMS: 18 + float64(at.Hour()%5)*3}}
		if at.Hour() == 15 {
			s.Internet = &diagnostics.Quality{LatencyMS: 140, LossPercent: 20}
		}
		t.Samples = append(t.Samples, s)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	t.Incidents = []timeline.Incident{
		{ID: 1, Kind: timeline.KindDegraded, Start: day.Add(-9 * time.Hour), End: day.Add(-9*time.Hour + 40*time.Minute), Cause: diagnostics.CauseDegraded},
		{ID: 2, Kind: timeline.KindLost, Start: day.Add(6*time.Hour + 10*time.Minute), End: day.Add(6*time.Hour + 14*time.Minute), Cause: diagnostics.CauseNoLink},
		{ID: 3, Kind: timeline.KindLost, Start: day.Add(7*time.Hour + 30*time.Minute), End: day.Add(7*time.Hour + 31*time.Minute), Cause: diagnostics.CauseGatewayUnreachable, Diagnosis: diagnostics.CauseGatewayUnreachable},
	}
	return t
}

// vpnTimeline is testTimeline with a service that failed for a while at 07.00 and the VPN
// disconnected since 07.50 while the rest of the connection works.
func vpnTimeline(now time.Time) *timeline.Timeline {
	t := testTimeline(now)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	t.Incidents = append(t.Incidents,
		timeline.Incident{ID: 4, Kind: timeline.KindLost, Start: day.Add(7 * time.Hour), End: day.Add(7*time.Hour + 12*time.Minute),
			Cause: diagnostics.CauseServiceDown, Diagnosis: diagnostics.CauseServiceDown, Lost: diagnostics.LayerService},
		timeline.Incident{ID: 5, Kind: timeline.KindLost, Start: day.Add(7*time.Hour + 50*time.Minute),
			Cause: diagnostics.CauseVPNDown, Lost: diagnostics.LayerVPN})
	return t
}

func TestDetailsTimelineGolden(t *testing.T) {
	tests := []struct {
		name     string
		lang     string
		timeline func(now time.Time) *timeline.Timeline
		golden   string
	}{
		{"a day with drops", "en", testTimeline, "details_timeline_en.xml"},
		{"a day with drops in Finnish", "fi", testTimeline, "details_timeline_fi.xml"},
		{"the VPN lost now, a service this morning", "sv", vpnTimeline, "details_timeline_vpn_sv.xml"},
		{"no history yet", "sv", func(time.Time) *timeline.Timeline { return nil }, "details_timeline_empty_sv.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.lang)
			h.agent.timeline = tt.timeline(h.env.now())
			d := newDetails(h.env, h.window)
			h.show(d)
			d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: 3, State: finishedState(3, demo.Healthy())})
			d.loadTimeline()
			h.pump()
			test.AssertRendersToMarkup(t, tt.golden, h.window.Canvas())
		})
	}
}

func TestTimelineSummary(t *testing.T) {
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	lost := func(start string, end string) timeline.Incident {
		s, _ := time.Parse(time.RFC3339, start)
		in := timeline.Incident{Kind: timeline.KindLost, Start: s, Cause: diagnostics.CauseNoLink}
		if end != "" {
			in.End, _ = time.Parse(time.RFC3339, end)
		}
		return in
	}
	tests := []struct {
		name      string
		incidents []timeline.Incident
		want      string
	}{
		{"none", nil, "No drops in the last 24\u00a0hours."},
		{"only slow", []timeline.Incident{{Kind: timeline.KindDegraded, Start: now.Add(-time.Hour), End: now}}, "No drops in the last 24\u00a0hours."},
		{"once this morning", []timeline.Incident{lost("2026-11-25T09:00:00Z", "2026-11-25T09:05:00Z")}, "The connection dropped once this morning."},
		{"five times this morning", []timeline.Incident{
			lost("2026-11-25T08:00:00Z", "2026-11-25T08:01:00Z"), lost("2026-11-25T08:10:00Z", "2026-11-25T08:11:00Z"),
			lost("2026-11-25T09:00:00Z", "2026-11-25T09:01:00Z"), lost("2026-11-25T10:00:00Z", "2026-11-25T10:01:00Z"),
			lost("2026-11-25T11:59:00Z", "2026-11-25T12:01:00Z"),
		}, "The connection dropped 5 times this morning."},
		{"today", []timeline.Incident{lost("2026-11-25T09:00:00Z", "2026-11-25T09:01:00Z"), lost("2026-11-25T13:00:00Z", "2026-11-25T13:01:00Z")}, "The connection dropped 2 times today."},
		{"yesterday too", []timeline.Incident{lost("2026-11-24T20:00:00Z", "2026-11-24T20:01:00Z"), lost("2026-11-25T13:00:00Z", "2026-11-25T13:01:00Z")}, "The connection dropped 2 times in the last 24\u00a0hours."},
		{"older than a day is not counted", []timeline.Incident{lost("2026-11-24T08:00:00Z", "2026-11-24T08:01:00Z")}, "No drops in the last 24\u00a0hours."},
		{"down now", []timeline.Incident{lost("2026-11-25T13:40:00Z", "")}, "The connection has been down since 13:40."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "en")
			h.env.now = func() time.Time { return now }
			v := newTimelineView(h.env)
			if got := v.summaryText(tt.incidents, now); got != tt.want {
				t.Errorf("summary %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLatencyScale(t *testing.T) {
	tests := []struct {
		name string
		ms   []float64
		want float64
	}{
		{"no samples", nil, 10},
		{"tiny", []float64{1, 3}, 10},
		{"just over ten", []float64{11}, 20},
		{"forty", []float64{18, 40}, 50},
		{"a hundred and forty", []float64{140}, 200},
		{"exactly five hundred", []float64{500}, 500},
		{"over a second", []float64{1300}, 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var samples []timeline.Sample
			for _, ms := range tt.ms {
				samples = append(samples, timeline.Sample{Internet: &diagnostics.Quality{LatencyMS: ms}})
			}
			if got := latencyScale(samples); got != tt.want {
				t.Errorf("scale %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetailsTimelineError(t *testing.T) {
	h := newHarness(t, "en")
	h.agent.err = errAgentDown
	d := newDetails(h.env, h.window)
	h.show(d)
	d.loadTimeline()
	h.pump()
	if !d.timeline.note.Visible() || d.timeline.chart.Visible() {
		t.Error("an unreadable history should say so, without a chart")
	}
	if want := "The connection history could not be read"; !strings.HasPrefix(d.timeline.note.Text, want) {
		t.Errorf("note %q, want %q…", d.timeline.note.Text, want)
	}
}

// TestTheTimelineSaysWhatWasLost: an incident of the VPN alone, of a service alone and of the
// whole connection each say which, in every language, in the summary while it lasts and in
// the list; only the whole connection counts as the connection dropping.
func TestTheTimelineSaysWhatWasLost(t *testing.T) {
	now := time.Date(2026, 11, 25, 21, 40, 0, 0, time.UTC)
	since := time.Date(2026, 11, 25, 21, 33, 0, 0, time.UTC)
	incident := func(c diagnostics.Cause, end time.Time) timeline.Incident {
		in := timeline.Incident{Kind: timeline.KindLost, Start: since, End: end, Cause: c}
		in.Lost = c.Layer()
		return in
	}
	tests := []struct {
		name  string
		cause diagnostics.Cause
		// now: the summary while it lasts; line: the list's words; after: the summary once over.
		want map[string][3]string
	}{
		{"the VPN only", diagnostics.CauseVPNDown, map[string][3]string{
			"en": {"The VPN has not been connected since 21:33.", "21:33–now VPN not connected", "No drops in the last 24\u00a0hours."},
			"fi": {"VPN-yhteys on ollut katki klo\u00a021.33 lähtien.", "21.33–nyt VPN-yhteys katki", ""},
			"sv": {"VPN-anslutningen har varit bruten sedan kl.\u00a021.33.", "21.33–nu VPN-anslutningen bruten", ""},
		}},
		{"a service only", diagnostics.CauseServiceDown, map[string][3]string{
			"en": {"A service has not worked since 21:33.", "21:33–now Service not working", "No drops in the last 24\u00a0hours."},
			"fi": {"Jokin palvelu ei ole toiminut klo\u00a021.33 lähtien.", "21.33–nyt Palvelukatko", ""},
			"sv": {"En tjänst har inte fungerat sedan kl.\u00a021.33.", "21.33–nu Tjänsteavbrott", ""},
		}},
		{"the whole connection", diagnostics.CauseNoLink, map[string][3]string{
			"en": {"The connection has been down since 21:33.", "21:33–now Connection lost", "The connection dropped once today."},
			"fi": {"Yhteys on ollut poikki klo\u00a021.33 lähtien.", "21.33–nyt Yhteys poikki", ""},
			"sv": {"Anslutningen har varit bruten sedan kl.\u00a021.33.", "21.33–nu Anslutningen bruten", ""},
		}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "fi", "sv"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				w := tt.want[lang]
				h := newHarness(t, lang)
				h.env.now = func() time.Time { return now }
				v := newTimelineView(h.env)
				ongoing := incident(tt.cause, time.Time{})
				if got := v.summaryText([]timeline.Incident{ongoing}, now); got != w[0] {
					t.Errorf("summary %q, want %q", got, w[0])
				}
				if got := v.incidentText(ongoing); !strings.HasPrefix(got, w[1]) {
					t.Errorf("line %q, want %q…", got, w[1])
				}
				if w[2] == "" {
					return
				}
				over := incident(tt.cause, since.Add(5*time.Minute))
				if got := v.summaryText([]timeline.Incident{over}, now); got != w[2] {
					t.Errorf("summary once over %q, want %q", got, w[2])
				}
			})
		}
	}
}
