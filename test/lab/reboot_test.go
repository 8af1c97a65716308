//go:build linux

package lab_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// TestPendingRestartFromTheRealFlag runs the real binary over a /run of its own (a tmpfs
// mounted in the mount namespace that `ip netns exec` gives it, so the host's /run is not
// touched): with Debian's flag and package list there, system.reboot warns and names them;
// without, it is OK.
func TestPendingRestartFromTheRealFlag(t *testing.T) {
	need(t)
	ns := lab.EmptyNamespaceFor(t, "reboot")
	for _, tt := range []struct {
		name    string
		flag    bool
		status  string
		sources []any
	}{
		{"flagged", true, "warn", []any{"packages"}},
		{"not flagged", false, "ok", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			script := "#!/bin/sh\nset -e\nmount -t tmpfs apuri-test-run /run\n"
			if tt.flag {
				script += "printf '*** System restart required ***\\n' > /run/reboot-required\n" +
					"printf 'linux-image-6.1.0-28-amd64\\nlibc6\\n' > /run/reboot-required.pkgs\n"
			}
			script += fmt.Sprintf("exec %q \"$@\"\n", apuriBin)
			wrapper := filepath.Join(t.TempDir(), "apuri-with-run")
			if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			r, err := lab.Apuri{Bin: wrapper, Dir: binDir}.Diagnose(ctx, ns, "")
			if err != nil {
				t.Fatal(err)
			}
			c, ok := r.Report.Check("system.reboot")
			if !ok {
				t.Fatalf("no system.reboot in %s", r.Stdout)
			}
			if c.Status != tt.status {
				t.Fatalf("system.reboot %s (%s), want %s", c.Status, c.Summary, tt.status)
			}
			if !tt.flag {
				return
			}
			if c.Reason != "reboot_pending" || !slices.Equal(c.Details["reboot_sources"].([]any), tt.sources) {
				t.Errorf("reason %q details %v", c.Reason, c.Details)
			}
			if pkgs, _ := c.Details["reboot_packages"].([]any); !slices.Equal(pkgs, []any{"linux-image-6.1.0-28-amd64", "libc6"}) {
				t.Errorf("packages %v", c.Details["reboot_packages"])
			}
			since, err := time.Parse(time.RFC3339, fmt.Sprint(c.Details["reboot_since"]))
			if err != nil || time.Since(since) > time.Hour || time.Since(since) < -time.Minute {
				t.Errorf("reboot_since %v: want the moment the flag was written", c.Details["reboot_since"])
			}
		})
	}
}
