package selfhelp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/diskuse"
)

// The clean-up frees disk space without asking the user to judge files one by one, so it
// touches only what is safe to lose: the trash, which the user has already thrown away, and the
// user's own temporary files that no program has used for a day. Downloads are the user's
// files, and caches belong to programs that may be running, so both stay.

// CleanedUp is what CleanUp freed.
type CleanedUp struct {
	Bytes int64
	Files int
	// Left counts the files it would have removed but could not, or that were used too recently.
	Left int
}

// cleanUpLimits bound the clean-up: a trash of a million files is emptied in parts.
var cleanUpLimits = diskuse.Limits{Entries: 1_000_000}

const cleanUpTimeout = 2 * time.Minute

// CleanUp empties the trash and removes the user's own temporary files unused for a day. It
// acts at once: ask the user first (Action.Confirm). On an error it still says what it freed.
func (r *Remedies) CleanUp(ctx context.Context) (CleanedUp, error) {
	places := r.Places
	if places == nil {
		places = diskuse.Places(diskuse.SystemEnv(r.goos()))
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	lim := cleanUpLimits
	lim.Deadline = now().Add(cleanUpTimeout)
	var done CleanedUp
	var errs []error
	for _, p := range places {
		var c diskuse.Cleaned
		var err error
		switch p.Kind {
		case diskuse.Trash:
			c, err = diskuse.EmptyTrash(ctx, p, lim)
		case diskuse.Temp:
			c, err = diskuse.CleanTemp(ctx, p, now().Add(-diskuse.TempMinAge), lim)
		default:
			continue
		}
		done.Bytes += c.Bytes
		done.Files += c.Files
		done.Left += c.Left
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Kind, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return done, fmt.Errorf("clean up: %w", err)
	}
	return done, nil
}

// Message says what the clean-up freed, for the user.
func (c CleanedUp) Message() i18n.Message {
	size := i18n.Each(func(l string) string { return i18n.FormatBytes(l, c.Bytes) })
	switch {
	case c.Files == 0 && c.Left == 0:
		return i18n.Msg("selfhelp.cleaned.nothing")
	case c.Left > 0:
		return i18n.Msg("selfhelp.cleaned.some_left", "size", size, "left", c.Left)
	}
	return i18n.Msg("selfhelp.cleaned.done", "size", size)
}
