// Package timeline keeps the connection's history: incidents (when it broke, why, when it came
// back) and quality samples (latency and loss to the gateway, the internet probe and the
// organisation's hosts behind the VPN). The details window draws the last day from it and the
// support bundle carries it, so support sees how the connection behaved, not only how it is now.
//
// The store is a bbolt file (go.etcd.io/bbolt, the embedded B+tree etcd keeps). Two processes
// may write it (the tray agent, or `apuri watch` run while no agent is), so it must survive
// crashes and concurrent writers without a server: bbolt commits copy-on-write with checksummed
// meta pages, so a crash loses at most the transaction under way and never corrupts what was
// committed; its file lock (flock, LockFileEx on Windows) serialises writers, and Options.Timeout
// bounds the wait for it. An append-only JSON-lines file would need the same lock, plus torn-line
// recovery and a compaction that rewrites the file; bbolt gives all of that, tested by etcd.
// Each operation opens and closes the file, so neither process holds the lock while idle.
//
// Size is bounded twice: records older than Retention are dropped, and beyond MaxSamples and
// MaxIncidents the oldest go first. bbolt reuses freed pages, so the file stops growing.
//
// Every commit waits for the disk (fsync), and a healthy watcher samples every 30 s all day, so
// samples are kept in memory and written together every FlushEvery, with any incident, and
// before every query; a crash loses at most those minutes of samples, never an incident.
package timeline

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Schema names the JSON form of a Timeline (Export, the agent's GET /v1/timeline).
const Schema = "apuri.timeline/v1"

// The kinds of incident.
const (
	KindLost     = "lost"     // the connection did not work
	KindDegraded = "degraded" // it worked, slowly or losing packets
)

// Incident is one stretch of time the connection was lost or degraded.
type Incident struct {
	ID   uint64 `json:"id"`
	Kind string `json:"kind"`
	// Start is when it began; End when it was over, zero while it lasts.
	Start time.Time `json:"start"`
	End   time.Time `json:"end,omitzero"`
	// Cause is what the watcher's quick probe found first; Diagnosis the verdict of the
	// diagnosis run automatically when it began, once that has finished.
	Cause     diagnostics.Cause `json:"cause"`
	Diagnosis diagnostics.Cause `json:"diagnosis,omitempty"`
	// Bounces counts how often the connection came back and broke again within it.
	Bounces int `json:"bounces,omitempty"`
	// PID is the process that recorded it; Abandoned marks one whose process ended before the
	// incident did (its End is then the last moment known).
	PID       int  `json:"pid,omitempty"`
	Abandoned bool `json:"abandoned,omitempty"`
}

// Ongoing reports whether the incident has not ended.
func (i Incident) Ongoing() bool { return i.End.IsZero() }

// Sample is one probe's measurements.
type Sample = diagnostics.WatchSample

// Timeline is the history between Since and Until, oldest first.
type Timeline struct {
	Schema    string     `json:"schema"`
	Since     time.Time  `json:"since"`
	Until     time.Time  `json:"until"`
	Incidents []Incident `json:"incidents"`
	Samples   []Sample   `json:"samples"`
}

// Lost counts the incidents of kind lost, for "dropped 5 times this morning".
func (t *Timeline) Lost() int {
	n := 0
	for _, i := range t.Incidents {
		if i.Kind == KindLost {
			n++
		}
	}
	return n
}

// Defaults of a Store.
const (
	DefaultRetention    = 30 * 24 * time.Hour
	DefaultMaxSamples   = 100_000 // 30 days at one probe every 30 s is 86 400
	DefaultMaxIncidents = 10_000
	DefaultLockTimeout  = 2 * time.Second
	DefaultFlushEvery   = 5 * time.Minute
	// maxPending bounds the samples held in memory when writing keeps failing.
	maxPending = 1024
	// pruneEvery is how often a writing process drops what is too old.
	pruneEvery = time.Hour
)

var (
	bucketSamples   = []byte("samples")
	bucketIncidents = []byte("incidents")
)

// Store is the timeline file. Its methods are safe for concurrent use, also by several
// processes. Nothing touches the disk until a method is called.
type Store struct {
	Path         string
	Retention    time.Duration
	MaxSamples   int
	MaxIncidents int
	// LockTimeout bounds the wait for another process's lock.
	LockTimeout time.Duration
	// FlushEvery is how long samples may wait in memory; 0 writes each at once.
	FlushEvery time.Duration
	// Now is the clock for retention and flushing; default time.Now.
	Now func() time.Time

	mu        sync.Mutex // one open file per process at a time; guards what follows
	lastPrune time.Time
	lastFlush time.Time
	pending   []pendingSample
	seq       atomic.Uint32
}

// pendingSample is a sample waiting to be written.
type pendingSample struct {
	key, data []byte
}

// Open returns the store at path with the default limits. It opens nothing yet.
func Open(path string) *Store {
	return &Store{
		Path: path, Retention: DefaultRetention, MaxSamples: DefaultMaxSamples,
		MaxIncidents: DefaultMaxIncidents, LockTimeout: DefaultLockTimeout, FlushEvery: DefaultFlushEvery,
		Now: time.Now,
	}
}

// DefaultPath is where the timeline lives: the user's state directory ($XDG_STATE_HOME, else
// ~/.local/state) on Linux and the BSDs, the per-user cache directory elsewhere
// (%LocalAppData% on Windows, ~/Library/Caches on macOS): history worth keeping, not settings,
// and nothing that must roam between computers. "" when there is no such directory.
func DefaultPath() string {
	const name = "timeline.db"
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
			return filepath.Join(dir, "apuri", name)
		}
		if home, err := os.UserHomeDir(); err == nil && home != "" {
			return filepath.Join(home, ".local", "state", "apuri", name)
		}
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "Apuri", name)
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// update runs fn in a write transaction, creating the file and its buckets when needed, and
// writes the pending samples with it.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.open(false)
	if err != nil {
		return err
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSamples, bucketIncidents} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		b := tx.Bucket(bucketSamples)
		for _, p := range s.pending {
			if err := b.Put(p.key, p.data); err != nil {
				return err
			}
		}
		if err := fn(tx); err != nil {
			return err
		}
		if now := s.now(); now.Sub(s.lastPrune) >= pruneEvery {
			s.lastPrune = now
			return s.prune(tx, now)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("timeline %s: %w", s.Path, err)
	}
	s.pending, s.lastFlush = nil, s.now()
	return nil
}

// view runs fn in a read transaction; a missing file reads as an empty timeline.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := os.Stat(s.Path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	db, err := s.open(true)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.View(fn); err != nil {
		return fmt.Errorf("timeline %s: %w", s.Path, err)
	}
	return nil
}

// open opens the file. One that is not a bbolt file (or is damaged beyond what bbolt recovers)
// is set aside as .corrupt and a fresh one started: a broken history must never stop the
// watcher, and the old file stays for support to look at.
func (s *Store) open(readOnly bool) (*bolt.DB, error) {
	if s.Path == "" {
		return nil, errors.New("timeline: no place to keep it")
	}
	if !readOnly {
		if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
			return nil, fmt.Errorf("timeline directory: %w", err)
		}
	}
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	opts := &bolt.Options{Timeout: timeout, ReadOnly: readOnly}
	db, err := bolt.Open(s.Path, 0o600, opts)
	if err == nil || readOnly || !corrupt(err) {
		if err != nil {
			return nil, fmt.Errorf("open timeline %s: %w", s.Path, err)
		}
		return db, nil
	}
	if rerr := os.Rename(s.Path, s.Path+".corrupt"); rerr != nil {
		return nil, fmt.Errorf("open timeline %s: %w (and setting it aside failed: %w)", s.Path, err, rerr)
	}
	db, err = bolt.Open(s.Path, 0o600, opts)
	if err != nil {
		return nil, fmt.Errorf("open timeline %s: %w", s.Path, err)
	}
	return db, nil
}

func corrupt(err error) bool {
	return errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrVersionMismatch) ||
		errors.Is(err, berrors.ErrChecksum)
}

// sampleKey orders samples by time; the tail keeps two samples of the same instant apart.
func (s *Store) sampleKey(t time.Time) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	binary.BigEndian.PutUint32(k[8:], s.seq.Add(1))
	return k
}

func timeKey(t time.Time) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	return k
}

func idKey(id uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, id)
	return k
}

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
