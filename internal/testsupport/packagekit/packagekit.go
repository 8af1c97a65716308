// Package packagekit is a PackageKit daemon for tests: it answers on a private D-Bus bus the
// calls system.updates makes (CreateTransaction, SetHints, GetUpdates with its Package and
// Finished signals, GetTimeSinceAction) and records them, so a test sees that no refresh was
// ever asked for.
package packagekit

import (
	"errors"
	"sync"

	"github.com/godbus/dbus/v5"
)

// PackageKit's names and the values of its enums that the fake speaks (pk-enum.h).
const (
	Dest        = "org.freedesktop.PackageKit"
	Path        = "/org/freedesktop/PackageKit"
	Iface       = "org.freedesktop.PackageKit"
	Transaction = "org.freedesktop.PackageKit.Transaction"

	FilterNone         = uint64(1) << 1
	RoleUpdatePackages = uint32(22)
	InfoNormal         = uint32(5)
	InfoBugfix         = uint32(6)
	InfoSecurity       = uint32(8)
	InfoBlocked        = uint32(9)
	ExitSuccess        = uint32(1)
	ExitFailed         = uint32(2)
	// Never is what GetTimeSinceAction answers for an action that never ran.
	Never = uint32(4294967295)
)

// Package is one Package signal: the update's kind and its package ID ("name;version;arch;repo").
type Package struct {
	Info uint32
	ID   string
}

// Fake is the daemon and its one transaction.
type Fake struct {
	conn *dbus.Conn

	mu        sync.Mutex
	packages  []Package
	exit      uint32
	sinceSecs uint32
	calls     []string
}

// TransactionPath is the object of the fake's transaction.
const TransactionPath = dbus.ObjectPath("/1_abcdef")

var errInvalid = errors.New("invalid argument")

// Start puts a fake on conn under PackageKit's name, answering GetUpdates with packages and
// then exit, and GetTimeSinceAction(update-packages) with sinceSecs.
func Start(conn *dbus.Conn, packages []Package, exit, sinceSecs uint32) (*Fake, error) {
	f := &Fake{conn: conn, packages: packages, exit: exit, sinceSecs: sinceSecs}
	if err := conn.Export(daemon{f}, Path, Iface); err != nil {
		return nil, err
	}
	if err := conn.Export(transaction{f}, TransactionPath, Transaction); err != nil {
		return nil, err
	}
	reply, err := conn.RequestName(Dest, dbus.NameFlagDoNotQueue)
	if err != nil {
		return nil, err
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return nil, errors.New("the PackageKit name is taken on this bus")
	}
	return f, nil
}

// Set changes the answers for the next transaction.
func (f *Fake) Set(exit, sinceSecs uint32) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exit, f.sinceSecs = exit, sinceSecs
}

// Calls lists the methods called so far, SetHints with its hint.
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *Fake) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

type daemon struct{ f *Fake }

func (d daemon) CreateTransaction() (dbus.ObjectPath, *dbus.Error) {
	d.f.record("CreateTransaction")
	return TransactionPath, nil
}

func (d daemon) GetTimeSinceAction(role uint32) (uint32, *dbus.Error) {
	d.f.record("GetTimeSinceAction")
	if role != RoleUpdatePackages {
		return 0, dbus.MakeFailedError(errInvalid)
	}
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	return d.f.sinceSecs, nil
}

type transaction struct{ f *Fake }

func (t transaction) SetHints(hints []string) *dbus.Error {
	if len(hints) == 0 {
		return dbus.MakeFailedError(errInvalid)
	}
	t.f.record("SetHints " + hints[0])
	if hints[0] == "cache-age=4294967295" {
		// An older daemon refuses a hint it does not know.
		return dbus.MakeFailedError(errInvalid)
	}
	return nil
}

func (t transaction) RefreshCache(bool) *dbus.Error {
	t.f.record("RefreshCache")
	return nil
}

func (t transaction) GetUpdates(filter uint64) *dbus.Error {
	t.f.record("GetUpdates")
	if filter != FilterNone {
		return dbus.MakeFailedError(errInvalid)
	}
	t.f.mu.Lock()
	packages, exit := t.f.packages, t.f.exit
	t.f.mu.Unlock()
	// The signals follow the reply, as the daemon's backend runs after the call returns.
	go func() {
		for _, p := range packages {
			t.f.conn.Emit(TransactionPath, Transaction+".Package", p.Info, p.ID, "summary")
		}
		if exit != ExitSuccess {
			t.f.conn.Emit(TransactionPath, Transaction+".ErrorCode", uint32(18), "no cache")
		}
		t.f.conn.Emit(TransactionPath, Transaction+".Finished", exit, uint32(40))
	}()
	return nil
}
