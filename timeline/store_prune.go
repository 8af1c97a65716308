package timeline

import (
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Keeping the file bounded: records older than the retention, and beyond the size limits the
// oldest, are dropped.

// Prune drops what is older than the retention or beyond the size limits now, rather than at
// the next hourly chance.
func (s *Store) Prune() error {
	s.mu.Lock()
	s.lastPrune = time.Time{}
	s.mu.Unlock()
	return s.update(func(*bolt.Tx) error { return nil })
}

// prune drops samples older than the retention and beyond MaxSamples (oldest first), and ended
// incidents likewise.
func (s *Store) prune(tx *bolt.Tx, now time.Time) error {
	retention := s.Retention
	if retention <= 0 {
		retention = DefaultRetention
	}
	cutoff := now.Add(-retention)
	samples := tx.Bucket(bucketSamples)
	if err := dropOldest(samples, func(k, _ []byte) bool {
		return string(k[:min(len(k), 8)]) < string(timeKey(cutoff))
	}, limit(s.MaxSamples, DefaultMaxSamples)); err != nil {
		return err
	}
	return dropOldest(tx.Bucket(bucketIncidents), func(_, v []byte) bool {
		var inc Incident
		if json.Unmarshal(v, &inc) != nil {
			return true // unreadable: nothing can show it anyway
		}
		return !inc.Ongoing() && inc.End.Before(cutoff)
	}, limit(s.MaxIncidents, DefaultMaxIncidents))
}

func limit(v, fallback int) int {
	if v > 0 {
		return v
	}
	return fallback
}

// dropOldest deletes, in key order, the records old says are too old, then as many more as
// keep the bucket within max.
func dropOldest(b *bolt.Bucket, old func(k, v []byte) bool, max int) error {
	n := b.Stats().KeyN
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.First() {
		if n <= max && !old(k, v) {
			break
		}
		if err := c.Delete(); err != nil {
			return err
		}
		n--
	}
	return nil
}
