package diagnostics

import (
	"context"
	"errors"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

func TestUptime(t *testing.T) {
	const day = 86400
	tests := []struct {
		name      string
		threshold int
		secs      uint64
		err       error
		status    Status
		reason    string
		key       string
		days      int
	}{
		{name: "restarted this morning", secs: 3 * 3600, status: StatusOK, key: "check.uptime.ok", days: 0},
		{name: "three days", secs: 3*day + 100, status: StatusOK, key: "check.uptime.ok", days: 3},
		{name: "exactly the default 14 days", secs: 14 * day, status: StatusOK, key: "check.uptime.ok", days: 14},
		{name: "just over 14 days", secs: 14*day + 1, status: StatusWarn, reason: "long_uptime", key: "check.uptime.long", days: 14},
		{name: "23 days", secs: 23*day + 5*3600, status: StatusWarn, reason: "long_uptime", key: "check.uptime.long", days: 23},
		{name: "under a profile threshold", threshold: 30, secs: 23 * day, status: StatusOK, key: "check.uptime.ok", days: 23},
		{name: "cannot read", err: errors.New("no boot time"), status: StatusSkip, reason: "no_data", key: "check.uptime.unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newUptimeCheck(&profile.Profile{Thresholds: profile.Thresholds{UptimeDays: tt.threshold}}).(*uptimeCheck)
			c.uptime = func(context.Context) (uint64, error) { return tt.secs, tt.err }
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if tt.status == StatusSkip {
				return
			}
			if r.Message.Args["days"] != tt.days || r.Details["uptime_s"] != tt.secs {
				t.Errorf("args %v, details %v", r.Message.Args, r.Details)
			}
		})
	}
}
