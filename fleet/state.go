package fleet

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/apuri-project/apuri/internal/atomicfile"
)

// The installation's fleet state: the random salt of host.id, made once, and when data was
// first shared with which collector, which the settings window shows.

// stateFile is what is kept between runs.
type stateFile struct {
	// Salt makes host.id this installation's own: the machine ID alone is known to others
	// (inventory systems), so its hash would be a name, not a pseudonym.
	Salt string `json:"salt"`
	// Endpoint and FirstExport say since when data goes to that collector; a new endpoint
	// starts its own "since".
	Endpoint    string    `json:"endpoint,omitempty"`
	FirstExport time.Time `json:"first_export,omitzero"`
}

// maxStateSize bounds what is read; the real file is under 200 bytes.
const maxStateSize = 4 << 10

// DefaultStatePath is fleet.json in the user's state directory, beside the timeline:
// $XDG_STATE_HOME/apuri (else ~/.local/state/apuri) on Linux, the per-user cache directory
// elsewhere. "" when there is none (then the salt lives for this run only).
func DefaultStatePath() string {
	const name = "fleet.json"
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

// state is the file in memory; its methods are safe for concurrent use.
type state struct {
	path string
	mu   sync.Mutex
	f    stateFile
}

// loadState reads the state file, making and keeping a salt when there is none yet.
func loadState(path string) (*state, error) {
	s := &state{path: path}
	if path != "" {
		if data, err := readLimited(path, maxStateSize); err == nil {
			_ = json.Unmarshal(data, &s.f) // a damaged file gets a new salt below
		}
	}
	if len(s.f.Salt) < 32 {
		salt := make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return nil, fmt.Errorf("making the installation's salt: %w", err)
		}
		s.f = stateFile{Salt: hex.EncodeToString(salt)}
		if err := s.save(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readLimited reads at most n bytes of a small file.
func readLimited(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(n)))
}

// save writes the file whole; the caller holds mu or owns s alone.
func (s *state) save() error {
	if s.path == "" {
		return nil
	}
	data, err := json.Marshal(s.f)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("keeping the fleet state: %w", err)
	}
	if err := atomicfile.Write(s.path, data, 0o600); err != nil {
		return fmt.Errorf("keeping the fleet state: %w", err)
	}
	return nil
}

// salt is the installation's salt.
func (s *state) salt() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.Salt
}

// firstExport is when data first reached endpoint, zero when it never has.
func (s *state) firstExport(endpoint string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f.Endpoint != normalEndpoint(endpoint) {
		return time.Time{}
	}
	return s.f.FirstExport
}

// exported notes a delivery to endpoint at t; only the first one per endpoint is kept.
// It reports whether that was news.
func (s *state) exported(endpoint string, t time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep := normalEndpoint(endpoint)
	if s.f.Endpoint == ep && !s.f.FirstExport.IsZero() {
		return false, nil
	}
	s.f.Endpoint, s.f.FirstExport = ep, t.UTC().Truncate(time.Second)
	return true, s.save()
}

func normalEndpoint(e string) string { return strings.TrimRight(e, "/") }
