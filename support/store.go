package support

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/apuri-project/apuri/internal/atomicfile"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultDataDir is where Apuri keeps the user's drafts, contact details and outbox:
// $XDG_DATA_HOME/apuri (~/.local/share/apuri), ~/Library/Application Support/Apuri on macOS,
// %LOCALAPPDATA%\Apuri on Windows. "" when the user has no home.
func DefaultDataDir() string {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "Apuri")
		}
	case "darwin":
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, "Library", "Application Support", "Apuri")
		}
	default:
		if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return filepath.Join(d, "apuri")
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "apuri")
		}
	}
	return ""
}

// DefaultSaveDir is where bundles and e-mail drafts are saved for the user to attach: the
// Downloads folder when there is one, else the data dir.
func DefaultSaveDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		d := filepath.Join(h, "Downloads")
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
	}
	if d := DefaultDataDir(); d != "" {
		return filepath.Join(d, "saved")
	}
	return os.TempDir()
}

// Store keeps one user's draft, contact details, outbox and history under Dir. Its files are
// written atomically, so a crash never leaves half of one.
type Store struct {
	Dir string
}

// maxStoreFile bounds what is read back from the store; a draft is a few kilobytes.
const maxStoreFile = 1 << 20

func (s Store) draftPath() string   { return filepath.Join(s.Dir, "draft.json") }
func (s Store) contactPath() string { return filepath.Join(s.Dir, "contact.json") }

// OutboxDir holds requests not yet delivered.
func (s Store) OutboxDir() string { return filepath.Join(s.Dir, "outbox") }

// SentDir holds the history of delivered requests.
func (s Store) SentDir() string { return filepath.Join(s.Dir, "sent") }

// LoadDraft returns the saved draft; ok is false when there is none (or it is unreadable:
// a broken draft must never stop the user from writing a new one).
func (s Store) LoadDraft() (d Draft, ok bool) {
	if err := readJSONFile(s.draftPath(), &d); err != nil {
		return Draft{}, false
	}
	return d, true
}

// SaveDraft keeps the draft until it is sent or discarded.
func (s Store) SaveDraft(d Draft) error { return writeJSONFile(s.draftPath(), d) }

// DeleteDraft discards the saved draft; there being none is fine.
func (s Store) DeleteDraft() error {
	if err := os.Remove(s.draftPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("discard draft: %w", err)
	}
	return nil
}

// LoadContact returns the remembered contact details (e-mail and phone); empty when none.
func (s Store) LoadContact() Contact {
	var c Contact
	_ = readJSONFile(s.contactPath(), &c)
	return c
}

// SaveContact remembers the contact details for the next request.
func (s Store) SaveContact(c Contact) error { return writeJSONFile(s.contactPath(), c) }

func readJSONFile(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStoreFile+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxStoreFile {
		return fmt.Errorf("%s is larger than %d bytes", path, maxStoreFile)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	return atomicfile.Write(path, append(data, '\n'), 0o600)
}
