package timeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The Store and its bbolt file: the limits, where the file lives, opening it (and setting a
// damaged one aside), the read and write transactions, and the keys records are kept under.

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
