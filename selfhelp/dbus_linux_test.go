package selfhelp

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/apuri-project/apuri/internal/testsupport/testbus"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a dbus-daemon of its own, listening on a socket in a temporary directory,
// and returns its address. It is a bus for this test only: nothing reaches the system's logind.
func privateBus(t *testing.T) string {
	t.Helper()
	bus := testbus.ForTest(t)
	return bus.Address
}

// fakeLogind answers logind's methods on the private bus and records what it was asked.
type fakeLogind struct {
	mu    sync.Mutex
	calls []string
	can   string
}

func (f *fakeLogind) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeLogind) CanReboot() (string, *dbus.Error) { f.record("CanReboot"); return f.can, nil }

func (f *fakeLogind) Reboot(interactive bool) *dbus.Error {
	if interactive {
		f.record("Reboot(true)")
	} else {
		f.record("Reboot(false)")
	}
	return nil
}

func (f *fakeLogind) GetSession(id string) (dbus.ObjectPath, *dbus.Error) {
	f.record("GetSession(" + id + ")")
	return dbus.ObjectPath("/org/freedesktop/login1/session/_3" + id), nil
}

func (f *fakeLogind) GetSessionByPID(pid uint32) (dbus.ObjectPath, *dbus.Error) {
	f.record("GetSessionByPID")
	return "/org/freedesktop/login1/session/c1", nil
}

type fakeSession struct {
	f    *fakeLogind
	path string
}

func (s fakeSession) Terminate() *dbus.Error { s.f.record("Terminate " + s.path); return nil }

// TestLogindOverARealBus runs the remedies through godbus against a fake logind on a private
// bus, so the method names, signatures and argument types are those a real logind accepts.
func TestLogindOverARealBus(t *testing.T) {
	addr := privateBus(t)
	server, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	logind := &fakeLogind{}
	if err := server.Export(logind, login1Path, login1Manager); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/org/freedesktop/login1/session/_337", "/org/freedesktop/login1/session/c1"} {
		if err := server.Export(fakeSession{logind, p}, dbus.ObjectPath(p), login1Session); err != nil {
			t.Fatal(err)
		}
	}
	if reply, err := server.RequestName(login1Dest, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("request name: %v %v", reply, err)
	}

	tests := []struct {
		name string
		can  string
		env  map[string]string
		do   func(*Remedies, context.Context) error
		want []string
	}{
		{"restart", "yes", nil, (*Remedies).Restart, []string{"CanReboot", "Reboot(false)"}},
		{"restart with authentication", "challenge", nil, (*Remedies).Restart, []string{"CanReboot", "Reboot(true)"}},
		{"log out by session ID", "", map[string]string{"XDG_SESSION_ID": "37"}, (*Remedies).LogOut,
			[]string{"GetSession(37)", "Terminate /org/freedesktop/login1/session/_337"}},
		{"log out by process", "", nil, (*Remedies).LogOut,
			[]string{"GetSessionByPID", "Terminate /org/freedesktop/login1/session/c1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logind.mu.Lock()
			logind.calls, logind.can = nil, tt.can
			logind.mu.Unlock()
			log := &cmdLog{}
			r := &Remedies{
				OS: "linux", Run: log.runner("run"), Start: log.runner("start"),
				SystemBus: func(ctx context.Context) (Bus, error) {
					conn, err := dbus.Connect(addr, dbus.WithContext(ctx))
					if err != nil {
						return nil, err
					}
					return godbusBus{conn}, nil
				},
				Getenv: func(k string) string { return tt.env[k] },
			}
			if err := tt.do(r, context.Background()); err != nil {
				t.Fatalf("err = %v", err)
			}
			logind.mu.Lock()
			got := logind.calls
			logind.mu.Unlock()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("logind was asked %q, want %q", got, tt.want)
			}
			if cmds := log.got(); len(cmds) > 0 {
				t.Errorf("commands ran beside logind: %q", cmds)
			}
		})
	}
}
