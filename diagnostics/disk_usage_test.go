package diagnostics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/diskuse"
	"github.com/shirou/gopsutil/v4/disk"
)

// TestFullDiskSaysWhatFillsIt: a disk that warns or fails lists what the user can clear on
// that volume; a disk with room measures nothing.
func TestFullDiskSaysWhatFillsIt(t *testing.T) {
	const gib = 1 << 30
	used := []diskUsage{{Place: diskuse.Downloads, Path: "/home/maija/Lataukset", Bytes: 9 * gib, Complete: true}}
	for _, tt := range []struct {
		name string
		free uint64
		want bool
	}{{"full", gib / 2, true}, {"low", 20 * gib, true}, {"room", 250 * gib, false}} {
		t.Run(tt.name, func(t *testing.T) {
			var asked string
			c := &diskCheck{freeWarn: 10, paths: []string{"/home"},
				usage: func(context.Context, string) (*disk.UsageStat, error) {
					return &disk.UsageStat{Total: 500 * gib, Free: tt.free}, nil
				},
				usedBy: func(_ context.Context, v string) []diskUsage { asked = v; return used }}
			r := c.Run(context.Background())
			assertContract(t, r)
			got, ok := r.Details[DetailDiskUsage]
			if ok != tt.want || tt.want && (asked != "/home" || !slices.Equal(got.([]diskUsage), used)) {
				t.Errorf("%s: disk_usage %v (asked about %q), want it: %v", r.Status, got, asked, tt.want)
			}
		})
	}
}

// TestDiskUsageLargestFirst measures real folders, largest first, and gives up within the time
// the check has left.
func TestDiskUsageLargestFirst(t *testing.T) {
	home := t.TempDir()
	write := func(rel string, size int) {
		p := filepath.Join(home, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Trash/files/old.iso", 5000)
	write("Downloads/a.zip", 9000)
	write("cache/thumb.png", 100)
	places := []diskuse.Place{
		{Kind: diskuse.Trash, Path: filepath.Join(home, "Trash")},
		{Kind: diskuse.Downloads, Path: filepath.Join(home, "Downloads")},
		{Kind: diskuse.Cache, Path: filepath.Join(home, "cache")},
		{Kind: diskuse.Temp, Path: filepath.Join(home, "no-such-folder")},
	}
	got := measureDiskUsage(context.Background(), places, home)
	var order []string
	for _, u := range got {
		order = append(order, u.Place)
	}
	if !slices.Equal(order, []string{"downloads", "trash", "cache"}) || got[0].Bytes != 9000 || !got[0].Complete {
		t.Errorf("got %+v, want downloads, trash, cache, largest first (a folder that does not exist is on no volume)", got)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(diskUsageMargin/2))
	defer cancel()
	if got := measureDiskUsage(ctx, places, home); got != nil {
		t.Errorf("with no time left: %+v", got)
	}
}
