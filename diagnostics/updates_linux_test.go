package diagnostics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/packagekit"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
	"github.com/godbus/dbus/v5"
)

// privateSystemBus starts a bus of the test's own and returns a way to connect to it; with
// packages, a fake PackageKit answers on it.
func privateSystemBus(t *testing.T, packages []packagekit.Package, exit, sinceSecs uint32) (func(context.Context) (*dbus.Conn, error), *packagekit.Fake) {
	t.Helper()
	bus := testbus.ForTest(t)
	connect := func(ctx context.Context) (*dbus.Conn, error) { return dbus.Connect(bus.Address, dbus.WithContext(ctx)) }
	if packages == nil {
		return connect, nil
	}
	server, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	f, err := packagekit.Start(server, packages, exit, sinceSecs)
	if err != nil {
		t.Fatal(err)
	}
	return connect, f
}

// TestPackageKitOverARealBus counts the updates a PackageKit on a private bus lists, through
// godbus, so the names, signatures and signals are those the real daemon speaks; it never asks
// for a refresh, and dates the wait by the later of PackageKit's and apt's last update.
func TestPackageKitOverARealBus(t *testing.T) {
	connect, f := privateSystemBus(t, []packagekit.Package{
		{Info: packagekit.InfoSecurity, ID: "libc6;2.36-9+deb12u9;amd64;debian-security"},
		{Info: packagekit.InfoNormal, ID: "firefox-esr;128.5.0esr-1~deb12u1;amd64;debian-security"},
		{Info: packagekit.InfoBlocked, ID: "linux-image-amd64;6.1.119-1;amd64;debian"},
		{Info: packagekit.InfoBugfix, ID: "tzdata;2024b-0+deb12u1;all;debian"},
	}, packagekit.ExitSuccess, 30*86400)
	history := filepath.Join(t.TempDir(), "history.log")
	l := linuxUpdates{connect: connect, aptHistory: history}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	st, err := l.pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Count != 3 || st.Security != 1 || !slices.Equal(st.Names, []string{"libc6", "firefox-esr", "tzdata"}) {
		t.Errorf("got %+v, want three updates (the blocked one not counted), one for security", st)
	}
	if ago := time.Since(st.Since); st.Basis != UpdatesBasisLastInstalled || ago < 30*86400*time.Second-time.Minute || ago > 30*86400*time.Second+time.Minute {
		t.Errorf("since %v (%s), want PackageKit's 30 days", st.Since, st.Basis)
	}
	if calls := f.Calls(); slices.Contains(calls, "RefreshCache") || !slices.Contains(calls, "SetHints interactive=false") {
		t.Errorf("calls %v: hints first, never a refresh", calls)
	}

	// apt upgraded later than PackageKit did: apt's date counts, and an install is no update.
	apt := time.Now().Add(-5 * 24 * time.Hour).Truncate(time.Second)
	log := "Start-Date: 2026-01-02  10:00:00\nCommandline: apt install htop\nInstall: htop:amd64 (3.2.2-2)\nEnd-Date: " +
		time.Now().Format("2006-01-02  15:04:05") + "\n\nStart-Date: x\nCommandline: apt upgrade\nUpgrade: libc6:amd64 (2.36-9+deb12u8, 2.36-9+deb12u9)\nEnd-Date: " +
		apt.Format("2006-01-02  15:04:05") + "\n"
	if err := os.WriteFile(history, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := l.pending(ctx); err != nil || !st.Since.Equal(apt) {
		t.Errorf("with apt's history: %v %v, want %v", st.Since, err, apt)
	}

	// PackageKit never updated and apt's log names no upgrade: the wait has no date.
	os.Remove(history)
	f.Set(packagekit.ExitSuccess, packagekit.Never)
	if st, err := l.pending(ctx); err != nil || !st.Since.IsZero() || st.Basis != "" {
		t.Errorf("undated: %+v %v", st, err)
	}

	// A transaction that fails is an error, never "no updates".
	f.Set(packagekit.ExitFailed, packagekit.Never)
	if st, err := l.pending(ctx); err == nil {
		t.Errorf("failed transaction: %+v", st)
	}
}

// TestNoPackageKitIsAnError: a bus without PackageKit says so; the check skips.
func TestNoPackageKitIsAnError(t *testing.T) {
	connect, _ := privateSystemBus(t, nil, 0, 0)
	l := linuxUpdates{connect: connect, aptHistory: filepath.Join(t.TempDir(), "none")}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if st, err := l.pending(ctx); err == nil {
		t.Fatalf("no PackageKit: %+v", st)
	} else if !strings.Contains(err.Error(), "PackageKit is not installed") {
		t.Errorf("error %v", err)
	}
}

// TestPackageKitEnumsAgree: the fake speaks the numbers the check reads.
func TestPackageKitEnumsAgree(t *testing.T) {
	if pkFilterNone != packagekit.FilterNone || pkRoleUpdatePackages != packagekit.RoleUpdatePackages ||
		pkInfoSecurity != packagekit.InfoSecurity || pkInfoBlocked != packagekit.InfoBlocked || pkExitSuccess != packagekit.ExitSuccess ||
		pkDest != packagekit.Dest || pkPath != packagekit.Path || pkTransaction != packagekit.Transaction {
		t.Error("the check and the fake disagree about PackageKit's names or numbers")
	}
}
