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
			c.path = "/sysvol"
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
