package diskuse

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// tree writes files of the given sizes under dir, each last touched at its time.
func tree(t *testing.T, dir string, files map[string]int, at time.Time) {
	t.Helper()
	for name, size := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// outside is a folder beside the places, holding what links point at: it must never be
// counted, entered or touched.
func outside(t *testing.T) string {
	dir := t.TempDir()
	tree(t, dir, map[string]int{"precious.txt": 5000, "sub/deep.txt": 7000}, time.Now().Add(-72*time.Hour))
	return dir
}

// TestMeasureCountsFilesNotLinks: the sizes of the regular files, never what a link points at,
// and a walk that stops at its limit says it is incomplete.
func TestMeasureCountsFilesNotLinks(t *testing.T) {
	out := outside(t)
	dir := t.TempDir()
	tree(t, dir, map[string]int{"a.iso": 3000, "b/c.pdf": 200, "b/d/e.txt": 10}, time.Now())
	os.Symlink(out, filepath.Join(dir, "link-to-folder"))
	os.Symlink(filepath.Join(out, "precious.txt"), filepath.Join(dir, "link-to-file"))

	u := Measure(context.Background(), Place{Kind: Downloads, Path: dir}, Limits{Entries: 100})
	if u.Bytes != 3210 || u.Files != 3 || !u.Complete {
		t.Errorf("got %+v, want 3210 bytes in 3 files, complete", u)
	}
	if u := Measure(context.Background(), Place{Kind: Downloads, Path: dir}, Limits{Entries: 2}); u.Complete {
		t.Errorf("past the limit: %+v, want incomplete", u)
	}
	if u := Measure(context.Background(), Place{Kind: Trash, Path: filepath.Join(dir, "none")}, Limits{}); u.Bytes != 0 || !u.Complete {
		t.Errorf("a place that does not exist holds nothing: %+v", u)
	}
	// A place that is itself a link is not followed either.
	if u := Measure(context.Background(), Place{Kind: Cache, Path: filepath.Join(dir, "link-to-folder")}, Limits{}); u.Bytes != 0 {
		t.Errorf("followed a linked place: %+v", u)
	}
}

// TestEmptyTrash removes everything in the freedesktop.org trash, read-only folders and files
// included, keeps the trash's own folders, and never touches what a link in it points at.
func TestEmptyTrash(t *testing.T) {
	out := outside(t)
	trash := filepath.Join(t.TempDir(), "Trash")
	tree(t, trash, map[string]int{
		"files/report.odt": 4000, "files/module/go.mod": 100, "files/module/sub/x.go": 900,
		"info/report.odt.trashinfo": 60, "info/module.trashinfo": 60,
	}, time.Now())
	os.Symlink(out, filepath.Join(trash, "files", "linked-folder"))
	os.Symlink(filepath.Join(out, "precious.txt"), filepath.Join(trash, "files", "linked-file"))
	// A module cache thrown away is read-only all through.
	mod := filepath.Join(trash, "files", "module")
	for _, p := range []string{filepath.Join(mod, "sub", "x.go"), filepath.Join(mod, "go.mod")} {
		os.Chmod(p, 0o444)
	}
	os.Chmod(filepath.Join(mod, "sub"), 0o555)
	os.Chmod(mod, 0o555)
	t.Cleanup(func() { os.Chmod(mod, 0o755); os.Chmod(filepath.Join(mod, "sub"), 0o755) })

	c, err := EmptyTrash(context.Background(), Place{Kind: Trash, Path: trash}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Files != 7 || c.Left != 0 || c.Bytes < 5120 {
		t.Errorf("got %+v, want 7 removed (five files, two links) of at least 5120 bytes", c)
	}
	for _, sub := range []string{"files", "info", ""} {
		entries, err := os.ReadDir(filepath.Join(trash, sub))
		if err != nil {
			t.Fatalf("%s: %v", sub, err)
		}
		if sub != "" && len(entries) != 0 {
			t.Errorf("%s still holds %v", sub, entries)
		}
	}
	for _, p := range []string{"precious.txt", "sub/deep.txt"} {
		if !exists(filepath.Join(out, p)) {
			t.Errorf("%s, outside the trash, was removed through a link", p)
		}
	}
}

// TestCleanTempKeepsWhatIsInUse: only files unused since the cutoff go, with the folders they
// leave empty; recent files, sockets of running programs and what links point at stay.
func TestCleanTempKeepsWhatIsInUse(t *testing.T) {
	out := outside(t)
	tmp := t.TempDir()
	// The kernel sets a file's change time to now whatever its other times say, so "old" here
	// is before a cutoff an hour ahead and "new" is after it.
	cutoff := time.Now().Add(time.Hour)
	tree(t, tmp, map[string]int{"old.log": 1000, "build-1/obj.o": 2000, "build-1/deep/a.o": 300}, time.Now().Add(-48*time.Hour))
	tree(t, tmp, map[string]int{"today.tmp": 500, "busy/lock": 1}, cutoff.Add(24*time.Hour))
	os.Symlink(filepath.Join(out, "precious.txt"), filepath.Join(tmp, "old-link"))
	os.Symlink(out, filepath.Join(tmp, "linked-folder"))
	ln, err := net.Listen("unix", filepath.Join(tmp, "agent.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	c, err := CleanTemp(context.Background(), Place{Kind: Temp, Path: tmp, OwnedOnly: true}, cutoff, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Bytes < 3300 || c.Files != 5 || c.Left != 2 {
		t.Errorf("got %+v, want the three old files and two links removed, two recent files left", c)
	}
	var left []string
	filepath.WalkDir(tmp, func(p string, _ os.DirEntry, _ error) error {
		if rel, _ := filepath.Rel(tmp, p); rel != "." {
			left = append(left, rel)
		}
		return nil
	})
	slices.Sort(left)
	if want := []string{"agent.sock", "busy", "busy/lock", "today.tmp"}; !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
	if !exists(filepath.Join(out, "precious.txt")) || !exists(filepath.Join(out, "sub", "deep.txt")) {
		t.Error("a file outside the temporary folder was removed through a link")
	}
}

// TestSharedTempCountsOnlyTheUsersOwn: in a folder shared with other users, another user's
// files are neither counted nor removed (needs root, to give a file away).
func TestSharedTempCountsOnlyTheUsersOwn(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("giving a file to another user needs root")
	}
	tmp := t.TempDir()
	old := time.Now().Add(-48 * time.Hour)
	tree(t, tmp, map[string]int{"mine.tmp": 100, "theirs.tmp": 900}, old)
	if err := os.Lchown(filepath.Join(tmp, "theirs.tmp"), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	place := Place{Kind: Temp, Path: tmp, OwnedOnly: true}
	if u := Measure(context.Background(), place, Limits{}); u.Bytes != 100 || u.Files != 1 {
		t.Errorf("measured %+v, want only the user's 100 bytes", u)
	}
	if c, _ := CleanTemp(context.Background(), place, time.Now().Add(time.Hour), Limits{}); c.Files != 1 || c.Left != 0 || !exists(filepath.Join(tmp, "theirs.tmp")) {
		t.Errorf("cleaned %+v; another user's file must stay and not count", c)
	}
}

// TestPlacesFollowTheSystemsConventions: XDG base and user folders on Linux, the Known Folder
// on Windows, the home folder's own on macOS.
func TestPlacesFollowTheSystemsConventions(t *testing.T) {
	home := t.TempDir()
	cfg := filepath.Join(home, "conf")
	os.MkdirAll(cfg, 0o755)
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Työpöytä\"\nXDG_DOWNLOAD_DIR=\"$HOME/Lataukset\"\n"), 0o644)
	env := map[string]string{"XDG_CONFIG_HOME": cfg, "XDG_CACHE_HOME": "relative/ignored"}
	linux := Places(Env{GOOS: "linux", Home: home, TempDir: "/tmp", Getenv: func(k string) string { return env[k] }})
	want := []Place{
		{Kind: Trash, Path: filepath.Join(home, ".local/share/Trash")},
		{Kind: Temp, Path: "/tmp", OwnedOnly: true},
		{Kind: Downloads, Path: filepath.Join(home, "Lataukset")},
		{Kind: Cache, Path: filepath.Join(home, ".cache")},
	}
	if !slices.Equal(linux, want) {
		t.Errorf("Linux:\n%v\nwant\n%v", linux, want)
	}
	// A download folder turned off points at the home folder: the default is used instead.
	os.WriteFile(filepath.Join(cfg, "user-dirs.dirs"), []byte("XDG_DOWNLOAD_DIR=\"$HOME/\"\n"), 0o644)
	if p := Places(Env{GOOS: "linux", Home: home, TempDir: "/tmp", Getenv: func(k string) string { return env[k] }}); p[2].Path != filepath.Join(home, "Downloads") {
		t.Errorf("turned-off downloads: %v", p[2])
	}
	win := Places(Env{GOOS: "windows", Home: home, TempDir: "T", KnownDownloads: "D:\\Lataukset", Getenv: func(string) string { return "" }})
	if !slices.Equal(win, []Place{{Kind: Trash}, {Kind: Temp, Path: "T"}, {Kind: Downloads, Path: "D:\\Lataukset"}}) {
		t.Errorf("Windows: %v", win)
	}
	mac := Places(Env{GOOS: "darwin", Home: home, TempDir: "T", Getenv: func(string) string { return "" }})
	if mac[0].Path != filepath.Join(home, ".Trash") || mac[1].OwnedOnly {
		t.Errorf("macOS: %v", mac)
	}
}
