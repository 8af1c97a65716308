package selfhelp

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"
)

// fakeWinAPI records what was asked of the Windows API and answers with err.
type fakeWinAPI struct {
	calls []string
	err   error
}

func (f *fakeWinAPI) Restart() error { f.calls = append(f.calls, "restart"); return f.err }
func (f *fakeWinAPI) SignOut() error { f.calls = append(f.calls, "sign out"); return f.err }

// loggedWinAPI writes each call into a command log, beside the commands.
type loggedWinAPI struct{ log Runner }

func (l loggedWinAPI) Restart() error { return l.log(context.Background(), "Restart") }
func (l loggedWinAPI) SignOut() error { return l.log(context.Background(), "SignOut") }

// TestWindowsSessionThroughTheAPI: restart and sign-out go to the Windows API, never to a
// command, and what the API answers becomes what the user can do about it.
func TestWindowsSessionThroughTheAPI(t *testing.T) {
	api := func(name string, errno syscall.Errno) error { return fmt.Errorf("%s: %w", name, errno) }
	tests := []struct {
		name    string
		apiErr  error
		wantErr error  // nil: success
		key     string // the message the user sees
	}{
		{"done", nil, nil, ""},
		{"right withheld by policy", api("enable SeShutdownPrivilege", 1300), ErrPolicy, "selfhelp.error.policy"},
		{"privilege not held", api("InitiateShutdownW", 1314), ErrPolicy, "selfhelp.error.policy"},
		{"access denied", api("InitiateShutdownW", 5), ErrPolicy, "selfhelp.error.policy"},
		{"no such call (Wine)", api("InitiateShutdownW", 120), ErrUnsupported, "selfhelp.error.unsupported"},
		{"already shutting down", api("InitiateShutdownW", 1115), nil, ""},
		{"another scheduled shutdown", api("InitiateShutdownW", 1190), syscall.Errno(1190), "selfhelp.error.failed"},
		{"not a system error", errors.New("token: odd"), nil, "selfhelp.error.failed"},
	}
	for _, tt := range tests {
		for _, action := range []struct {
			name string
			do   func(*Remedies, context.Context) error
		}{{"restart", (*Remedies).Restart}, {"sign out", (*Remedies).LogOut}} {
			t.Run(tt.name+"/"+action.name, func(t *testing.T) {
				log, s := &cmdLog{}, &fakeWinAPI{err: tt.apiErr}
				r := &Remedies{OS: "windows", Run: log.runner("run"), Start: log.runner("start"), Session: s}
				err := action.do(r, context.Background())
				switch {
				case tt.key == "" && err != nil:
					t.Fatalf("err = %v, want none", err)
				case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if got := ErrorMessage(err).Key; got != tt.key {
					t.Errorf("message %q, want %q", got, tt.key)
				}
				if len(s.calls) != 1 || s.calls[0] != action.name {
					t.Errorf("API calls %q, want one %q", s.calls, action.name)
				}
				if got := log.got(); len(got) != 0 {
					t.Errorf("commands %q, want none", got)
				}
			})
		}
	}
}

func TestWindowsWithoutTheAPIIsUnsupported(t *testing.T) {
	saved := systemSession
	systemSession = nil
	defer func() { systemSession = saved }()
	r := &Remedies{OS: "windows"}
	if err := r.Restart(context.Background()); !errors.Is(err, ErrUnsupported) {
		t.Errorf("restart without the API: %v, want %v", err, ErrUnsupported)
	}
}
