package diskuse

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Limits bound a walk: a place can hold millions of files, and a diagnosis must not wait for
// them. A walk that reaches a limit stops and says it is incomplete.
type Limits struct {
	Entries  int       // files and folders looked at; 0: no limit
	Deadline time.Time // zero: none
}

// Usage is what one place holds.
type Usage struct {
	Kind  string
	Path  string
	Bytes int64
	Files int
	// Complete is false when the walk stopped at a limit or the place could not be read in
	// full: Bytes is then at least what it holds.
	Complete bool
}

// errLimit stops a walk at its limits.
var errLimit = errors.New("limit reached")

// visitFunc sees every entry below the root (never the root itself), with its Lstat.
type visitFunc func(path string, d fs.DirEntry, fi fs.FileInfo)

// walk visits the tree under root without following symbolic links (WalkDir never does) and
// without entering a folder on another file system. It returns whether it saw everything.
func walk(ctx context.Context, root string, lim Limits, visit visitFunc) bool {
	rootInfo, err := os.Lstat(root)
	if err != nil || !rootInfo.IsDir() {
		// No such place (or a link where a folder should be): nothing to count.
		return errors.Is(err, fs.ErrNotExist)
	}
	rootDev, haveDev := fileDevice(rootInfo)
	complete := true
	entries := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			// A folder that cannot be read is left out, and the total says so.
			complete = false
			if path == root {
				return err
			}
			return nil
		}
		if path == root {
			return nil
		}
		entries++
		if lim.Entries > 0 && entries > lim.Entries {
			return errLimit
		}
		if entries%256 == 0 {
			if ctx.Err() != nil || !lim.Deadline.IsZero() && time.Now().After(lim.Deadline) {
				return errLimit
			}
		}
		fi, err := d.Info()
		if err != nil {
			complete = false
			return nil
		}
		if d.IsDir() && haveDev {
			if dev, ok := fileDevice(fi); ok && dev != rootDev {
				return fs.SkipDir
			}
		}
		visit(path, d, fi)
		return nil
	})
	return complete && err == nil
}

// Measure adds up the sizes of the files in a place, within lim.
func Measure(ctx context.Context, p Place, lim Limits) Usage {
	u := Usage{Kind: p.Kind, Path: p.Path}
	if p.Kind == Trash && p.Path == "" {
		bytes, items, err := recycleBin()
		u.Bytes, u.Files, u.Complete = bytes, items, err == nil
		return u
	}
	u.Complete = walk(ctx, p.Path, lim, func(_ string, d fs.DirEntry, fi fs.FileInfo) {
		if !fi.Mode().IsRegular() || p.OwnedOnly && !ownedByMe(fi) {
			return
		}
		u.Bytes += fi.Size()
		u.Files++
	})
	return u
}
