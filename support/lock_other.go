//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package support

import (
	"fmt"
	"os"
)

// tryLock: no file locks here, so only the process's own mutex keeps sends apart.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	return f, nil
}
