//go:build !linux && !darwin && !windows

package diskuse

import (
	"io/fs"
	"time"
)

func fileDevice(fs.FileInfo) (uint64, bool) { return 0, false }

// Without a way to tell the owner, nothing in a shared folder counts as the user's.
func ownedByMe(fs.FileInfo) bool { return false }

func lastUsed(fi fs.FileInfo) time.Time { return fi.ModTime() }
