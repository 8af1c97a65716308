package selfhelp

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/diskuse"
	"github.com/apuri-project/apuri/profile"
)

// Runner runs a command. Remedies use one that waits for the command (restart, log out) and
// one that only starts it (URL handlers and browsers, which may keep running).
type Runner func(ctx context.Context, name string, args ...string) error

// OutputFunc runs a command and returns what it printed.
type OutputFunc func(ctx context.Context, name string, args ...string) ([]byte, error)

// Bus is the part of a D-Bus connection the Linux remedies use. Object paths travel as strings,
// so a fake needs no D-Bus types.
type Bus interface {
	// Call calls dest's method ("interface.Member") on the object at path and returns the reply.
	Call(ctx context.Context, dest, path, method string, args ...any) ([]any, error)
	Close() error
}

// Registry reads the Windows registry; keys are written with their root, as in
// `HKCU\Software\Clients\StartMenuInternet`, and the name "" is a key's default value.
type Registry interface {
	SubKeys(key string) ([]string, error)
	Value(key, name string) (string, error)
}

// SessionAPI restarts the computer and ends the user's session through the system's own calls
// (Windows). Errors keep the system's error number (syscall.Errno).
type SessionAPI interface {
	Restart() error
	SignOut() error
}

// The errors a remedy returns; ErrorMessage turns them into words for the user.
var (
	ErrPolicy          = errors.New("the organisation's policy does not allow it")
	ErrRefusedURL      = errors.New("refused to open this kind of address")
	ErrUnsupported     = errors.New("not supported on this system")
	ErrNotPermitted    = errors.New("the system does not allow it")
	ErrBrowserNotFound = errors.New("browser not found")
	ErrNoAction        = errors.New("this step has nothing to do")
	ErrRefusedCommand  = errors.New("refused to run this command")
)

// Remedies performs the one-click remedies. Every side effect is a field; a zero field uses
// the real one, so the zero value works on a real system and tests fill in fakes.
// Restart and LogOut act at once: ask the user first (Action.Confirm).
type Remedies struct {
	// OS picks the platform's way of doing things ("linux", "windows", "darwin"); "" is this one.
	OS string
	// Run runs a command and waits for it: restart and log out.
	Run Runner
	// Start starts a command without waiting: URL handlers and browsers keep running.
	Start Runner
	// Output runs a command and returns its output: the default browser on Linux and macOS.
	Output OutputFunc
	// SystemBus connects to the D-Bus system bus, where logind lives (Linux).
	SystemBus func(ctx context.Context) (Bus, error)
	// Open opens a URL with the user's default handler; nil uses the platform's command.
	Open func(ctx context.Context, url string) error
	// Getenv reads the environment: PATH, HOME, XDG_* and XDG_SESSION_ID.
	Getenv func(string) string
	// PID is this process's ID, to find its login session when XDG_SESSION_ID is unset.
	PID func() int
	// Session restarts and signs out on Windows; nil uses the Windows API.
	Session SessionAPI
	// Registry is the Windows registry, where installed browsers are listed.
	Registry Registry
	// AppDirs are where macOS applications are installed.
	AppDirs []string
	// ReloginDelay is how long Relogin gives the sign-out page before opening the service again.
	ReloginDelay time.Duration
	// Sleep waits for d or until ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error
	// Places are where CleanUp works; nil: this user's trash and temporary folder.
	Places []diskuse.Place
	// Now is the time CleanUp measures a temporary file's age from; nil: the clock.
	Now func() time.Time
}

// The real side effects. Package variables so tests can prove they are never reached.
var (
	execRun          Runner     = runCommand
	execStart        Runner     = startCommand
	execOutput       OutputFunc = outputCommand
	connectSystemBus            = dialSystemBus
	systemRegistry   Registry   = nativeRegistry()
	systemSession    SessionAPI = nativeSession()
)

const defaultReloginDelay = 2 * time.Second

func (r *Remedies) goos() string {
	if r.OS != "" {
		return r.OS
	}
	return runtime.GOOS
}

func (r *Remedies) run(ctx context.Context, name string, args ...string) error {
	if r.Run != nil {
		return r.Run(ctx, name, args...)
	}
	return execRun(ctx, name, args...)
}

func (r *Remedies) start(ctx context.Context, name string, args ...string) error {
	if r.Start != nil {
		return r.Start(ctx, name, args...)
	}
	return execStart(ctx, name, args...)
}

func (r *Remedies) output(ctx context.Context, name string, args ...string) ([]byte, error) {
	if r.Output != nil {
		return r.Output(ctx, name, args...)
	}
	return execOutput(ctx, name, args...)
}

func (r *Remedies) systemBus(ctx context.Context) (Bus, error) {
	if r.SystemBus != nil {
		return r.SystemBus(ctx)
	}
	return connectSystemBus(ctx)
}

func (r *Remedies) getenv(k string) string {
	if r.Getenv != nil {
		return r.Getenv(k)
	}
	return os.Getenv(k)
}

func (r *Remedies) pid() int {
	if r.PID != nil {
		return r.PID()
	}
	return os.Getpid()
}

func (r *Remedies) registry() Registry {
	if r.Registry != nil {
		return r.Registry
	}
	return systemRegistry
}

func (r *Remedies) session() SessionAPI {
	if r.Session != nil {
		return r.Session
	}
	return systemSession
}

func (r *Remedies) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// platform is one operating system's way of performing the remedies.
type platform interface {
	restart(ctx context.Context, r *Remedies) error
	logOut(ctx context.Context, r *Remedies) error
	openURL(ctx context.Context, r *Remedies, u string) error
	browsers(ctx context.Context, r *Remedies) []Browser
	// updatesCommand starts the system's own page for updates (updates.go); nil when there is none.
	updatesCommand(r *Remedies) []string
}

func (r *Remedies) platform() platform {
	switch r.goos() {
	case "linux":
		return linuxPlatform{}
	case "windows":
		return windowsPlatform{}
	case "darwin":
		return macPlatform{}
	}
	return unsupportedPlatform{}
}

// Restart restarts the computer now.
func (r *Remedies) Restart(ctx context.Context) error {
	if err := r.platform().restart(ctx, r); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}

// LogOut ends the user's computer session now; unsaved work in open programs is lost.
func (r *Remedies) LogOut(ctx context.Context) error {
	if err := r.platform().logOut(ctx, r); err != nil {
		return fmt.Errorf("log out: %w", err)
	}
	return nil
}

// OpenURL opens an http, https, tel or mailto URL with the user's default handler.
func (r *Remedies) OpenURL(ctx context.Context, raw string) error {
	u, err := CheckURL(raw)
	if err != nil {
		return err
	}
	if r.Open != nil {
		err = r.Open(ctx, u.String())
	} else {
		err = r.platform().openURL(ctx, r, u.String())
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", u.Scheme, err)
	}
	return nil
}

// Relogin signs out of a service and opens it again: the sign-out page first, then, after
// ReloginDelay, the service, which starts a fresh sign-in.
func (r *Remedies) Relogin(ctx context.Context, logoutURL, serviceURL string) error {
	// Check both before opening either, so a bad second address cannot leave the user signed out.
	for _, s := range []string{logoutURL, serviceURL} {
		if err := checkWebURL(s); err != nil {
			return err
		}
	}
	if err := r.OpenURL(ctx, logoutURL); err != nil {
		return err
	}
	d := r.ReloginDelay
	if d <= 0 {
		d = defaultReloginDelay
	}
	if err := r.sleep(ctx, d); err != nil {
		return fmt.Errorf("relogin: %w", err)
	}
	return r.OpenURL(ctx, serviceURL)
}

// Browsers lists the installed web browsers, the default one marked.
func (r *Remedies) Browsers(ctx context.Context) []Browser {
	return r.platform().browsers(ctx, r)
}

// OpenInBrowser opens an http(s) URL in the given browser. A browser that came over the local
// API carries no command; it is found again by its ID among the installed ones, so a caller
// can only ever start a browser that is really installed.
func (r *Remedies) OpenInBrowser(ctx context.Context, b Browser, raw string) error {
	if err := checkWebURL(raw); err != nil {
		return err
	}
	if len(b.cmd) == 0 {
		found := false
		for _, c := range r.Browsers(ctx) {
			if c.ID == b.ID {
				b, found = c, true
				break
			}
		}
		if !found {
			return fmt.Errorf("%q: %w", b.ID, ErrBrowserNotFound)
		}
	}
	argv := b.command(raw)
	if err := r.start(ctx, argv[0], argv[1:]...); err != nil {
		return fmt.Errorf("start %s: %w", b.Name, err)
	}
	return nil
}

// Do performs a step's action. It does not ask: confirm restart, log out, clean-up and a fix
// first.
// For ActionRequest the caller normally opens the request window; Do opens the portal.
func (r *Remedies) Do(ctx context.Context, a Action) error {
	switch a.Kind {
	case ActionRestart:
		return r.Restart(ctx)
	case ActionLogOut:
		return r.LogOut(ctx)
	case ActionCleanUp:
		_, err := r.CleanUp(ctx)
		return err
	case ActionReloginService:
		return r.Relogin(ctx, a.LogoutURL, a.URL)
	case ActionOtherBrowser:
		if a.Browser == nil {
			return ErrBrowserNotFound
		}
		return r.OpenInBrowser(ctx, *a.Browser, a.URL)
	case ActionCustomFix:
		return r.RunFix(ctx, a.Command)
	case ActionOpenUpdates:
		return r.OpenUpdates(ctx)
	case ActionOpenURL, ActionCall, ActionRequest, ActionOpenLoginPage, ActionReconnectVPN:
		if a.URL == "" {
			return ErrNoAction
		}
		return r.OpenURL(ctx, a.URL)
	}
	return ErrNoAction
}

// fixTimeout bounds a custom check's fix: the user waits for it.
const fixTimeout = 2 * time.Minute

// RunFix runs a custom check's fix as the user, without a shell, through the same runner as
// the restart and the log-out, and waits for it. A command line that would run as another
// user or hand code to a shell is refused, whoever built the action. It does not ask: confirm
// it first (Action.Confirm).
func (r *Remedies) RunFix(ctx context.Context, argv []string) error {
	if problem := profile.CommandProblem(argv); problem != "" {
		return fmt.Errorf("%w: %s", ErrRefusedCommand, problem)
	}
	ctx, cancel := context.WithTimeout(ctx, fixTimeout)
	defer cancel()
	if err := r.run(ctx, argv[0], argv[1:]...); err != nil {
		return fmt.Errorf("fix: %w", err)
	}
	return nil
}

// allowedSchemes are the only URLs Apuri opens: an organisation profile must not be able to
// run a file or a custom protocol handler on thousands of computers.
var allowedSchemes = map[string]bool{"http": true, "https": true, "tel": true, "mailto": true}

// CheckURL parses a URL and refuses any that is not http, https, tel or mailto, or that could
// be mistaken for something else by the program it is handed to.
func CheckURL(raw string) (*url.URL, error) {
	refuse := func(why string) (*url.URL, error) {
		return nil, fmt.Errorf("%w: %s", ErrRefusedURL, why)
	}
	if raw == "" {
		return refuse("empty address")
	}
	if len(raw) > 8192 {
		return refuse("address too long")
	}
	for _, c := range raw {
		if c <= ' ' || c == 0x7f || c == '"' || c == '\\' {
			return refuse("space, quote, backslash or control character in the address")
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return refuse("unparsable address")
	}
	scheme := strings.ToLower(u.Scheme)
	if !allowedSchemes[scheme] {
		return refuse(fmt.Sprintf("scheme %q", u.Scheme))
	}
	switch scheme {
	case "http", "https":
		if u.Host == "" || u.Opaque != "" {
			return refuse("web address without a host")
		}
	case "tel", "mailto":
		if u.Opaque == "" {
			return refuse(scheme + " address without a target")
		}
	}
	u.Scheme = scheme
	return u, nil
}

// checkWebURL accepts only http and https: what a browser should be asked to open.
func checkWebURL(raw string) error {
	u, err := CheckURL(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: a browser opens only web addresses, not %q", ErrRefusedURL, u.Scheme)
	}
	return nil
}

// ErrorMessage puts a remedy's error into words for the user.
func ErrorMessage(err error) i18n.Message {
	switch {
	case errors.Is(err, ErrRefusedURL):
		return i18n.Msg("selfhelp.error.refused_url")
	case errors.Is(err, ErrRefusedCommand):
		return i18n.Msg("selfhelp.error.refused_command")
	case errors.Is(err, ErrUnsupported):
		return i18n.Msg("selfhelp.error.unsupported")
	case errors.Is(err, ErrPolicy):
		return i18n.Msg("selfhelp.error.policy")
	case errors.Is(err, ErrNotPermitted):
		return i18n.Msg("selfhelp.error.not_permitted")
	case errors.Is(err, ErrBrowserNotFound):
		return i18n.Msg("selfhelp.error.browser_not_found")
	case errors.Is(err, ErrNoAction):
		return i18n.Msg("selfhelp.error.no_action")
	case err == nil:
		return i18n.Message{}
	}
	return i18n.Msg("selfhelp.error.failed", "error", err.Error())
}

// unsupportedPlatform is any system Apuri has no remedies for.
type unsupportedPlatform struct{}

func (unsupportedPlatform) restart(context.Context, *Remedies) error { return ErrUnsupported }
func (unsupportedPlatform) logOut(context.Context, *Remedies) error  { return ErrUnsupported }
func (unsupportedPlatform) openURL(context.Context, *Remedies, string) error {
	return ErrUnsupported
}
func (unsupportedPlatform) browsers(context.Context, *Remedies) []Browser { return nil }
func (unsupportedPlatform) updatesCommand(*Remedies) []string             { return nil }
