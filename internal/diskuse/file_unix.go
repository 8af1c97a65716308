//go:build linux || darwin

package diskuse

import (
	"io/fs"
	"os"
	"syscall"
	"time"
)

func fileDevice(fi fs.FileInfo) (uint64, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Dev), true
}

func ownedByMe(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

// lastUsed is the latest of the times the file was written, read or changed.
func lastUsed(fi fs.FileInfo) time.Time {
	t := fi.ModTime()
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		for _, ts := range readAndChanged(st) {
			if u := time.Unix(ts.Unix()); u.After(t) {
				t = u
			}
		}
	}
	return t
}
