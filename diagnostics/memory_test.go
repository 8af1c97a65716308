package diagnostics

import (
	"context"
	"errors"
	"testing"

	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/mem"
)

func TestMemory(t *testing.T) {
	const gib = 1 << 30
	stat := func(used float64) *mem.VirtualMemoryStat {
		return &mem.VirtualMemoryStat{Total: 16 * gib, Available: uint64((100 - used) / 100 * 16 * gib), UsedPercent: used}
	}
	tests := []struct {
		name      string
		threshold float64
		stat      *mem.VirtualMemoryStat
		err       error
		status    Status
		reason    string
		key       string
		percent   int
	}{
		{name: "plenty free", stat: stat(42.44), status: StatusOK, key: "check.memory.ok", percent: 42},
		{name: "at the default threshold", stat: stat(90), status: StatusOK, key: "check.memory.ok", percent: 90},
		{name: "over the default threshold", stat: stat(93.6), status: StatusWarn, reason: "memory_high", key: "check.memory.high", percent: 94},
		{name: "over a profile threshold", threshold: 75, stat: stat(80), status: StatusWarn, reason: "memory_high", key: "check.memory.high", percent: 80},
		{name: "full at 98", stat: stat(98), status: StatusFail, reason: "memory_full", key: "check.memory.full", percent: 98},
		{name: "full even with a high threshold", threshold: 99.5, stat: stat(99.1), status: StatusFail, reason: "memory_full", key: "check.memory.full", percent: 99},
		{name: "cannot read", err: errors.New("no /proc/meminfo"), status: StatusSkip, reason: "no_data", key: "check.memory.unavailable"},
		{name: "nonsense total", stat: &mem.VirtualMemoryStat{}, status: StatusSkip, reason: "no_data", key: "check.memory.unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newMemoryCheck(&profile.Profile{Thresholds: profile.Thresholds{MemoryUsedPercent: tt.threshold}}).(*memoryCheck)
			c.virtual = func(context.Context) (*mem.VirtualMemoryStat, error) { return tt.stat, tt.err }
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if tt.status == StatusSkip {
				return
			}
			if r.Message.Args["percent"] != tt.percent {
				t.Errorf("percent = %v, want %d", r.Message.Args["percent"], tt.percent)
			}
			if r.Details["total_bytes"] != tt.stat.Total || r.Details["available_bytes"] != tt.stat.Available {
				t.Errorf("details = %v", r.Details)
			}
		})
	}
}
