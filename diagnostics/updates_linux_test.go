package diagnostics

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/testbus"
	"github.com/godbus/dbus/v5"
)

// fakePackageKit is PackageKit's daemon and one transaction on a private bus: GetUpdates answers
// with its packages as Package signals, then Finished, as the real daemon does.
type fakePackageKit struct {
	conn      *dbus.Conn
	packages  []pkPackage
	exit      uint32
	sinceSecs uint32

	mu    sync.Mutex
	calls []string
}

// pkPackage is one Package signal: the update's kind and its package ID.
type pkPackage struct {
	info uint32
	id   string
}

const fakeTransaction = dbus.ObjectPath("/1_abcdef")

func (f *fakePackageKit) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakePackageKit) CreateTransaction() (dbus.ObjectPath, *dbus.Error) {
	f.record("CreateTransaction")
	return fakeTransaction, nil
}

func (f *fakePackageKit) GetTimeSinceAction(role uint32) (uint32, *dbus.Error) {
	f.record("GetTimeSinceAction")
	if role != pkRoleUpdatePackages {
		return 0, dbus.MakeFailedError(os.ErrInvalid)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sinceSecs, nil
}

func (f *fakePackageKit) SetHints(hints []string) *dbus.Error {
	f.record("SetHints " + hints[0])
	if hints[0] == "cache-age=4294967295" {
		// An older daemon refuses a hint it does not know; the question must still be asked.
		return dbus.MakeFailedError(os.ErrInvalid)
	}
	return nil
}

func (f *fakePackageKit) RefreshCache(bool) *dbus.Error {
	f.record("RefreshCache")
	return nil
}

func (f *fakePackageKit) GetUpdates(filter uint64) *dbus.Error {
	f.record("GetUpdates")
	if filter != pkFilterNone {
		return dbus.MakeFailedError(os.ErrInvalid)
	}
	// The signals follow the reply, as the daemon's backend runs after the call returns.
	f.mu.Lock()
	exit := f.exit
	f.mu.Unlock()
	go func() {
		for _, p := range f.packages {
			f.conn.Emit(fakeTransaction, pkTransaction+".Package", p.info, p.id, "summary")
		}
		if exit != pkExitSuccess {
			f.conn.Emit(fakeTransaction, pkTransaction+".ErrorCode", uint32(18), "no cache")
		}
		f.conn.Emit(fakeTransaction, pkTransaction+".Finished", exit, uint32(40))
	}()
	return nil
}

// startPackageKit puts f on a private bus under PackageKit's name and returns a way to connect.
func startPackageKit(t *testing.T, f *fakePackageKit) func(context.Context) (*dbus.Conn, error) {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dbus-daemon is missing (make deps-test installs it)")
		}
		t.Skip("dbus-daemon is not installed")
	}
	bus, err := testbus.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close() })
	connect := func(ctx context.Context) (*dbus.Conn, error) { return dbus.Connect(bus.Address, dbus.WithContext(ctx)) }
	if f == nil {
		return connect
	}
	server, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	f.conn = server
	if err := server.Export(f, pkPath, pkIface); err != nil {
		t.Fatal(err)
	}
	if err := server.Export(f, fakeTransaction, pkTransaction); err != nil {
		t.Fatal(err)
	}
	if reply, err := server.RequestName(pkDest, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request name: %v %v", reply, err)
	}
	return connect
}

// TestPackageKitOverARealBus counts the updates a PackageKit on a private bus lists, through
// godbus, so the names, signatures and signals are those the real daemon speaks; it never asks
// for a refresh, and dates the wait by the later of PackageKit's and apt's last update.
func TestPackageKitOverARealBus(t *testing.T) {
	f := &fakePackageKit{exit: pkExitSuccess, sinceSecs: 30 * 86400, packages: []pkPackage{
		{pkInfoSecurity, "libc6;2.36-9+deb12u9;amd64;debian-security"},
		{5, "firefox-esr;128.5.0esr-1~deb12u1;amd64;debian-security"},
		{pkInfoBlocked, "linux-image-amd64;6.1.119-1;amd64;debian"},
		{6, "tzdata;2024b-0+deb12u1;all;debian"},
	}}
	connect := startPackageKit(t, f)
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
	f.mu.Lock()
	if slices.Contains(f.calls, "RefreshCache") || !slices.Contains(f.calls, "SetHints interactive=false") {
		t.Errorf("calls %v: hints first, never a refresh", f.calls)
	}
	f.mu.Unlock()

	// apt upgraded later than PackageKit did: apt's date counts.
	apt := time.Now().Add(-5 * 24 * time.Hour).Truncate(time.Second)
	log := "Start-Date: 2026-01-02  10:00:00\nCommandline: apt install htop\nInstall: htop:amd64 (3.2.2-2)\nEnd-Date: " +
		time.Now().Format("2006-01-02  15:04:05") + "\n\nStart-Date: x\nCommandline: apt upgrade\nUpgrade: libc6:amd64 (2.36-9+deb12u8, 2.36-9+deb12u9)\nEnd-Date: " +
		apt.Format("2006-01-02  15:04:05") + "\n"
	if err := os.WriteFile(history, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, err := l.pending(ctx); err != nil || !st.Since.Equal(apt) {
		t.Errorf("with apt's history: %v %v, want %v (an install is not an update)", st.Since, err, apt)
	}

	// PackageKit never updated and apt's log names no upgrade: the wait has no date.
	os.Remove(history)
	f.mu.Lock()
	f.sinceSecs = 4294967295
	f.mu.Unlock()
	if st, err := l.pending(ctx); err != nil || !st.Since.IsZero() || st.Basis != "" {
		t.Errorf("undated: %+v %v", st, err)
	}

	// A transaction that fails is an error, never "no updates".
	f.mu.Lock()
	f.exit = 2
	f.mu.Unlock()
	if st, err := l.pending(ctx); err == nil {
		t.Errorf("failed transaction: %+v", st)
	}
}

// TestNoPackageKitIsAnError: a bus without PackageKit says so; the check skips.
func TestNoPackageKitIsAnError(t *testing.T) {
	l := linuxUpdates{connect: startPackageKit(t, nil), aptHistory: filepath.Join(t.TempDir(), "none")}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if st, err := l.pending(ctx); err == nil {
		t.Fatalf("no PackageKit: %+v", st)
	} else if !strings.Contains(err.Error(), "PackageKit is not installed") {
		t.Errorf("error %v", err)
	}
}
