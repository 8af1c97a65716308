// Package diskuse finds what takes the user's disk space — the trash, temporary files,
// downloads and caches — and measures and empties those places with a bounded walk that never
// follows a symbolic link and never leaves the place's own file system.
package diskuse

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// The kinds of place, as the report names them.
const (
	Trash     = "trash"
	Temp      = "temp"
	Downloads = "downloads"
	Cache     = "cache"
)

// Kinds lists the values above, so tests can hold them to the documentation.
var Kinds = []string{Trash, Temp, Downloads, Cache}

// Place is one folder that holds the user's files of one kind. A trash without a path is the
// Windows Recycle Bin, which only the shell can measure and empty.
type Place struct {
	Kind string
	Path string
	// OwnedOnly: the folder is shared with other users (Linux and macOS /tmp): only the user's
	// own files count, and only they are ever removed.
	OwnedOnly bool
}

// Env is what finding the places reads: the home folder and the environment.
type Env struct {
	GOOS   string
	Home   string
	Getenv func(string) string
	// TempDir is os.TempDir() on this system.
	TempDir string
	// Downloads is the Windows Known Folder for downloads, "" elsewhere or when unknown.
	KnownDownloads string
}

// SystemEnv is this computer's.
func SystemEnv(goos string) Env {
	home, _ := os.UserHomeDir()
	return Env{GOOS: goos, Home: home, Getenv: os.Getenv, TempDir: os.TempDir(), KnownDownloads: knownDownloads()}
}

// Places are the user's places on the system env describes, in the order Kinds lists them.
func Places(env Env) []Place {
	if env.Home == "" {
		return nil
	}
	home := func(p ...string) string { return filepath.Join(append([]string{env.Home}, p...)...) }
	switch env.GOOS {
	case "windows":
		dl := env.KnownDownloads
		if dl == "" {
			dl = home("Downloads")
		}
		// %TEMP% is the user's own (%LOCALAPPDATA%\Temp).
		return []Place{{Kind: Trash}, {Kind: Temp, Path: env.TempDir}, {Kind: Downloads, Path: dl}}
	case "darwin":
		// $TMPDIR is the user's own folder under /var/folders.
		return []Place{{Kind: Trash, Path: home(".Trash")}, {Kind: Temp, Path: env.TempDir},
			{Kind: Downloads, Path: home("Downloads")}, {Kind: Cache, Path: home("Library", "Caches")}}
	}
	data := xdgDir(env, "XDG_DATA_HOME", home(".local", "share"))
	config := xdgDir(env, "XDG_CONFIG_HOME", home(".config"))
	cache := xdgDir(env, "XDG_CACHE_HOME", home(".cache"))
	dl := userDir(filepath.Join(config, "user-dirs.dirs"), "XDG_DOWNLOAD_DIR", env.Home)
	if dl == "" {
		dl = home("Downloads")
	}
	return []Place{
		{Kind: Trash, Path: filepath.Join(data, "Trash")},
		{Kind: Temp, Path: env.TempDir, OwnedOnly: true},
		{Kind: Downloads, Path: dl},
		{Kind: Cache, Path: cache},
	}
}

// xdgDir is an XDG base directory: the variable when it holds an absolute path, else the default.
func xdgDir(env Env, name, fallback string) string {
	if v := env.Getenv(name); filepath.IsAbs(v) {
		return v
	}
	return fallback
}

// userDir reads one folder from xdg-user-dirs' file, lines of NAME="$HOME/Folder" or an
// absolute path; "" when the file or the line is missing, or the line points at the home
// folder itself (what xdg-user-dirs writes for a folder the user has turned off).
func userDir(file, name, home string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || k != name {
			continue
		}
		v = strings.Trim(v, `"`)
		if rest, ok := strings.CutPrefix(v, "$HOME"); ok {
			v = home + rest
		}
		if v = filepath.Clean(v); !filepath.IsAbs(v) || v == filepath.Clean(home) {
			return ""
		}
		return v
	}
	return ""
}

// OnVolume says whether a place lives on the volume that holds path: freeing a place on
// another volume does not help a full one.
func OnVolume(p Place, path string) bool {
	if p.Path == "" {
		return true // the Recycle Bin spans every drive
	}
	a, errA := os.Stat(p.Path)
	b, errB := os.Stat(path)
	if errA != nil || errB != nil {
		return false
	}
	da, okA := fileDevice(a)
	db, okB := fileDevice(b)
	if !okA || !okB {
		return strings.EqualFold(filepath.VolumeName(p.Path), filepath.VolumeName(path))
	}
	return da == db
}
