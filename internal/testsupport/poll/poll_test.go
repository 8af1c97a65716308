package poll

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// countdown is a condition that holds from its n-th check on, and counts the checks.
type countdown struct{ n, checks int }

func (c *countdown) cond() bool {
	c.checks++
	return c.checks >= c.n
}

func TestWaitReturnsAtTheFirstCheckThatHolds(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := &countdown{n: n}
			if err := Within(Limit, c.cond); err != nil {
				t.Fatalf("Within: %v", err)
			}
			if c.checks != n {
				t.Errorf("checked %d times, want %d", c.checks, n)
			}
		})
	}
}

func TestWithinGivesUpAtItsLimit(t *testing.T) {
	c := &countdown{n: math.MaxInt} // never holds
	err := Within(20*time.Millisecond, c.cond)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Within = %v, want a deadline error", err)
	}
	if c.checks < 2 {
		t.Errorf("checked %d times before giving up; it should keep trying until the limit", c.checks)
	}
}

func TestWaitStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &countdown{n: math.MaxInt}
	err := Wait(ctx, func() bool {
		if c.cond(); c.checks == 3 {
			cancel()
		}
		return false
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	if c.checks != 3 {
		t.Errorf("checked %d times, want 3: it must stop once the context has ended", c.checks)
	}
}

// recorder stands in for a test, to see what Until does with one that fails.
type recorder struct {
	testing.TB
	fatal string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }

func TestUntilFailsNamingWhatNeverHappened(t *testing.T) {
	r := &recorder{TB: t}
	until(r, 10*time.Millisecond, "the menu rebuilt", func() bool { return false })
	if !strings.Contains(r.fatal, "the menu rebuilt") {
		t.Errorf("the failure %q does not say what was awaited", r.fatal)
	}
}

func TestUntilPassesOnceTheConditionHolds(t *testing.T) {
	r := &recorder{TB: t}
	c := &countdown{n: 3}
	until(r, Limit, "the third check", c.cond)
	if r.fatal != "" {
		t.Errorf("failed although the condition held: %s", r.fatal)
	}
	if c.checks != 3 {
		t.Errorf("checked %d times, want 3", c.checks)
	}
}
