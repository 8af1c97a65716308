package timeline

import (
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Reading the history back: a stretch of time for the details window and the agent, and the
// JSON export for the support bundle.

// Query returns the incidents that overlap [since, until] and the samples taken in it,
// including those this process has not written yet.
func (s *Store) Query(since, until time.Time) (*Timeline, error) {
	if err := s.Flush(); err != nil {
		return nil, err
	}
	t := &Timeline{Schema: Schema, Since: since.UTC(), Until: until.UTC(), Incidents: []Incident{}, Samples: []Sample{}}
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketIncidents); b != nil {
			err := b.ForEach(func(_, v []byte) error {
				var inc Incident
				if json.Unmarshal(v, &inc) != nil {
					return nil // one damaged record must not hide the rest
				}
				if !inc.Start.After(until) && (inc.Ongoing() || !inc.End.Before(since)) {
					t.Incidents = append(t.Incidents, inc)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		b := tx.Bucket(bucketSamples)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		end := timeKey(until)
		for k, v := c.Seek(timeKey(since)); k != nil && string(k[:8]) <= string(end); k, v = c.Next() {
			var smp Sample
			if json.Unmarshal(v, &smp) == nil {
				t.Samples = append(t.Samples, smp)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Export is the timeline since the given time as indented JSON, for the support bundle.
func (s *Store) Export(since time.Time) ([]byte, error) {
	t, err := s.Query(since, s.now())
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(t, "", "  ")
}
