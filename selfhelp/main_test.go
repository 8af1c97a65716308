package selfhelp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// The real side effects are replaced for the whole test binary by a tripwire: nothing is
// restarted, logged out or opened by a test, and a test that forgets to inject a fake fails
// the run instead of acting on this computer.
var (
	tripMu  sync.Mutex
	tripped []string
)

var errTripwire = errors.New("tripwire: a test reached a real side effect")

func trip(what string) {
	tripMu.Lock()
	defer tripMu.Unlock()
	tripped = append(tripped, what)
}

func installTripwire() {
	execRun = func(_ context.Context, name string, args ...string) error {
		trip("run " + name + " " + strings.Join(args, " "))
		return errTripwire
	}
	execStart = func(_ context.Context, name string, args ...string) error {
		trip("start " + name + " " + strings.Join(args, " "))
		return errTripwire
	}
	execOutput = func(_ context.Context, name string, args ...string) ([]byte, error) {
		trip("output " + name + " " + strings.Join(args, " "))
		return nil, errTripwire
	}
	connectSystemBus = func(context.Context) (Bus, error) {
		trip("system bus")
		return nil, errTripwire
	}
	systemRegistry = tripRegistry{}
	systemSession = tripSession{}
}

type tripSession struct{}

func (tripSession) Restart() error { trip("Windows API restart"); return errTripwire }
func (tripSession) SignOut() error { trip("Windows API sign out"); return errTripwire }

type tripRegistry struct{}

func (tripRegistry) SubKeys(key string) ([]string, error) {
	trip("registry " + key)
	return nil, errTripwire
}

func (tripRegistry) Value(key, name string) (string, error) {
	trip("registry " + key + " " + name)
	return "", errTripwire
}

func TestMain(m *testing.M) {
	installTripwire()
	code := m.Run()
	tripMu.Lock()
	defer tripMu.Unlock()
	if len(tripped) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: tests reached real side effects:\n  %s\n", strings.Join(tripped, "\n  "))
		code = 1
	}
	os.Exit(code)
}

// TestZeroRemediesUseTheRealSideEffects proves that the tripwire guards what a zero Remedies
// would really do: each remedy reaches the package's real side effects, here swapped for a
// recorder for the length of this test (not parallel, so nothing else runs meanwhile).
func TestZeroRemediesUseTheRealSideEffects(t *testing.T) {
	saved := []any{execRun, execStart, execOutput, connectSystemBus, systemRegistry, systemSession}
	t.Cleanup(func() {
		execRun, execStart, execOutput = saved[0].(Runner), saved[1].(Runner), saved[2].(OutputFunc)
		connectSystemBus = saved[3].(func(context.Context) (Bus, error))
		systemRegistry = saved[4].(Registry)
		systemSession = saved[5].(SessionAPI)
	})
	var got []string
	record := func(kind string) Runner {
		return func(_ context.Context, name string, args ...string) error {
			got = append(got, kind+" "+name+" "+strings.Join(args, " "))
			return nil
		}
	}
	execRun, execStart = record("run"), record("start")
	connectSystemBus = func(context.Context) (Bus, error) {
		got = append(got, "bus")
		return nil, errors.New("no bus here")
	}
	systemSession = loggedWinAPI{record("api")}
	ctx := context.Background()

	tests := []struct {
		name string
		do   func(r *Remedies) error
		want []string
	}{
		{"linux restart", func(r *Remedies) error { r.OS = "linux"; return r.Restart(ctx) },
			[]string{"bus", "run systemctl reboot"}},
		{"windows log out", func(r *Remedies) error { r.OS = "windows"; return r.LogOut(ctx) },
			[]string{"api SignOut "}},
		{"darwin open", func(r *Remedies) error { r.OS = "darwin"; return r.OpenURL(ctx, "https://example.org/") },
			[]string{"start open https://example.org/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = nil
			if err := tt.do(&Remedies{}); err != nil {
				t.Fatalf("err = %v", err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("real side effects = %q, want %q", got, tt.want)
			}
		})
	}
}
