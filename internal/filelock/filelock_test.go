//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows

package filelock

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestSecondLockIsRefusedUntilTheFirstIsReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	first, err := TryLock(path)
	if err != nil {
		t.Fatalf("first lock: %v", err)
	}
	if _, err := TryLock(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock while held: %v, want ErrLocked", err)
	}
	first.Close()
	again, err := TryLock(path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Close()
}
