//go:build linux

package winlab_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// TestWindowsPendingRestart is test/lab's TestPendingRestartFromTheRealFlag for Windows: the
// key Windows Update creates while it waits for a restart is written into the prefix's
// registry, and system.reboot must warn, name Windows Update and date the request by the key's
// last write; without the key it is OK. It runs in an empty namespace, as on Linux: nothing
// but the registry matters.
func TestWindowsPendingRestart(t *testing.T) {
	need(t)
	ns := lab.EmptyNamespaceFor(t, "reboot")
	for _, tt := range []struct {
		name    string
		flag    bool
		status  string
		sources []any
	}{
		{"Windows Update waits for a restart", true, "warn", []any{"windows_update"}},
		{"nothing waits", false, "ok", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			flagged := time.Now()
			if tt.flag {
				wine.QueueReg("[" + lab.WindowsUpdateRebootKey + "]\n")
				t.Cleanup(func() { wine.QueueReg("[-" + lab.WindowsUpdateRebootKey + "]\n") })
			}
			r, err := wine.Diagnose(ctx, ns, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			c, ok := r.Report.Check(idReboot)
			if !ok {
				t.Fatalf("no %s in %s", idReboot, r.Stdout)
			}
			if c.Status != tt.status {
				t.Fatalf("%s %s (%s), want %s", idReboot, c.Status, c.Summary, tt.status)
			}
			if !tt.flag {
				return
			}
			if c.Reason != "reboot_pending" || !slices.Equal(c.Details["reboot_sources"].([]any), tt.sources) {
				t.Errorf("reason %q details %v", c.Reason, c.Details)
			}
			// The registry keeps a key's last write to the second or better.
			since, err := time.Parse(time.RFC3339, fmt.Sprint(c.Details["reboot_since"]))
			if err != nil || since.Before(flagged.Add(-time.Second)) || since.After(time.Now()) {
				t.Errorf("reboot_since %v: want the moment the key was written (%v)", c.Details["reboot_since"], flagged)
			}
		})
	}
}
