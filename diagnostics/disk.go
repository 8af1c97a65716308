package diagnostics

import (
	"context"
	"math"
	"os"
	"runtime"
	"strings"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/disk"
)

const (
	defaultDiskFreePercent = 10
	// Below either of these, updates, sign-in profiles and browser caches start failing.
	diskFullPercent = 2
	diskFullBytes   = 1 << 30
)

// diskCheck looks at the free space on the system volume, where the OS and the programs live,
// and on the volume of the user's home folder, where the user profile and the browser caches
// live (often a volume of its own). It reports the fuller one, by its path, so that the verdict
// can say which disk is full.
type diskCheck struct {
	freeWarn float64
	paths    []string
	usage    func(ctx context.Context, path string) (*disk.UsageStat, error)
	// usedBy measures what the user can clear on a full volume; nil measures nothing.
	usedBy func(ctx context.Context, volume string) []diskUsage
}

func newDiskCheck(p *profile.Profile) Check {
	paths := []string{systemVolume(runtime.GOOS, os.Getenv)}
	if home, err := os.UserHomeDir(); err == nil && home != "" && home != paths[0] {
		paths = append(paths, home)
	}
	return &diskCheck{
		freeWarn: thresholdOr(p.Thresholds.DiskFreePercent, defaultDiskFreePercent),
		paths:    paths,
		usage:    disk.UsageWithContext,
		usedBy:   systemDiskUsage,
	}
}

// systemVolume is the root of the volume the operating system runs from.
func systemVolume(goos string, getenv func(string) string) string {
	if goos != "windows" {
		return "/"
	}
	drive := strings.TrimRight(getenv("SystemDrive"), `\`)
	if drive == "" {
		drive = "C:"
	}
	return drive + `\`
}

func (c *diskCheck) ID() string   { return IDDisk }
func (c *diskCheck) Group() Group { return GroupSystem }

func (c *diskCheck) Run(ctx context.Context) Result {
	path, u := c.fullest(ctx)
	if u == nil {
		return Skip(i18n.Msg("check.disk.unavailable")).Because(ReasonNoData).Detail(DetailPath, c.paths[0])
	}
	free := oneDecimal(float64(u.Free) / float64(u.Total) * 100)
	pct := int(math.Floor(free))
	var r Result
	switch {
	case free < diskFullPercent || u.Free < diskFullBytes:
		r = Fail(i18n.Msg("check.disk.full", "percent", pct)).Because(ReasonDiskFull)
	case free < c.freeWarn:
		r = Warn(i18n.Msg("check.disk.low", "percent", pct)).Because(ReasonDiskLow)
	default:
		r = OK(i18n.Msg("check.disk.ok", "percent", pct))
	}
	r = r.Detail(DetailPath, path).Detail(DetailFreeBytes, u.Free).Detail(DetailTotalBytes, u.Total).Detail(DetailFreePercent, free)
	if r.Status != StatusOK && c.usedBy != nil {
		if used := c.usedBy(ctx, path); len(used) > 0 {
			r = r.Detail(DetailDiskUsage, used)
		}
	}
	return r
}

// fullest reads every volume and returns the one with the least room, the first on a tie (the
// same volume twice reads the same); nil when none could be read.
func (c *diskCheck) fullest(ctx context.Context) (string, *disk.UsageStat) {
	var (
		best     string
		bestU    *disk.UsageStat
		bestFree float64
	)
	for _, path := range c.paths {
		u, err := c.usage(ctx, path)
		if err != nil || u == nil || u.Total == 0 {
			Logf(ctx, "reading %s: %v", path, err)
			continue
		}
		// Free is what an ordinary user may still write (root's reserve excluded).
		free := float64(u.Free) / float64(u.Total) * 100
		Logf(ctx, "%s: %d of %d bytes free (%.1f %%)", path, u.Free, u.Total, free)
		if bestU == nil || free < bestFree {
			best, bestU, bestFree = path, u, free
		}
	}
	return best, bestU
}
