package diskuse

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Cleaned is what a clean-up removed and what it left.
type Cleaned struct {
	Bytes int64 // the sizes of the files removed
	Files int
	// Left counts the files it would have removed but could not, or that were in use too
	// recently; the user's other files are never counted.
	Left int
}

func (c *Cleaned) add(o Cleaned) { c.Bytes += o.Bytes; c.Files += o.Files; c.Left += o.Left }

// TempMinAge is how long a temporary file must have gone unused before Apuri removes it: a
// program that is running may still need what it wrote today.
const TempMinAge = 24 * time.Hour

// EmptyTrash removes everything in the trash: the user put it there. Folders the user has made
// read-only are made writable first, as a file manager does when it empties the trash.
func EmptyTrash(ctx context.Context, p Place, lim Limits) (Cleaned, error) {
	if p.Path == "" {
		return emptyRecycleBin()
	}
	var total Cleaned
	// The freedesktop.org trash keeps files/, info/ and expunged/; macOS keeps the files
	// themselves. The folders stay, only their contents go.
	roots := []string{p.Path}
	if _, err := os.Lstat(filepath.Join(p.Path, "files")); err == nil {
		roots = []string{filepath.Join(p.Path, "files"), filepath.Join(p.Path, "info"), filepath.Join(p.Path, "expunged")}
	}
	for _, root := range roots {
		c, err := clean(ctx, root, rule{writable: true}, lim)
		total.add(c)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// CleanTemp removes the user's own regular files and symbolic links from the temporary folder
// that have gone unused since before cutoff, and the folders that are then empty. Sockets and
// pipes belong to running programs and stay, as does everything of other users.
func CleanTemp(ctx context.Context, p Place, cutoff time.Time, lim Limits) (Cleaned, error) {
	return clean(ctx, p.Path, rule{before: cutoff, ownedOnly: p.OwnedOnly}, lim)
}

type rule struct {
	before    time.Time // remove only what was last used before this; zero: everything
	ownedOnly bool
	writable  bool // make read-only folders and files writable to remove them
}

func (r rule) wants(fi fs.FileInfo) bool {
	if r.ownedOnly && !ownedByMe(fi) {
		return false
	}
	return r.before.IsZero() || lastUsed(fi).Before(r.before)
}

// clean removes, under root, what r allows; root itself stays.
func clean(ctx context.Context, root string, r rule, lim Limits) (Cleaned, error) {
	var c Cleaned
	type dir struct {
		path string
		fi   fs.FileInfo
	}
	var dirs []dir
	walk(ctx, root, lim, func(path string, d fs.DirEntry, fi fs.FileInfo) {
		mode := fi.Mode()
		switch {
		case mode.IsDir():
			if r.writable && mode.Perm()&0o700 != 0o700 {
				// Before WalkDir reads it: a read-only folder's contents cannot be removed.
				os.Chmod(path, mode.Perm()|0o700)
			}
			dirs = append(dirs, dir{path, fi})
		case mode.IsRegular() || mode&fs.ModeSymlink != 0:
			if !r.wants(fi) {
				if !r.ownedOnly || ownedByMe(fi) {
					c.Left++
				}
				return
			}
			err := os.Remove(path) // a link goes, never what it points to
			if err != nil && r.writable {
				// Windows refuses to remove a read-only file until it is writable.
				if os.Chmod(path, 0o600) == nil {
					err = os.Remove(path)
				}
			}
			if err != nil {
				c.Left++
				return
			}
			c.Bytes += fi.Size()
			c.Files++
		}
	})
	// Deepest first: WalkDir visits a folder before its contents. A folder that still holds
	// something is not removed.
	for _, d := range slices.Backward(dirs) {
		if r.wants(d.fi) {
			os.Remove(d.path)
		}
	}
	return c, ctx.Err()
}
