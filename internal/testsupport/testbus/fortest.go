package testbus

import (
	"os"
	"os/exec"
	"testing"
)

// ForTest starts a bus for t alone and stops it when t ends. Without dbus-daemon the test is
// skipped, except under CI=true, where `make deps-test` installs it and its absence fails.
func ForTest(t testing.TB) *Bus {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dbus-daemon is missing (make deps-test installs it)")
		}
		t.Skip("dbus-daemon is not installed")
	}
	bus, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close() })
	return bus
}
