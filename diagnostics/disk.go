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

// diskCheck looks at the free space on the system volume, where the OS, the user profile and
// the browser caches live.
type diskCheck struct {
	freeWarn float64
	path     string
	usage    func(ctx context.Context, path string) (*disk.UsageStat, error)
}

func newDiskCheck(p *profile.Profile) Check {
	return &diskCheck{
		freeWarn: thresholdOr(p.Thresholds.DiskFreePercent, defaultDiskFreePercent),
		path:     systemVolume(runtime.GOOS, os.Getenv),
		usage:    disk.UsageWithContext,
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
	u, err := c.usage(ctx, c.path)
	if err != nil || u == nil || u.Total == 0 {
		Logf(ctx, "reading %s: %v", c.path, err)
		return Skip(i18n.Msg("check.disk.unavailable")).Because(ReasonNoData).Detail(DetailPath, c.path)
	}
	// Free is what an ordinary user may still write (root's reserve excluded).
	free := oneDecimal(float64(u.Free) / float64(u.Total) * 100)
	Logf(ctx, "%s: %d of %d bytes free (%.1f %%)", c.path, u.Free, u.Total, free)
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
	return r.Detail(DetailPath, c.path).Detail(DetailFreeBytes, u.Free).Detail(DetailTotalBytes, u.Total).Detail(DetailFreePercent, free)
}
