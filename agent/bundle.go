package agent

import (
	"encoding/json"
	"time"

	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// bundle builds the diagnostics bundle of the latest report; nil when there is no report.
func (r *requests) bundle() (*support.Bundle, error) {
	st := r.a.State()
	if st.Report == nil {
		return nil, nil
	}
	loaded := r.a.Profile()
	source := loaded.Source.Kind
	if loaded.Source.Path != "" {
		source += " " + loaded.Source.Path
	}
	return support.BuildBundle(support.BundleInput{
		Report: st.Report, Profile: loaded.Profile, ProfileSource: source, Lang: st.Lang,
		Timeline: r.timelineJSON, Logs: r.cfg.Logs, Identity: r.cfg.Identity, Now: r.a.cfg.Now,
	})
}

// bundleSamples bounds the probe samples in a bundle: the last two hours at the default
// interval. Incidents of the last day all go in.
const bundleSamples = 240

// timelineJSON is the recent connectivity timeline for the bundle, or nothing when the
// watcher keeps none.
func (r *requests) timelineJSON() ([]byte, error) {
	return BundleTimeline(r.a.timelineStore(), r.a.cfg.Now())
}

// BundleTimeline is the connectivity timeline a support bundle carries: the last day's
// incidents and the last two hours of samples, as JSON; nil when there is none.
func BundleTimeline(store *timeline.Store, now time.Time) ([]byte, error) {
	if store == nil {
		return nil, nil
	}
	t, err := store.Query(now.Add(-24*time.Hour), now)
	if err != nil {
		return nil, err
	}
	if len(t.Incidents) == 0 && len(t.Samples) == 0 {
		return nil, nil
	}
	if n := len(t.Samples); n > bundleSamples {
		t.Samples = append([]timeline.Sample(nil), t.Samples[n-bundleSamples:]...)
	}
	return json.Marshal(t)
}
