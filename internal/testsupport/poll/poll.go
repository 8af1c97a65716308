// Package poll waits for something that another goroutine or process will make true: a tray menu
// rebuilt, a request delivered, a window shown. Tests and the developer programs use it rather
// than each keeping a loop of their own, so that every wait is bounded and, in a test, says what
// it was waiting for when the bound is reached.
package poll

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// Limit bounds Until. It is generous on purpose: it only turns a hang into a failure that names
// what never happened, and the race detector on a busy machine is slow.
const Limit = 30 * time.Second

// The pause between two checks starts short, so that a condition that is nearly true costs
// little, and doubles up to maxPause, so that a slow one (a process started per check) does not
// spin.
const (
	firstPause = time.Millisecond
	maxPause   = 50 * time.Millisecond
)

// Wait checks cond, pausing between checks, until it holds or ctx ends; then it returns ctx's
// error. It does not check again once ctx has ended: a cond that uses ctx would only fail, and
// overwrite what the caller kept of the last real attempt.
func Wait(ctx context.Context, cond func() bool) error {
	pause := firstPause
	for !cond() {
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		pause = min(2*pause, maxPause)
	}
	return nil
}

// Within is Wait bounded by limit rather than by a context.
func Within(limit time.Duration, cond func() bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	if err := Wait(ctx, cond); err != nil {
		return fmt.Errorf("not within %v: %w", limit, err)
	}
	return nil
}

// Until waits for cond, up to Limit, and fails the test naming what if it never holds.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	until(t, Limit, what, cond)
}

func until(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	if err := Within(limit, cond); err != nil {
		t.Fatalf("gave up waiting for %s: %v", what, err)
	}
}
