package diagnostics

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/load"
)

func TestCPU(t *testing.T) {
	avg := func(context.Context) (*load.AvgStat, error) {
		return &load.AvgStat{Load1: 3.14159, Load5: 2, Load15: 1}, nil
	}
	tests := []struct {
		name      string
		threshold float64
		busy      []float64
		err       error
		loadAvg   func(context.Context) (*load.AvgStat, error)
		status    Status
		reason    string
		key       string
		percent   float64
		hasLoad   bool
	}{
		{name: "idle", busy: []float64{12.34}, loadAvg: avg, status: StatusOK, key: "check.cpu.ok", percent: 12.3, hasLoad: true},
		{name: "busy over the default 90", busy: []float64{97.5}, loadAvg: avg, status: StatusWarn, reason: "cpu_busy", key: "check.cpu.busy", percent: 97.5, hasLoad: true},
		{name: "exactly at the threshold is fine", threshold: 80, busy: []float64{80}, status: StatusOK, key: "check.cpu.ok", percent: 80},
		{name: "over a profile threshold", threshold: 50, busy: []float64{60}, status: StatusWarn, reason: "cpu_busy", key: "check.cpu.busy", percent: 60},
		{name: "no load average on this OS", busy: []float64{5}, status: StatusOK, key: "check.cpu.ok", percent: 5},
		{name: "load average fails, busy still reported", busy: []float64{5}, loadAvg: func(context.Context) (*load.AvgStat, error) {
			return nil, errors.New("not implemented")
		}, status: StatusOK, key: "check.cpu.ok", percent: 5},
		{name: "sampling fails", err: errors.New("no /proc"), status: StatusSkip, reason: "no_data", key: "check.cpu.unavailable"},
		{name: "no sample", busy: []float64{}, status: StatusSkip, reason: "no_data", key: "check.cpu.unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPUCheck(&profile.Profile{Thresholds: profile.Thresholds{CPUBusyPercent: tt.threshold}}).(*cpuCheck)
			var gotInterval time.Duration
			c.percent = func(_ context.Context, interval time.Duration, percpu bool) ([]float64, error) {
				if percpu {
					t.Error("asked per CPU; want the total")
				}
				gotInterval = interval
				return tt.busy, tt.err
			}
			c.counts = func(context.Context, bool) (int, error) { return 8, nil }
			c.loadAvg = tt.loadAvg
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if gotInterval != cpuSample {
				t.Errorf("sampled %s, want %s", gotInterval, cpuSample)
			}
			if tt.status == StatusSkip {
				return
			}
			if r.Details["busy_percent"] != tt.percent || r.Details["cores"] != 8 {
				t.Errorf("details = %v", r.Details)
			}
			if _, ok := r.Details["load1"]; ok != tt.hasLoad {
				t.Errorf("load1 present = %v, want %v", ok, tt.hasLoad)
			}
			if tt.hasLoad && r.Details["load1"] != 3.1 {
				t.Errorf("load1 = %v, want 3.1", r.Details["load1"])
			}
		})
	}
}

// The real gopsutil functions work on this machine; a broken default would otherwise only show
// as a skipped check in the field.
func TestSystemChecksWithRealDefaults(t *testing.T) {
	p := &profile.Profile{}
	for _, c := range []Check{newCPUCheck(p), newMemoryCheck(p), newDiskCheck(p), newUptimeCheck(p)} {
		t.Run(c.ID(), func(t *testing.T) {
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status == StatusSkip || r.Status == "" {
				t.Fatalf("status = %q (%s), details %v", r.Status, r.Message.Key, r.Details)
			}
			if len(r.Details) == 0 {
				t.Error("no details")
			}
		})
	}
}
