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
	"github.com/apuri-project/apuri/internal/testsupport/packagekit"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
)

// TestWaitingUpdatesFromPackageKit runs the real binary against a PackageKit of the test's
// own, on a private bus that DBUS_SYSTEM_BUS_ADDRESS names, over an empty /var/log/apt of its
// own (a tmpfs in the mount namespace `ip netns exec` gives it, so the host's apt history does
// not date the wait): three updates, none installed for 30 days, warn and say so; PackageKit's
// cache is never refreshed.
func TestWaitingUpdatesFromPackageKit(t *testing.T) {
	need(t)
	bus := testbus.ForTest(t)
	server, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	pk, err := packagekit.Start(server, []packagekit.Package{
		{Info: packagekit.InfoSecurity, ID: "libc6;2.36-9+deb12u9;amd64;debian-security"},
		{Info: packagekit.InfoNormal, ID: "firefox-esr;128.5.0esr-1~deb12u1;amd64;debian-security"},
		{Info: packagekit.InfoBugfix, ID: "tzdata;2024b-0+deb12u1;all;debian"},
	}, packagekit.ExitSuccess, 30*86400)
	if err != nil {
		t.Fatal(err)
	}
	ns := lab.EmptyNamespaceFor(t, "updates")
	script := "#!/bin/sh\nset -e\nmkdir -p /var/log/apt\nmount -t tmpfs apuri-test-apt /var/log/apt\n" +
		fmt.Sprintf("exec %q \"$@\"\n", apuriBin)
	wrapper := filepath.Join(t.TempDir(), "apuri-with-apt")
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := lab.Apuri{Bin: wrapper, Dir: binDir, Env: []string{"DBUS_SYSTEM_BUS_ADDRESS=" + bus.Address}}.Diagnose(ctx, ns, "")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := r.Report.Check("system.updates")
	if !ok {
		t.Fatalf("no system.updates in %s", r.Stdout)
	}
	if c.Status != "warn" || c.Reason != "updates_waiting" {
		t.Fatalf("system.updates %s %s (%s), want warn updates_waiting", c.Status, c.Reason, c.Summary)
	}
	d := c.Details
	if d["updates_count"] != 3.0 || d["updates_security"] != 1.0 || d["updates_basis"] != "last_installed" || d["days"] != 30.0 {
		t.Errorf("details %v", d)
	}
	if names, _ := d["updates_names"].([]any); !slices.Equal(names, []any{"libc6", "firefox-esr", "tzdata"}) {
		t.Errorf("names %v", d["updates_names"])
	}
	if slices.Contains(pk.Calls(), "RefreshCache") {
		t.Errorf("PackageKit was asked to refresh: %v", pk.Calls())
	}
}
