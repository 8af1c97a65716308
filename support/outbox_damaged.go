package support

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/apuri-project/apuri/i18n"
)

// readEntry reads a request's entry; one that does not name its own directory is damaged too.
func (o *Outbox) readEntry(ref string) (Entry, error) {
	var e Entry
	if err := readJSONFile(o.entryPath(ref), &e); err != nil {
		return Entry{}, err
	}
	if e.Ref != ref {
		return Entry{}, fmt.Errorf("entry.json names request %q", e.Ref)
	}
	return e, nil
}

// stored says whether the outbox holds a directory for ref, readable or not.
func (o *Outbox) stored(ref string) bool {
	info, err := os.Stat(o.entryDir(ref))
	return err == nil && info.IsDir()
}

// readRequest reads the request itself, which a damaged entry may still have whole.
func (o *Outbox) readRequest(ref string) (Outgoing, error) {
	var m Outgoing
	if err := readJSONFile(filepath.Join(o.entryDir(ref), "request.json"), &m); err != nil {
		return Outgoing{}, err
	}
	if m.Ref != ref {
		return Outgoing{}, fmt.Errorf("request.json names request %q", m.Ref)
	}
	return m, nil
}

// damaged is what the user sees of an entry that cannot be read: failed, with the reason.
// Whatever its request still says (where it goes, its summary) is shown with it.
func (o *Outbox) damaged(ref string, cause error) Entry {
	e := Entry{Ref: ref, State: StateFailed, Damaged: true}
	m, err := o.readRequest(ref)
	var msg i18n.Message
	if err == nil {
		e.Channel, e.Target, e.Summary, e.Created = m.Channel, m.Target, m.Summary, m.Created
		msg = i18n.Msg("outbox.error.damaged", "error", reason(cause))
	} else {
		msg = i18n.Msg("outbox.error.unreadable", "error", reason(err))
		if info, statErr := os.Stat(o.entryDir(ref)); statErr == nil {
			e.Created = info.ModTime().UTC()
		}
	}
	e.Error = &msg
	return e
}

// repair rebuilds a damaged entry from its request so that it can be sent again, and stores
// it. Whether an earlier attempt reached the server is not known any more, so the entry
// counts one: the channel then looks for an earlier delivery before it sends (exactly once).
// ok is false when the request itself cannot be read; the entry then only says why.
func (o *Outbox) repair(ref string, cause error) (e Entry, ok bool) {
	m, err := o.readRequest(ref)
	if err != nil {
		return o.damaged(ref, cause), false
	}
	e = Entry{Ref: ref, Channel: m.Channel, Target: m.Target, Summary: m.Summary, Created: m.Created,
		State: StateFailed, Attempts: 1}
	if err := writeJSONFile(o.entryPath(ref), e); err != nil {
		d := o.damaged(ref, err)
		return d, false
	}
	return e, true
}

// reason is an error without the file's path, for the user: the path names their home.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	if u := errors.Unwrap(err); u != nil {
		return u.Error()
	}
	return err.Error()
}
