//go:build !windows

package diskuse

import "errors"

// Only Windows keeps a trash without a folder of its own.
var errNoRecycleBin = errors.New("no Recycle Bin on this system")

func recycleBin() (int64, int, error)   { return 0, 0, errNoRecycleBin }
func emptyRecycleBin() (Cleaned, error) { return Cleaned{}, errNoRecycleBin }
func knownDownloads() string            { return "" }
