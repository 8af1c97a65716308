//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package agent

import (
	"fmt"
	"os"
)

// tryLock: no file locks here; O_EXCL on a lock file would outlive a crash, so the socket
// alone decides (see Acquire), which is good enough where Apuri is not packaged.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	return f, nil
}
