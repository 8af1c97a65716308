package diagnostics

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"time"

	"github.com/apuri-project/apuri/internal/diskuse"
)

// When a volume is full, the next question is what fills it. The check measures what the user
// can clear — the trash, temporary files, downloads, caches — on that volume, within the time
// left of its deadline, and lists them largest first (DetailDiskUsage).

// diskUsage is one place in DetailDiskUsage.
type diskUsage struct {
	Place    string `json:"place"` // one of DiskPlaces
	Path     string `json:"path,omitempty"`
	Bytes    int64  `json:"bytes"`
	Complete bool   `json:"complete"` // false: the walk stopped at its limits; bytes is at least this
}

// DiskPlaces are the values of a DetailDiskUsage place.
var DiskPlaces = diskuse.Kinds

// The bounds of the measurement: it must leave the check time to answer.
const (
	diskUsageBudget  = 1500 * time.Millisecond
	diskUsageMargin  = 300 * time.Millisecond
	diskUsageEntries = 200_000
)

// systemDiskUsage measures this user's places on the volume that holds volume.
func systemDiskUsage(ctx context.Context, volume string) []diskUsage {
	return measureDiskUsage(ctx, diskuse.Places(diskuse.SystemEnv(runtime.GOOS)), volume)
}

func measureDiskUsage(ctx context.Context, places []diskuse.Place, volume string) []diskUsage {
	places = slices.DeleteFunc(slices.Clone(places), func(p diskuse.Place) bool { return !diskuse.OnVolume(p, volume) })
	budget := diskUsageBudget
	if dl, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(dl)-diskUsageMargin)
	}
	if budget <= 0 || len(places) == 0 {
		return nil
	}
	share := budget / time.Duration(len(places))
	var out []diskUsage
	for _, p := range places {
		u := diskuse.Measure(ctx, p, diskuse.Limits{Entries: diskUsageEntries, Deadline: time.Now().Add(share)})
		Logf(ctx, "%s %s: %d bytes in %d files (complete: %v)", p.Kind, p.Path, u.Bytes, u.Files, u.Complete)
		out = append(out, diskUsage{Place: u.Kind, Path: u.Path, Bytes: u.Bytes, Complete: u.Complete})
	}
	slices.SortStableFunc(out, func(a, b diskUsage) int { return cmp.Compare(b.Bytes, a.Bytes) })
	return out
}
