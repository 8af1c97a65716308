package demo

import (
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/timeline"
)

// TestTheHistoryAgreesWithTheTimeItWasChecked: at any time of checking (the canned
// diagnoses' own, just after midnight, now), nothing in the day happens after the check,
// every incident is over and lasted as long as it says, the samples cover the whole day at
// the watcher's pace, and each sample agrees with the incident under way when it was taken.
func TestTheHistoryAgreesWithTheTimeItWasChecked(t *testing.T) {
	for _, checkedAt := range []time.Time{
		Healthy().StartedAt,
		time.Date(2026, 11, 26, 0, 5, 0, 0, time.UTC),
		time.Now().Truncate(time.Minute),
	} {
		t.Run(checkedAt.Format(time.RFC3339), func(t *testing.T) {
			h := History(checkedAt)
			if !h.Until.Equal(checkedAt) || h.Until.Sub(h.Since) != 24*time.Hour {
				t.Errorf("the day runs %s–%s, want the 24 hours up to %s", h.Since, h.Until, checkedAt)
			}
			if len(h.Incidents) != len(history) {
				t.Fatalf("%d incidents, want %d", len(h.Incidents), len(history))
			}
			kinds := map[diagnostics.Layer]bool{}
			for i, in := range h.Incidents {
				if in.Ongoing() || in.End.After(checkedAt) || in.Start.Before(h.Since) {
					t.Errorf("incident %d (%s–%s) is not over inside the day checked at %s", in.ID, in.Start, in.End, checkedAt)
				}
				if got := in.End.Sub(in.Start); got != history[i].lasted || got <= 0 {
					t.Errorf("incident %d lasted %s, want %s", in.ID, got, history[i].lasted)
				}
				if i > 0 && in.Start.Before(h.Incidents[i-1].End) {
					t.Errorf("incident %d begins before incident %d is over", in.ID, h.Incidents[i-1].ID)
				}
				if in.Kind == timeline.KindLost {
					kinds[in.What()] = true
				}
			}
			if !kinds[diagnostics.LayerConnection] || !kinds[diagnostics.LayerVPN] {
				t.Errorf("the day loses %v; want the whole connection and the VPN alone, so both are shown", kinds)
			}

			want := int(24*time.Hour/SampleEvery) + 1
			if len(h.Samples) != want {
				t.Errorf("%d samples, want one every %s: %d", len(h.Samples), SampleEvery, want)
			}
			seen := map[uint64]int{}
			for i, s := range h.Samples {
				if s.Time.After(checkedAt) || s.Time.Before(h.Since) {
					t.Errorf("a sample at %s lies outside the day checked at %s", s.Time, checkedAt)
				}
				if i > 0 && s.Time.Sub(h.Samples[i-1].Time) != SampleEvery {
					t.Errorf("samples %s and %s are not %s apart", h.Samples[i-1].Time, s.Time, SampleEvery)
				}
				in, during := incidentAt(h.Incidents, s.Time)
				switch {
				case !during:
					if s.State != diagnostics.ConnOnline || s.Status != diagnostics.StatusOK || s.Internet == nil || s.VPN == nil {
						t.Errorf("at %s nothing was wrong, yet the sample says %s/%s", s.Time, s.State, s.Status)
					}
				case in.Kind == timeline.KindDegraded:
					seen[in.ID]++
					if s.State != diagnostics.ConnDegraded || s.Internet == nil || s.Internet.LossPercent == 0 {
						t.Errorf("at %s the connection was slow, yet the sample says %s", s.Time, s.State)
					}
				case in.What() == diagnostics.LayerVPN:
					seen[in.ID]++
					if s.VPN != nil || s.Internet == nil || s.Gateway == nil {
						t.Errorf("at %s only the VPN was lost, yet the sample measured VPN %v internet %v", s.Time, s.VPN, s.Internet)
					}
				default:
					seen[in.ID]++
					if s.State != diagnostics.ConnLost || s.Gateway != nil || s.Internet != nil {
						t.Errorf("at %s the connection was lost, yet the sample says %s with answers", s.Time, s.State)
					}
				}
			}
			for _, in := range h.Incidents {
				if seen[in.ID] == 0 {
					t.Errorf("incident %d (%s–%s) has no sample that shows it", in.ID, in.Start, in.End)
				}
			}
		})
	}
}

// incidentAt is the incident under way at a moment, if any.
func incidentAt(incidents []timeline.Incident, at time.Time) (timeline.Incident, bool) {
	for _, in := range incidents {
		if !at.Before(in.Start) && at.Before(in.End) {
			return in, true
		}
	}
	return timeline.Incident{}, false
}
