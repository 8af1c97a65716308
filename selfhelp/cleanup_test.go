package selfhelp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/diskuse"
)

// TestCleanUpTouchesOnlyTrashAndOldTemp runs the remedy on folders of the test's own: the
// trash is emptied, old temporary files go, and downloads, caches, recent temporary files and
// what a link points at all stay. The message names the size freed in every language.
func TestCleanUpTouchesOnlyTrashAndOldTemp(t *testing.T) {
	root := t.TempDir()
	write := func(rel string, size int, at time.Time) string {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, at, at)
		return p
	}
	// Apuri's clock is two days ahead, so that the files written now are over a day old
	// however the kernel sets their change time; "recent" files are dated after that.
	now := time.Now().Add(48 * time.Hour)
	old, recent := time.Now().Add(-72*time.Hour), now.Add(time.Hour)
	write("Trash/files/photo.jpg", 400_000, recent)
	write("Trash/info/photo.jpg.trashinfo", 100, recent)
	write("tmp/old.log", 600_000, old)
	keep := []string{
		write("tmp/today.tmp", 5000, recent),
		write("Downloads/contract.pdf", 900_000, old),
		write("cache/thumbnails/x.png", 700_000, old),
		write("elsewhere/precious.txt", 100, old),
	}
	os.Symlink(filepath.Join(root, "elsewhere"), filepath.Join(root, "Trash", "files", "linked"))
	os.Symlink(filepath.Join(root, "elsewhere", "precious.txt"), filepath.Join(root, "tmp", "old-link"))

	r := &Remedies{Now: func() time.Time { return now }, Places: []diskuse.Place{
		{Kind: diskuse.Trash, Path: filepath.Join(root, "Trash")},
		{Kind: diskuse.Temp, Path: filepath.Join(root, "tmp"), OwnedOnly: true},
		{Kind: diskuse.Downloads, Path: filepath.Join(root, "Downloads")},
		{Kind: diskuse.Cache, Path: filepath.Join(root, "cache")},
	}}
	c, err := r.CleanUp(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Bytes < 1_000_100 || c.Bytes > 1_001_000 || c.Left != 1 {
		t.Errorf("cleaned %+v, want the trash and the old log (about 1 MB), the recent file left", c)
	}
	for _, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	for _, p := range []string{"Trash/files/photo.jpg", "Trash/files/linked", "tmp/old.log", "tmp/old-link"} {
		if _, err := os.Lstat(filepath.Join(root, p)); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	for lang, want := range map[string]string{"fi": "Levytilaa vapautui 1,0\u00a0Mt", "sv": "1,0\u00a0MB diskutrymme frigjordes", "en": "1.0\u00a0MB of disk space freed"} {
		if got := i18n.New(lang).Message(c.Message()); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not say %q", lang, got, want)
		}
	}

	// Again: nothing is left to remove but the recent file, and Do takes the same way.
	if err := r.Do(context.Background(), Action{Kind: ActionCleanUp}); err != nil {
		t.Fatal(err)
	}
	c, _ = r.CleanUp(context.Background())
	if c.Files != 0 || c.Message().Key != "selfhelp.cleaned.some_left" {
		t.Errorf("second run %+v %s", c, c.Message().Key)
	}
	if (CleanedUp{}).Message().Key != "selfhelp.cleaned.nothing" {
		t.Error("an empty clean-up must say there was nothing to remove")
	}
}
