package support

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// archive moves a delivered request to the history and drops its stored text and bundle.
func (o *Outbox) archive(e Entry) error {
	e.FeedbackUntil, e.Rule = time.Time{}, nil
	if err := writeJSONFile(o.sentPath(e.Ref), e); err != nil {
		return fmt.Errorf("outbox history: %w", err)
	}
	if err := os.RemoveAll(o.entryDir(e.Ref)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	o.prune()
	return nil
}

// prune keeps the newest HistoryLimit requests of the history.
func (o *Outbox) prune() {
	limit := o.HistoryLimit
	if limit <= 0 {
		limit = 100
	}
	h := o.readHistory()
	for _, e := range h[min(limit, len(h)):] {
		_ = os.Remove(o.sentPath(e.Ref))
	}
}

// History lists delivered requests, newest first, each with the guide's rule on rejecting
// the solution.
func (o *Outbox) History() []Entry {
	h := o.readHistory()
	for i := range h {
		h[i] = o.withRule(h[i])
	}
	return h
}

func (o *Outbox) historyEntry(ref string) (Entry, bool) {
	var e Entry
	if readJSONFile(o.sentPath(ref), &e) != nil {
		return Entry{}, false
	}
	return o.withRule(e), true
}

func (o *Outbox) readHistory() []Entry {
	des, err := os.ReadDir(o.sentDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	var out []Entry
	for _, de := range des {
		ref, ok := strings.CutSuffix(de.Name(), ".json")
		if !ok || !validRef(ref) {
			continue
		}
		var e Entry
		if readJSONFile(o.sentPath(ref), &e) == nil {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SentAt.After(out[j].SentAt) })
	return out
}

// withRule adds the support guide's rule: within feedback_days of delivery the solution can
// be rejected, which reopens the same request; after that a new request is needed.
func (o *Outbox) withRule(e Entry) Entry {
	if !e.Done() || e.SentAt.IsZero() {
		return e
	}
	days := e.FeedbackDays
	if days <= 0 {
		days = 5
	}
	e.FeedbackUntil = e.SentAt.AddDate(0, 0, days)
	var msg i18n.Message
	if o.now().Before(e.FeedbackUntil) {
		until := e.FeedbackUntil.Local()
		msg = i18n.Msg("outbox.history.can_reject",
			"date", i18n.Each(func(lang string) string { return i18n.FormatDate(lang, until) }))
	} else {
		msg = i18n.Msg("outbox.history.new_request")
	}
	e.Rule = &msg
	return e
}
