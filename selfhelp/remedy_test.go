package selfhelp

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// cmdLog records the commands a Remedies would run or start.
type cmdLog struct {
	mu   sync.Mutex
	cmds []string
	err  error // what every command returns
}

func (c *cmdLog) runner(kind string) Runner {
	return func(_ context.Context, name string, args ...string) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.cmds = append(c.cmds, kind+": "+strings.Join(append([]string{name}, args...), " "))
		return c.err
	}
}

func (c *cmdLog) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.cmds...)
}

// busCall is one method call on the fake bus.
type busCall struct {
	Dest, Path, Method string
	Args               []any
}

// fakeBus plays logind: it answers from replies and fails with errs, keyed by method name.
type fakeBus struct {
	calls   []busCall
	replies map[string][]any
	errs    map[string]error
	closed  int
}

func (f *fakeBus) Call(_ context.Context, dest, path, method string, args ...any) ([]any, error) {
	f.calls = append(f.calls, busCall{dest, path, method, args})
	if err := f.errs[method]; err != nil {
		return nil, err
	}
	return f.replies[method], nil
}

func (f *fakeBus) Close() error { f.closed++; return nil }

const (
	canReboot       = "org.freedesktop.login1.Manager.CanReboot"
	reboot          = "org.freedesktop.login1.Manager.Reboot"
	getSession      = "org.freedesktop.login1.Manager.GetSession"
	getSessionByPID = "org.freedesktop.login1.Manager.GetSessionByPID"
	terminate       = "org.freedesktop.login1.Session.Terminate"
	sessionObj      = "/org/freedesktop/login1/session/_37"
)

func manager(method string, args ...any) busCall {
	return busCall{"org.freedesktop.login1", "/org/freedesktop/login1", method, args}
}

func TestLinuxRemedies(t *testing.T) {
	noBus := errors.New("no system bus")
	tests := []struct {
		name    string
		do      func(*Remedies, context.Context) error
		env     map[string]string
		replies map[string][]any
		errs    map[string]error
		busErr  error
		want    []busCall
		cmds    []string
		wantErr error
	}{
		{
			name:    "restart when logind allows it",
			do:      (*Remedies).Restart,
			replies: map[string][]any{canReboot: {"yes"}},
			want:    []busCall{manager(canReboot), manager(reboot, false)},
		},
		{
			name:    "restart after authentication lets polkit ask",
			do:      (*Remedies).Restart,
			replies: map[string][]any{canReboot: {"challenge"}},
			want:    []busCall{manager(canReboot), manager(reboot, true)},
		},
		{
			name:    "restart refused by logind runs nothing",
			do:      (*Remedies).Restart,
			replies: map[string][]any{canReboot: {"no"}},
			want:    []busCall{manager(canReboot)},
			wantErr: ErrNotPermitted,
		},
		{
			name:    "restart whose reboot call fails does not fall back",
			do:      (*Remedies).Restart,
			replies: map[string][]any{canReboot: {"yes"}},
			errs:    map[string]error{reboot: errors.New("Operation inhibited")},
			want:    []busCall{manager(canReboot), manager(reboot, false)},
			wantErr: errors.New("logind reboot: Operation inhibited"),
		},
		{
			name: "restart without logind on the bus falls back to systemctl",
			do:   (*Remedies).Restart,
			errs: map[string]error{canReboot: errors.New("ServiceUnknown")},
			want: []busCall{manager(canReboot)},
			cmds: []string{"run: systemctl reboot"},
		},
		{
			name:   "restart without a system bus falls back to systemctl",
			do:     (*Remedies).Restart,
			busErr: noBus,
			cmds:   []string{"run: systemctl reboot"},
		},
		{
			name:    "log out terminates the session named by XDG_SESSION_ID",
			do:      (*Remedies).LogOut,
			env:     map[string]string{"XDG_SESSION_ID": "37"},
			replies: map[string][]any{getSession: {sessionObj}},
			want: []busCall{
				manager(getSession, "37"),
				{"org.freedesktop.login1", sessionObj, terminate, nil},
			},
		},
		{
			name:    "log out finds the session by this process without XDG_SESSION_ID",
			do:      (*Remedies).LogOut,
			replies: map[string][]any{getSessionByPID: {sessionObj}},
			want: []busCall{
				manager(getSessionByPID, uint32(4242)),
				{"org.freedesktop.login1", sessionObj, terminate, nil},
			},
		},
		{
			name:   "log out without a system bus falls back to loginctl",
			do:     (*Remedies).LogOut,
			env:    map[string]string{"XDG_SESSION_ID": "37"},
			busErr: noBus,
			cmds:   []string{"run: loginctl terminate-session 37"},
		},
		{
			name:    "log out with no session to name runs nothing",
			do:      (*Remedies).LogOut,
			busErr:  noBus,
			wantErr: ErrUnsupported,
		},
		{
			name:    "log out with a malformed logind reply falls back to loginctl",
			do:      (*Remedies).LogOut,
			env:     map[string]string{"XDG_SESSION_ID": "37"},
			replies: map[string][]any{getSession: {42}},
			want:    []busCall{manager(getSession, "37")},
			cmds:    []string{"run: loginctl terminate-session 37"},
		},
		{
			name: "open URL starts xdg-open",
			do: func(r *Remedies, ctx context.Context) error {
				return r.OpenURL(ctx, "https://top.example.org/ohjeet?q=vpn&x=1")
			},
			cmds: []string{"start: xdg-open https://top.example.org/ohjeet?q=vpn&x=1"},
		},
		{
			name: "call starts xdg-open with the tel URI",
			do:   func(r *Remedies, ctx context.Context) error { return r.OpenURL(ctx, "tel:+358295000000") },
			cmds: []string{"start: xdg-open tel:+358295000000"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bus := &fakeBus{replies: tt.replies, errs: tt.errs}
			log := &cmdLog{}
			r := &Remedies{
				OS:    "linux",
				Run:   log.runner("run"),
				Start: log.runner("start"),
				SystemBus: func(context.Context) (Bus, error) {
					if tt.busErr != nil {
						return nil, tt.busErr
					}
					return bus, nil
				},
				Getenv: func(k string) string { return tt.env[k] },
				PID:    func() int { return 4242 },
			}
			err := tt.do(r, context.Background())
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tt.wantErr != nil && err == nil:
				t.Fatalf("err = nil, want %v", tt.wantErr)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr) && !strings.Contains(err.Error(), tt.wantErr.Error()):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(bus.calls, tt.want) {
				t.Errorf("bus calls:\n got  %#v\n want %#v", bus.calls, tt.want)
			}
			if got := log.got(); !reflect.DeepEqual(got, tt.cmds) {
				t.Errorf("commands = %q, want %q", got, tt.cmds)
			}
			if tt.busErr == nil && len(bus.calls) > 0 && bus.closed != 1 {
				t.Errorf("bus closed %d times, want once", bus.closed)
			}
		})
	}
}

func TestPlatformCommands(t *testing.T) {
	tests := []struct {
		name string
		os   string
		do   func(*Remedies, context.Context) error
		cmds []string
		err  error
	}{
		{"windows open URL", "windows", func(r *Remedies, ctx context.Context) error {
			return r.OpenURL(ctx, "https://example.org/a?b=c&d=e")
		}, []string{"start: rundll32 url.dll,FileProtocolHandler https://example.org/a?b=c&d=e"}, nil},
		{"macOS restart", "darwin", (*Remedies).Restart,
			[]string{`run: osascript -e tell application "System Events" to restart`}, nil},
		{"macOS log out", "darwin", (*Remedies).LogOut,
			[]string{`run: osascript -e tell application "System Events" to log out`}, nil},
		{"macOS open URL", "darwin", func(r *Remedies, ctx context.Context) error {
			return r.OpenURL(ctx, "mailto:tuki@example.org")
		}, []string{"start: open mailto:tuki@example.org"}, nil},
		{"other systems restart nothing", "plan9", (*Remedies).Restart, nil, ErrUnsupported},
		{"other systems log out nothing", "plan9", (*Remedies).LogOut, nil, ErrUnsupported},
		{"other systems open nothing", "plan9", func(r *Remedies, ctx context.Context) error {
			return r.OpenURL(ctx, "https://example.org/")
		}, nil, ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &cmdLog{}
			r := &Remedies{OS: tt.os, Run: log.runner("run"), Start: log.runner("start")}
			if err := tt.do(r, context.Background()); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := log.got(); !reflect.DeepEqual(got, tt.cmds) {
				t.Errorf("commands = %q, want %q", got, tt.cmds)
			}
		})
	}
}

func TestCommandFailureIsReported(t *testing.T) {
	log := &cmdLog{err: errors.New("exit status 1")}
	r := &Remedies{OS: "darwin", Run: log.runner("run")}
	err := r.Restart(context.Background())
	if err == nil || !strings.Contains(err.Error(), "exit status 1") {
		t.Fatalf("err = %v, want the command's failure", err)
	}
	if m := ErrorMessage(err); m.Key != "selfhelp.error.failed" || m.Args["error"] != err.Error() {
		t.Errorf("ErrorMessage = %+v", m)
	}
}

func TestURLRefusal(t *testing.T) {
	tests := []struct {
		name string
		url  string
		ok   bool
		want string // what is opened, when it is not refused
	}{
		{"https", "https://top.example.org/ohjeet", true, "https://top.example.org/ohjeet"},
		{"http", "http://captive.example.net/login?continue=/", true, "http://captive.example.net/login?continue=/"},
		{"upper-case scheme", "HTTPS://Example.org/", true, "https://Example.org/"},
		{"tel", "tel:+358295000000", true, "tel:+358295000000"},
		{"mailto", "mailto:tuki@example.org?subject=Apuri", true, "mailto:tuki@example.org?subject=Apuri"},
		{"file", "file:///etc/passwd", false, ""},
		{"file on Windows", `file://C:/Windows/System32/calc.exe`, false, ""},
		{"javascript", "javascript:alert(1)", false, ""},
		{"custom handler", "ms-settings:network", false, ""},
		{"search handler", "search-ms:query=x", false, ""},
		{"smb share", "smb://server/share", false, ""},
		{"ssh", "ssh://host", false, ""},
		{"data", "data:text/html,<script>", false, ""},
		{"no scheme", "top.example.org", false, ""},
		{"option-looking", "--help", false, ""},
		{"empty", "", false, ""},
		{"web without host", "https:///path", false, ""},
		{"opaque http", "http:example.org", false, ""},
		{"empty tel", "tel:", false, ""},
		{"space", "https://example.org/a b", false, ""},
		{"newline", "https://example.org/\n--flag", false, ""},
		{"quote", `https://example.org/"x`, false, ""},
		{"backslash", `https://example.org\..\x`, false, ""},
		{"UNC path", `\\server\share`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opened []string
			log := &cmdLog{}
			r := &Remedies{OS: "linux", Start: log.runner("start"), Open: func(_ context.Context, u string) error {
				opened = append(opened, u)
				return nil
			}}
			err := r.OpenURL(context.Background(), tt.url)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if !reflect.DeepEqual(opened, []string{tt.want}) {
					t.Errorf("opened %q, want %q", opened, tt.want)
				}
				return
			}
			if !errors.Is(err, ErrRefusedURL) {
				t.Fatalf("err = %v, want ErrRefusedURL", err)
			}
			if len(opened) > 0 || len(log.got()) > 0 {
				t.Errorf("a refused URL was handed on: %q %q", opened, log.got())
			}
			if m := ErrorMessage(err); m.Key != "selfhelp.error.refused_url" {
				t.Errorf("ErrorMessage = %v", m.Key)
			}
		})
	}
}

func TestRelogin(t *testing.T) {
	const (
		logout  = "https://mail.example.org/logout"
		service = "https://mail.example.org/"
	)
	tests := []struct {
		name       string
		logout     string
		service    string
		sleepErr   error
		opened     []string
		slept      []time.Duration
		wantErr    error
		delay      time.Duration
		wantErrAny bool
	}{
		{name: "sign-out page, a pause, then the service", logout: logout, service: service,
			opened: []string{logout, service}, slept: []time.Duration{defaultReloginDelay}},
		{name: "the delay can be set", logout: logout, service: service, delay: 5 * time.Second,
			opened: []string{logout, service}, slept: []time.Duration{5 * time.Second}},
		{name: "a bad service address opens nothing at all", logout: logout, service: "file:///x",
			wantErr: ErrRefusedURL},
		{name: "a tel: sign-out address is refused", logout: "tel:123", service: service,
			wantErr: ErrRefusedURL},
		{name: "cancelled while waiting, the service is not opened", logout: logout, service: service,
			sleepErr: context.Canceled, opened: []string{logout}, slept: []time.Duration{defaultReloginDelay},
			wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opened []string
			var slept []time.Duration
			r := &Remedies{
				OS:           "linux",
				ReloginDelay: tt.delay,
				Open:         func(_ context.Context, u string) error { opened = append(opened, u); return nil },
				Sleep: func(_ context.Context, d time.Duration) error {
					slept = append(slept, d)
					return tt.sleepErr
				},
			}
			err := r.Relogin(context.Background(), tt.logout, tt.service)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(opened, tt.opened) {
				t.Errorf("opened %q, want %q", opened, tt.opened)
			}
			if !reflect.DeepEqual(slept, tt.slept) {
				t.Errorf("slept %v, want %v", slept, tt.slept)
			}
		})
	}
}

func TestDo(t *testing.T) {
	firefox := &Browser{ID: "Firefox", Name: "Firefox"}
	tests := []struct {
		name   string
		action Action
		cmds   []string
		err    error
	}{
		{"restart", Action{Kind: ActionRestart}, []string{"api: Restart"}, nil},
		{"log out", Action{Kind: ActionLogOut}, []string{"api: SignOut"}, nil},
		{"relogin", Action{Kind: ActionReloginService, LogoutURL: "https://a.example/out", URL: "https://a.example/"},
			[]string{"start: rundll32 url.dll,FileProtocolHandler https://a.example/out",
				"start: rundll32 url.dll,FileProtocolHandler https://a.example/"}, nil},
		{"other browser", Action{Kind: ActionOtherBrowser, Browser: firefox, URL: "https://a.example/"},
			[]string{`start: C:\Firefox\firefox.exe https://a.example/`}, nil},
		{"other browser that is gone", Action{Kind: ActionOtherBrowser, Browser: &Browser{ID: "gone"}, URL: "https://a.example/"},
			nil, ErrBrowserNotFound},
		{"other browser without a browser", Action{Kind: ActionOtherBrowser, URL: "https://a.example/"}, nil, ErrBrowserNotFound},
		{"instructions", Action{Kind: ActionOpenURL, URL: "https://top.example/ohje"},
			[]string{"start: rundll32 url.dll,FileProtocolHandler https://top.example/ohje"}, nil},
		{"call", Action{Kind: ActionCall, URL: "tel:0295000000"},
			[]string{"start: rundll32 url.dll,FileProtocolHandler tel:0295000000"}, nil},
		{"request opens the portal", Action{Kind: ActionRequest, URL: "https://top.example/"},
			[]string{"start: rundll32 url.dll,FileProtocolHandler https://top.example/"}, nil},
		{"login page", Action{Kind: ActionOpenLoginPage, URL: "http://portal.example/login"},
			[]string{"start: rundll32 url.dll,FileProtocolHandler http://portal.example/login"}, nil},
		{"VPN instructions", Action{Kind: ActionReconnectVPN, URL: "https://top.example/vpn"},
			[]string{"start: rundll32 url.dll,FileProtocolHandler https://top.example/vpn"}, nil},
		{"the updates page", Action{Kind: ActionOpenUpdates},
			[]string{"start: rundll32 url.dll,FileProtocolHandler ms-settings:windowsupdate"}, nil},
		{"request without a portal", Action{Kind: ActionRequest}, nil, ErrNoAction},
		{"advice only", Action{Kind: ActionNone}, nil, ErrNoAction},
		{"unknown kind", Action{Kind: "format_disk"}, nil, ErrNoAction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &cmdLog{}
			r := &Remedies{
				OS: "windows", Run: log.runner("run"), Start: log.runner("start"),
				Session: loggedWinAPI{log.runner("api")},
				Registry: fakeRegistry{
					`HKLM\SOFTWARE\Clients\StartMenuInternet\Firefox\shell\open\command`: {"": `"C:\Firefox\firefox.exe"`},
				},
				Sleep: func(context.Context, time.Duration) error { return nil },
			}
			if err := r.Do(context.Background(), tt.action); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := log.got(); !reflect.DeepEqual(got, tt.cmds) {
				t.Errorf("commands = %q, want %q", got, tt.cmds)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		name string
		err  error
		key  string
	}{
		{"none", nil, ""},
		{"refused", ErrRefusedURL, "selfhelp.error.refused_url"},
		{"unsupported wrapped", errors.Join(errors.New("restart"), ErrUnsupported), "selfhelp.error.unsupported"},
		{"not permitted", ErrNotPermitted, "selfhelp.error.not_permitted"},
		{"policy", errors.Join(errors.New("restart"), ErrPolicy), "selfhelp.error.policy"},
		{"browser gone", ErrBrowserNotFound, "selfhelp.error.browser_not_found"},
		{"nothing to do", ErrNoAction, "selfhelp.error.no_action"},
		{"anything else", errors.New("boom"), "selfhelp.error.failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorMessage(tt.err).Key; got != tt.key {
				t.Errorf("key = %q, want %q", got, tt.key)
			}
		})
	}
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://example.org/", "tel:+358", "mailto:a@b", "file:///x", "javascript:x", "HTTP://x/%20"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := CheckURL(s)
		if err != nil {
			return
		}
		if !allowedSchemes[u.Scheme] {
			t.Fatalf("accepted scheme %q in %q", u.Scheme, s)
		}
		if strings.ContainsAny(s, " \t\r\n\"\\") {
			t.Fatalf("accepted %q", s)
		}
	})
}
