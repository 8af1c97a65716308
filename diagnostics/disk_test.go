package diagnostics

import (
	"context"
	"errors"
	"testing"

	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/disk"
)

func TestDisk(t *testing.T) {
	const gib = 1 << 30
	usage := func(total, free uint64) *disk.UsageStat {
		return &disk.UsageStat{Total: total, Free: free, Used: total - free}
	}
	tests := []struct {
		name      string
		threshold float64
		usage     *disk.UsageStat
		err       error
		status    Status
		reason    string
		key       string
		percent   int
	}{
		{name: "half free", usage: usage(500*gib, 250*gib), status: StatusOK, key: "check.disk.ok", percent: 50},
		{name: "under the default 10 %", usage: usage(500*gib, 25*gib), status: StatusWarn, reason: "disk_low", key: "check.disk.low", percent: 5},
		{name: "under a profile threshold", threshold: 30, usage: usage(500*gib, 100*gib), status: StatusWarn, reason: "disk_low", key: "check.disk.low", percent: 20},
		{name: "under 2 %", usage: usage(500*gib, 7*gib), status: StatusFail, reason: "disk_full", key: "check.disk.full", percent: 1},
		{name: "under 1 GiB on a small disk", usage: usage(8*gib, gib/2), status: StatusFail, reason: "disk_full", key: "check.disk.full", percent: 6},
		{name: "cannot read", err: errors.New("statfs: no such file"), status: StatusSkip, reason: "no_data", key: "check.disk.unavailable"},
		{name: "empty volume", usage: usage(0, 0), status: StatusSkip, reason: "no_data", key: "check.disk.unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newDiskCheck(&profile.Profile{Thresholds: profile.Thresholds{DiskFreePercent: tt.threshold}}).(*diskCheck)
			c.paths = []string{"/sysvol"}
			c.usedBy = nil
			var asked string
			c.usage = func(_ context.Context, path string) (*disk.UsageStat, error) { asked = path; return tt.usage, tt.err }
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if asked != "/sysvol" || r.Details["path"] != "/sysvol" {
				t.Errorf("asked %q, path detail %v", asked, r.Details["path"])
			}
			if tt.status == StatusSkip {
				return
			}
			if r.Message.Args["percent"] != tt.percent || r.Details["free_bytes"] != tt.usage.Free {
				t.Errorf("percent %v, details %v", r.Message.Args["percent"], r.Details)
			}
		})
	}
}

// TestDiskNamesTheFullerVolume: with the home folder on a volume of its own, the check reports
// whichever is fuller, by its path, and a volume it cannot read does not hide the other.
func TestDiskNamesTheFullerVolume(t *testing.T) {
	const gib = 1 << 30
	for _, tt := range []struct {
		name  string
		free  map[string]uint64 // of 100 GiB; a missing path cannot be read
		path  string
		key   string
		pct   int
		skips bool
	}{
		{"home fuller", map[string]uint64{"/": 50 * gib, "/home/maija": 3 * gib}, "/home/maija", "check.disk.low", 3, false},
		{"system fuller", map[string]uint64{"/": 1 * gib, "/home/maija": 60 * gib}, "/", "check.disk.full", 1, false},
		{"one volume, read twice", map[string]uint64{"/": 40 * gib, "/home/maija": 40 * gib}, "/", "check.disk.ok", 40, false},
		{"home unreadable", map[string]uint64{"/": 40 * gib}, "/", "check.disk.ok", 40, false},
		{"nothing readable", map[string]uint64{}, "/", "check.disk.unavailable", 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newDiskCheck(&profile.Profile{}).(*diskCheck)
			c.usedBy = nil
			c.paths = []string{"/", "/home/maija"}
			c.usage = func(_ context.Context, path string) (*disk.UsageStat, error) {
				free, ok := tt.free[path]
				if !ok {
					return nil, errors.New("statfs: permission denied")
				}
				return &disk.UsageStat{Path: path, Total: 100 * gib, Free: free, Used: 100*gib - free}, nil
			}
			r := c.Run(context.Background())
			if r.Message.Key != tt.key || r.Details["path"] != tt.path {
				t.Fatalf("got %s about %v, want %s about %s", r.Message.Key, r.Details["path"], tt.key, tt.path)
			}
			if !tt.skips && r.Message.Args["percent"] != tt.pct {
				t.Errorf("percent %v, want %d", r.Message.Args["percent"], tt.pct)
			}
		})
	}
}

func TestSystemVolume(t *testing.T) {
	for _, tt := range []struct {
		name, goos, drive, want string
	}{
		{"linux", "linux", "", "/"},
		{"macos", "darwin", "", "/"},
		{"windows system drive", "windows", "D:", `D:\`},
		{"windows drive with backslash", "windows", `E:\`, `E:\`},
		{"windows without the variable", "windows", "", `C:\`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "SystemDrive" {
					return tt.drive
				}
				return ""
			}
			if got := systemVolume(tt.goos, getenv); got != tt.want {
				t.Errorf("systemVolume = %q, want %q", got, tt.want)
			}
		})
	}
}
