package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/apuri-project/apuri/internal/atomicfile"
)

// NoticeNoTray is the notice that the desktop shows no tray icons and how to reach Apuri
// without one: given once, not at every login.
const NoticeNoTray = "no_tray"

// noticesFileName is the file, beside the settings, that remembers the notices given. It is
// not part of the settings: the settings window saves them whole, and an older copy saved
// there must not undo the mark and have the user told again.
const noticesFileName = "notices.json"

// noticesMu keeps the read, change and write of the notices file whole within the process.
var noticesMu sync.Mutex

type noticesFile struct {
	// Told maps each notice given to when it was.
	Told map[string]time.Time `json:"told"`
}

func (a *Agent) noticesPath() string {
	if a.cfg.SettingsPath == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(a.cfg.SettingsPath), noticesFileName)
}

func readNotices(path string) (noticesFile, error) {
	var n noticesFile
	data, err := readLimited(path, maxSettingsSize)
	if errors.Is(err, fs.ErrNotExist) {
		return n, nil
	}
	if err != nil {
		return n, err
	}
	if err := json.Unmarshal(data, &n); err != nil {
		return noticesFile{}, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// Told says whether the user has been given notice once already. Where nothing can be kept
// (no config directory, an unreadable file) it says no: a notice told twice beats one never told.
func (a *Agent) Told(notice string) bool {
	path := a.noticesPath()
	if path == "" {
		return false
	}
	noticesMu.Lock()
	defer noticesMu.Unlock()
	n, err := readNotices(path)
	if err != nil {
		return false
	}
	_, ok := n.Told[notice]
	return ok
}

// MarkTold remembers that the user has been given notice, for every later start.
func (a *Agent) MarkTold(notice string) error {
	path := a.noticesPath()
	if path == "" {
		return nil
	}
	noticesMu.Lock()
	defer noticesMu.Unlock()
	n, err := readNotices(path)
	if err != nil {
		n = noticesFile{} // a broken file is replaced: it only ever holds these marks
	}
	if n.Told == nil {
		n.Told = map[string]time.Time{}
	}
	n.Told[notice] = a.cfg.Now().UTC()
	data, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return fmt.Errorf("encode notices: %w", err)
	}
	if err := atomicfile.Write(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("remember the notice: %w", err)
	}
	return nil
}
