package support

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/atomicfile"
	"github.com/apuri-project/apuri/internal/filelock"
)

// State is where a request is on its way to support.
type State string

// The states of a request. Only sent and handed_over leave the outbox (for the history).
const (
	StateQueued           State = "queued"            // stored; the first attempt is about to start
	StateSending          State = "sending"           // an attempt is under way
	StateWaiting          State = "waiting"           // a temporary failure; retried with back-off and when the connection returns
	StateNeedsCredentials State = "needs_credentials" // 401/403 or no token: waits for the user to fix the credentials
	StateFailed           State = "failed"            // refused by the server, or the desktop could not open it: waits for the user
	StateSent             State = "sent"              // delivered to support's system
	StateHandedOver       State = "handed_over"       // opened in the portal or the mail program for the user to send
)

// Entry is one request in the outbox or the history: what the user sees of it.
type Entry struct {
	Ref     string    `json:"ref"`
	Channel string    `json:"channel"`
	Target  string    `json:"target"`
	Summary string    `json:"summary"`
	Created time.Time `json:"created"`
	State   State     `json:"state"`
	// Attempts counts the attempts so far; an attempt is counted before it starts, so one cut
	// short by a crash still counts (and the next one checks for a delivery).
	Attempts    int       `json:"attempts"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// NextAttempt is when a waiting request is retried at the latest (sooner when the
	// connection returns).
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// Error is why the last attempt failed.
	Error *i18n.Message `json:"error,omitempty"`
	// Receipt is the ticket, its link, and what was opened or saved, once delivered.
	Receipt *Receipt  `json:"receipt,omitempty"`
	SentAt  time.Time `json:"sent_at,omitzero"`
	// FeedbackDays is the organisation's window for rejecting a solution.
	FeedbackDays int `json:"feedback_days"`
	// FeedbackUntil and Rule are filled in the history: until then the solution can be
	// rejected, which reopens the same request; after that a new request is needed.
	FeedbackUntil time.Time     `json:"feedback_until,omitzero"`
	Rule          *i18n.Message `json:"rule,omitempty"`
	// Damaged says the stored entry could not be read: it is shown failed, with the reason in
	// Error, never left out. Retry sends it again if its request can still be read; Discard
	// removes it.
	Damaged bool `json:"damaged,omitempty"`
}

// Done says whether the request has left the outbox.
func (e Entry) Done() bool { return e.State == StateSent || e.State == StateHandedOver }

// Outbox keeps requests on disk until they are delivered, so neither a lost connection nor a
// crash loses one. A request is written before its first attempt; each attempt is recorded
// before it starts; delivery moves it to the history. Attempts on one outbox are serialised
// across processes by a file lock, so the agent and the command line can share it.
type Outbox struct {
	// Dir holds outbox/ and sent/ (the Store's directory).
	Dir string
	// Channel returns the channel that sends a request; required.
	Channel func(name string) (Channel, error)
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Backoff is the wait after the n-th failed attempt; default DefaultBackoff.
	Backoff func(attempts int) time.Duration
	// OnChange is called after any entry changed, so the agent can tell the windows. It may
	// run while an attempt holds the outbox: it may call Pending and History, nothing else.
	OnChange func()
	// HistoryLimit bounds the history; default 100 requests.
	HistoryLimit int

	mu sync.Mutex // serialises attempts within the process
}

// DefaultBackoff waits 30 s after the first failure, doubling up to 30 min.
func DefaultBackoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < 30*time.Minute; i++ {
		d *= 2
	}
	return min(d, 30*time.Minute)
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Outbox) backoff(n int) time.Duration {
	if o.Backoff != nil {
		return o.Backoff(n)
	}
	return DefaultBackoff(n)
}

func (o *Outbox) changed() {
	if o.OnChange != nil {
		o.OnChange()
	}
}

func (o *Outbox) pendingDir() string          { return filepath.Join(o.Dir, "outbox") }
func (o *Outbox) sentDir() string             { return filepath.Join(o.Dir, "sent") }
func (o *Outbox) entryDir(ref string) string  { return filepath.Join(o.pendingDir(), ref) }
func (o *Outbox) entryPath(ref string) string { return filepath.Join(o.entryDir(ref), "entry.json") }
func (o *Outbox) sentPath(ref string) string  { return filepath.Join(o.sentDir(), ref+".json") }

// validRef keeps references to what NewRef makes, since they name files.
func validRef(ref string) bool {
	if len(ref) < 8 || len(ref) > 64 {
		return false
	}
	for _, c := range ref {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// ErrUnknownRequest: no request with that reference is in the outbox.
var ErrUnknownRequest = errors.New("no such request in the outbox")

// Add stores a request before anything is attempted: when Add returns, the request survives
// any crash. It is written whole into a temporary directory and renamed into place.
func (o *Outbox) Add(m *Outgoing, feedbackDays int) (Entry, error) {
	if !validRef(m.Ref) {
		return Entry{}, fmt.Errorf("add to outbox: bad reference %q", m.Ref)
	}
	e := Entry{Ref: m.Ref, Channel: m.Channel, Target: m.Target, Summary: m.Summary,
		Created: m.Created, State: StateQueued, FeedbackDays: feedbackDays}
	if err := os.MkdirAll(o.pendingDir(), 0o700); err != nil {
		return Entry{}, fmt.Errorf("add to outbox: %w", err)
	}
	tmp, err := os.MkdirTemp(o.pendingDir(), ".new-")
	if err != nil {
		return Entry{}, fmt.Errorf("add to outbox: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename; cleans up after a failure
	if err := writeJSONFile(filepath.Join(tmp, "request.json"), m); err != nil {
		return Entry{}, fmt.Errorf("add to outbox: %w", err)
	}
	if m.BundleName != "" {
		if err := atomicfile.Write(filepath.Join(tmp, "bundle.zip"), m.Bundle, 0o600); err != nil {
			return Entry{}, fmt.Errorf("add to outbox: %w", err)
		}
	}
	if err := writeJSONFile(filepath.Join(tmp, "entry.json"), e); err != nil {
		return Entry{}, fmt.Errorf("add to outbox: %w", err)
	}
	if err := os.Rename(tmp, o.entryDir(m.Ref)); err != nil {
		return Entry{}, fmt.Errorf("add to outbox: %w", err)
	}
	atomicfile.SyncDir(o.pendingDir())
	o.changed()
	return e, nil
}

// Attempt sends one request now, whatever its state, unless it is already delivered (then it
// returns the history entry). It waits for another process's attempt to finish first. The
// receipt's Clipboard is returned here only; the stored entry keeps no copy of the text.
func (o *Outbox) Attempt(ctx context.Context, ref string) (Entry, Receipt, error) {
	if !validRef(ref) {
		return Entry{}, Receipt{}, ErrUnknownRequest
	}
	unlock, err := o.lock(ctx, true)
	if err != nil {
		return Entry{}, Receipt{}, err
	}
	defer unlock()
	return o.attemptLocked(ctx, ref)
}

// Flush attempts every request that is due: queued ones, waiting ones whose time has come
// (all waiting ones when force is set: the connection just returned), and attempts a crash
// cut short. Requests that wait for the user (credentials, refused) and those the user must
// complete (portal, e-mail) are left alone. It returns when the next waiting request falls due
// (zero when none waits), so the caller can set one timer. When another process holds the
// outbox, Flush does nothing and asks to be called again soon.
func (o *Outbox) Flush(ctx context.Context, force bool) time.Time {
	unlock, err := o.lock(ctx, false)
	if err != nil {
		return o.now().Add(o.backoff(1))
	}
	defer unlock()
	o.recover()
	for _, e := range o.pendingLocked() {
		if ctx.Err() != nil {
			break
		}
		if !Delivers(e.Channel) {
			continue
		}
		due := e.State == StateQueued || e.State == StateSending ||
			(e.State == StateWaiting && (force || !o.now().Before(e.NextAttempt)))
		if due {
			_, _, _ = o.attemptLocked(ctx, e.Ref)
		}
	}
	var next time.Time
	for _, e := range o.pendingLocked() {
		if e.State == StateWaiting && Delivers(e.Channel) && (next.IsZero() || e.NextAttempt.Before(next)) {
			next = e.NextAttempt
		}
	}
	return next
}

// lock takes the process mutex and the outbox's file lock; wait says whether to wait for
// another process (until ctx is done) or give up at once.
func (o *Outbox) lock(ctx context.Context, wait bool) (func(), error) {
	o.mu.Lock()
	if err := os.MkdirAll(o.pendingDir(), 0o700); err != nil {
		o.mu.Unlock()
		return nil, fmt.Errorf("outbox: %w", err)
	}
	path := filepath.Join(o.pendingDir(), ".lock")
	for {
		f, err := filelock.TryLock(path)
		if err == nil {
			return func() { f.Close(); o.mu.Unlock() }, nil
		}
		if !errors.Is(err, filelock.ErrLocked) || !wait {
			o.mu.Unlock()
			return nil, err
		}
		select {
		case <-ctx.Done():
			o.mu.Unlock()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// recover finishes what a crash interrupted, with the lock held: a delivered request still in
// the outbox moves to the history; a hand-over (portal, e-mail) cut short is not reopened
// behind the user's back but marked failed, for the user to try again.
func (o *Outbox) recover() {
	for _, e := range o.pendingLocked() {
		switch {
		case e.Done():
			_ = o.archive(e)
		case e.State == StateSending && !Delivers(e.Channel):
			e.State = StateFailed
			msg := i18n.Msg("outbox.error.interrupted")
			e.Error = &msg
			_ = writeJSONFile(o.entryPath(e.Ref), e)
		}
	}
}

func (o *Outbox) attemptLocked(ctx context.Context, ref string) (Entry, Receipt, error) {
	e, err := o.readEntry(ref)
	if err != nil {
		if h, ok := o.historyEntry(ref); ok {
			return h, Receipt{}, nil // delivered by someone else meanwhile
		}
		if !o.stored(ref) {
			return Entry{}, Receipt{}, ErrUnknownRequest
		}
		repaired, ok := o.repair(ref, err)
		if !ok {
			return repaired, Receipt{}, &SendError{Kind: FailPermanent, Err: err, Message: *repaired.Error}
		}
		e = repaired
	}
	if e.Done() {
		return e, Receipt{}, o.archive(e)
	}
	var m Outgoing
	if err := readJSONFile(filepath.Join(o.entryDir(ref), "request.json"), &m); err != nil {
		return o.fail(e, &SendError{Kind: FailPermanent, Err: err,
			Message: i18n.Msg("outbox.error.store", "error", err.Error())})
	}
	if m.BundleName != "" {
		data, err := os.ReadFile(filepath.Join(o.entryDir(ref), "bundle.zip"))
		if err != nil {
			return o.fail(e, &SendError{Kind: FailPermanent, Err: err,
				Message: i18n.Msg("outbox.error.store", "error", err.Error())})
		}
		m.Bundle = data
	}
	m.Attempt = e.Attempts
	ch, err := o.Channel(m.Channel)
	if err != nil {
		return o.fail(e, &SendError{Kind: FailPermanent, Err: err,
			Message: i18n.Msg("outbox.error.unknown_channel", "channel", m.Channel)})
	}
	// Recorded before the attempt: if Apuri dies now, the next attempt knows one may have
	// reached the server.
	e.State, e.Attempts, e.LastAttempt, e.NextAttempt = StateSending, e.Attempts+1, o.now(), time.Time{}
	if err := writeJSONFile(o.entryPath(ref), e); err != nil {
		return Entry{}, Receipt{}, fmt.Errorf("outbox: %w", err)
	}
	o.changed()
	receipt, err := ch.Send(ctx, &m)
	if err != nil {
		return o.fail(e, AsSendError(err))
	}
	e.State = StateSent
	if receipt.HandedOver {
		e.State = StateHandedOver
	}
	stored := receipt
	stored.Clipboard = ""
	e.Receipt, e.SentAt, e.Error = &stored, o.now(), nil
	// Marked delivered in place first: a crash before the move leaves a delivered entry,
	// which recover archives, never a request that would be sent twice.
	if err := writeJSONFile(o.entryPath(ref), e); err != nil {
		return e, receipt, fmt.Errorf("outbox: %w", err)
	}
	err = o.archive(e)
	o.changed()
	return o.withRule(e), receipt, err
}

// fail records a failed attempt and says when to try again.
func (o *Outbox) fail(e Entry, se *SendError) (Entry, Receipt, error) {
	msg := se.Message
	if msg.Key == "" {
		msg = i18n.Msg("outbox.error.other", "error", se.Error())
	}
	e.Error = &msg
	switch se.Kind {
	case FailTemporary:
		e.State = StateWaiting
		e.NextAttempt = o.now().Add(o.backoff(max(e.Attempts, 1)))
	case FailCredentials:
		e.State = StateNeedsCredentials
	default:
		e.State = StateFailed
	}
	if !Delivers(e.Channel) && e.State == StateWaiting {
		e.State = StateFailed // a hand-over is never retried behind the user's back
	}
	err := writeJSONFile(o.entryPath(e.Ref), e)
	o.changed()
	if err != nil {
		return e, Receipt{}, fmt.Errorf("outbox: %w", err)
	}
	return e, Receipt{}, se
}

// Retry makes a request that waits for the user (credentials fixed, server fixed) due again
// and attempts it now.
func (o *Outbox) Retry(ctx context.Context, ref string) (Entry, Receipt, error) {
	return o.Attempt(ctx, ref)
}

// CredentialsChanged makes the requests of channel that waited for credentials due again;
// the next Flush attempts them.
func (o *Outbox) CredentialsChanged(channel string) {
	unlock, err := o.lock(context.Background(), true)
	if err != nil {
		return
	}
	changed := false
	for _, e := range o.pendingLocked() {
		if e.Channel == channel && e.State == StateNeedsCredentials {
			e.State, e.NextAttempt = StateWaiting, time.Time{}
			if writeJSONFile(o.entryPath(e.Ref), e) == nil {
				changed = true
			}
		}
	}
	unlock()
	if changed {
		o.changed()
	}
}

// Discard removes a request the user no longer wants sent.
func (o *Outbox) Discard(ctx context.Context, ref string) error {
	if !validRef(ref) {
		return ErrUnknownRequest
	}
	unlock, err := o.lock(ctx, true)
	if err != nil {
		return err
	}
	defer unlock()
	if !o.stored(ref) {
		return ErrUnknownRequest // a damaged entry may have no entry.json: its directory counts
	}
	if err := os.RemoveAll(o.entryDir(ref)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	o.changed()
	return nil
}

// Pending lists the requests not yet delivered, oldest first. It never waits for an attempt:
// entries are replaced whole, so reading beside a send is safe.
func (o *Outbox) Pending() []Entry { return o.pendingLocked() }

// pendingLocked reads the outbox directory. A half-written entry (a crash during Add) lives
// in a hidden temporary directory and is skipped; an entry that cannot be read is listed as
// damaged, so that no request is ever lost from sight.
func (o *Outbox) pendingLocked() []Entry {
	des, err := os.ReadDir(o.pendingDir())
	if err != nil {
		return nil
	}
	var out []Entry
	for _, de := range des {
		if !de.IsDir() || strings.HasPrefix(de.Name(), ".") || !validRef(de.Name()) {
			continue
		}
		e, err := o.readEntry(de.Name())
		if err != nil {
			e = o.damaged(de.Name(), err)
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out
}
