package timeline

import (
	"errors"
	"os"
	"sync"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
)

// Recorder writes a watcher's events and samples into a store: it opens an incident on lost or
// degraded, closes it on restored, and files the automatic diagnosis' verdict with the incident
// that caused it. Its methods are safe for concurrent use.
type Recorder struct {
	Store *Store
	// PID marks the incidents this process records, so that another can tell if it died.
	PID int

	mu       sync.Mutex
	ongoing  map[string]uint64 // incident kind → the ongoing incident's ID
	lastLost uint64
}

// NewRecorder returns a recorder into s for this process.
func NewRecorder(s *Store) *Recorder {
	return &Recorder{Store: s, PID: os.Getpid()}
}

// Event records what a watch event changes in the history.
func (r *Recorder) Event(ev diagnostics.WatchEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ongoing == nil {
		r.ongoing = map[string]uint64{}
	}
	switch ev.Event {
	case diagnostics.WatchLost:
		// A loss ends a degradation: nothing is slow while nothing works.
		err := r.end(KindDegraded, ev.Since, 0)
		id, berr := r.Store.Begin(Incident{Kind: KindLost, Start: ev.Since, Cause: ev.Cause, Lost: ev.Cause.Layer(), PID: r.PID})
		if berr == nil {
			r.ongoing[KindLost], r.lastLost = id, id
		}
		return errors.Join(err, berr)
	case diagnostics.WatchDegraded:
		id, err := r.Store.Begin(Incident{Kind: KindDegraded, Start: ev.Since, Cause: ev.Cause, PID: r.PID})
		if err == nil {
			r.ongoing[KindDegraded] = id
		}
		return err
	case diagnostics.WatchRestored:
		kind := KindLost
		if ev.Ended == diagnostics.WatchDegraded {
			kind = KindDegraded
		}
		end := ev.Time
		if !ev.Since.IsZero() && ev.DurationS > 0 {
			end = ev.Since.Add(time.Duration(ev.DurationS * float64(time.Second)))
		}
		return r.end(kind, end, ev.Bounces)
	case diagnostics.WatchDiagnosis:
		if ev.Trigger != diagnostics.WatchLost || r.lastLost == 0 {
			return nil
		}
		return r.Store.Update(r.lastLost, func(i *Incident) {
			if i.Diagnosis == "" {
				i.Diagnosis = ev.Cause
				// The full diagnosis knows better than the quick probe what was lost; a
				// diagnosis that finds everything working has nothing to say about it.
				if ev.Cause != diagnostics.CauseHealthy {
					i.Lost = ev.Cause.Layer()
				}
			}
		})
	}
	return nil
}

// end closes the ongoing incident of a kind, if there is one.
func (r *Recorder) end(kind string, at time.Time, bounces int) error {
	id, ok := r.ongoing[kind]
	if !ok {
		return nil
	}
	delete(r.ongoing, kind)
	return r.Store.Update(id, func(i *Incident) {
		i.End = at.UTC()
		if i.End.Before(i.Start) {
			i.End = i.Start
		}
		i.Bounces = bounces
	})
}

// Sample records one probe's measurements.
func (r *Recorder) Sample(s diagnostics.WatchSample) error {
	return r.Store.AddSample(s)
}

// Flush writes what waits in memory; call it when the watcher stops.
func (r *Recorder) Flush() error { return r.Store.Flush() }
