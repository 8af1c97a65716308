//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package filelock

import (
	"fmt"
	"os"
)

// TryLock: no file locks here (O_EXCL on a lock file would outlive a crash), so it only opens
// the file; callers keep their own in-process guards, which is enough where Apuri is not packaged.
func TryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	return f, nil
}
