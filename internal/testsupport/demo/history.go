package demo

import (
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/timeline"
)

// SampleEvery is how often the canned history probes, as a healthy watcher would.
const SampleEvery = 10 * time.Minute

// historyIncident is one incident of the canned day: how long before the check it began, how
// long it lasted and what it was.
type historyIncident struct {
	before, lasted time.Duration
	kind           string
	cause          diagnostics.Cause
}

// history is the canned day, oldest first: a slow spell the afternoon before, the whole
// connection lost for four minutes, the VPN for twelve, and a short drop an hour and a half
// before the check. Every one is over by the time of the check.
var history = []historyIncident{
	{18 * time.Hour, time.Hour, timeline.KindDegraded, diagnostics.CauseDegraded},
	{3 * time.Hour, 4 * time.Minute, timeline.KindLost, diagnostics.CauseNoLink},
	{2*time.Hour + 15*time.Minute, 12 * time.Minute, timeline.KindLost, diagnostics.CauseVPNDown},
	{90 * time.Minute, 2 * time.Minute, timeline.KindLost, diagnostics.CauseGatewayUnreachable},
}

// History is a day of the connection that ends at checkedAt, the time the window says it
// checked: a sample every SampleEvery and the incidents above, none after checkedAt. The
// samples agree with the incidents: slow while it was slow, no answers while the connection
// was lost, and no VPN hosts measured while the VPN was.
func History(checkedAt time.Time) *timeline.Timeline {
	checkedAt = checkedAt.UTC()
	t := &timeline.Timeline{Schema: timeline.Schema, Since: checkedAt.Add(-24 * time.Hour), Until: checkedAt}
	for i, h := range history {
		start := checkedAt.Add(-h.before)
		in := timeline.Incident{ID: uint64(i + 1), Kind: h.kind, Start: start, End: start.Add(h.lasted), Cause: h.cause}
		if h.kind == timeline.KindLost {
			in.Diagnosis, in.Lost = h.cause, h.cause.Layer()
		}
		t.Incidents = append(t.Incidents, in)
	}
	for at := t.Since; !at.After(checkedAt); at = at.Add(SampleEvery) {
		t.Samples = append(t.Samples, sampleAt(at, t.Incidents))
	}
	return t
}

// sampleAt is what the watcher measured at a moment, given the incidents under way then.
func sampleAt(at time.Time, incidents []timeline.Incident) timeline.Sample {
	s := timeline.Sample{Time: at, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK, Cause: diagnostics.CauseHealthy,
		Gateway:  &diagnostics.Quality{LatencyMS: 2 + float64(at.Minute()%7)},
		Internet: &diagnostics.Quality{LatencyMS: 18 + float64(at.Hour()%5)*3},
		VPN:      &diagnostics.Quality{LatencyMS: 24 + float64(at.Minute()%5)}}
	for _, in := range incidents {
		if at.Before(in.Start) || !at.Before(in.End) {
			continue
		}
		s.Cause = in.Cause
		switch {
		case in.Kind == timeline.KindDegraded:
			s.State, s.Status = diagnostics.ConnDegraded, diagnostics.StatusWarn
			s.Internet = &diagnostics.Quality{LatencyMS: 140, LossPercent: 20}
		case in.What() == diagnostics.LayerVPN:
			// The router and the internet still answer; the hosts behind the VPN do not.
			s.State, s.Status, s.VPN = diagnostics.ConnLost, diagnostics.StatusFail, nil
		default:
			s.State, s.Status = diagnostics.ConnLost, diagnostics.StatusFail
			s.Gateway, s.Internet, s.VPN = nil, nil, nil
		}
	}
	return s
}
