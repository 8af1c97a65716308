package diskuse

import (
	"io/fs"
	"syscall"
	"time"
)

// Windows gives no device number: a folder on another volume is reached only through a mount
// point or junction, which the walk never enters.
func fileDevice(fs.FileInfo) (uint64, bool) { return 0, false }

// The temporary folder on Windows is the user's own.
func ownedByMe(fs.FileInfo) bool { return true }

// lastUsed is the later of the times the file was written and created (last access times are
// often not kept on Windows).
func lastUsed(fi fs.FileInfo) time.Time {
	t := fi.ModTime()
	if d, ok := fi.Sys().(*syscall.Win32FileAttributeData); ok {
		if c := time.Unix(0, d.CreationTime.Nanoseconds()); c.After(t) {
			t = c
		}
	}
	return t
}
