package timeline

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Writing the history: samples (held in memory and written together), incidents begun and
// updated, and incidents a crashed process left open.

// AddSample records one probe's measurements; it reaches the file within FlushEvery.
func (s *Store) AddSample(smp Sample) error {
	data, err := json.Marshal(smp)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if len(s.pending) >= maxPending {
		s.pending = s.pending[1:]
	}
	s.pending = append(s.pending, pendingSample{s.sampleKey(smp.Time), data})
	due := s.FlushEvery <= 0 || s.now().Sub(s.lastFlush) >= s.FlushEvery
	s.mu.Unlock()
	if !due {
		return nil
	}
	return s.update(func(*bolt.Tx) error { return nil })
}

// Flush writes the samples waiting in memory. Call it before the process ends.
func (s *Store) Flush() error {
	s.mu.Lock()
	n := len(s.pending)
	s.mu.Unlock()
	if n == 0 {
		return nil
	}
	return s.update(func(*bolt.Tx) error { return nil })
}

// Begin records a new incident and returns its ID.
func (s *Store) Begin(inc Incident) (uint64, error) {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIncidents)
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		inc.ID = id
		data, err := json.Marshal(inc)
		if err != nil {
			return err
		}
		return b.Put(idKey(id), data)
	})
	return inc.ID, err
}

// ErrNoIncident says the incident is not in the store (pruned, or never there).
var ErrNoIncident = errors.New("no such incident")

// Update changes the incident with the given ID.
func (s *Store) Update(id uint64, fn func(*Incident)) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIncidents)
		data := b.Get(idKey(id))
		if data == nil {
			return fmt.Errorf("incident %d: %w", id, ErrNoIncident)
		}
		var inc Incident
		if err := json.Unmarshal(data, &inc); err != nil {
			return fmt.Errorf("incident %d: %w", id, err)
		}
		fn(&inc)
		inc.ID = id
		out, err := json.Marshal(inc)
		if err != nil {
			return err
		}
		return b.Put(idKey(id), out)
	})
}

// CloseAbandoned ends the incidents still open whose recording process is gone (alive says
// whether a pid runs), at the time of the last sample after their start, or their start. It
// returns how many it closed. Run it when a watcher starts: a crash must not leave an
// incident open for ever.
func (s *Store) CloseAbandoned(alive func(pid int) bool) (int, error) {
	closed := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketIncidents)
		samples := tx.Bucket(bucketSamples)
		last, _ := samples.Cursor().Last()
		var lastAt time.Time
		if len(last) >= 8 {
			lastAt = time.Unix(0, int64(binary.BigEndian.Uint64(last)))
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var inc Incident
			if json.Unmarshal(v, &inc) != nil || !inc.Ongoing() || (inc.PID != 0 && alive(inc.PID)) {
				continue
			}
			inc.End, inc.Abandoned = inc.Start, true
			if lastAt.After(inc.Start) {
				inc.End = lastAt
			}
			data, err := json.Marshal(inc)
			if err != nil {
				return err
			}
			if err := b.Put(k, data); err != nil {
				return err
			}
			closed++
		}
		return nil
	})
	return closed, err
}
