// Package notify shows desktop notifications: through the freedesktop notification service on
// Linux and a toast on Windows (both with a "Show details" button that calls back), and a
// system notification on macOS. It never imports a GUI toolkit, so the all-day agent can use it freely.
//
// A missing notification service is not an error worth stopping for: Send returns it, the
// caller logs it, and the next Send tries again.
package notify

import (
	"context"
	"errors"
	"sync"

	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/godbus/dbus/v5"
)

// Notification is one message to the user.
type Notification struct {
	// Summary is the notification's title; Body the text under it.
	Summary, Body string
	// ActionLabel labels the button that calls Notifier.OnActivate ("Show details"); "" for no
	// button. Clicking the notification itself calls OnActivate as well where the service says so.
	ActionLabel string
	// Apart keeps the notification beside the others instead of in their one place: it
	// replaces none on screen, and the next one does not replace it (Linux). For a notice that
	// must not vanish under the next verdict.
	Apart bool
}

// ErrUnsupported says this system has no way to show notifications that Apuri knows of.
var ErrUnsupported = errors.New("notifications are not supported on this system")

// Runner runs a command and waits for it (macOS, and the Windows PowerShell fall-back).
type Runner func(ctx context.Context, name string, args ...string) error

// Notifier sends notifications. Every side effect is a field; a zero field uses the real one,
// so the zero value works on a real desktop and tests fill in a private bus or a fake runner.
// Its methods are safe for concurrent use.
type Notifier struct {
	// AppName is who the notification is from; default "Apuri".
	AppName string
	// IconPath is a PNG file shown beside the notification (Linux); "" for none.
	IconPath string
	// DesktopEntry names the application's .desktop file without the suffix, so the desktop
	// can group and style the notification (Linux); "" for none.
	DesktopEntry string
	// OnActivate is called, from its own goroutine, when the user clicks the notification or
	// its button (Linux, Windows). Nil: no button is offered.
	OnActivate func()
	// Logf receives what went wrong in the background; nil discards it.
	Logf func(format string, args ...any)

	// Connect opens a private connection to the session bus (Linux); default
	// dbus.ConnectSessionBus. Private, because the notification signals it listens to must not
	// reach other users of the shared connection.
	Connect func() (*dbus.Conn, error)
	// Run runs the helper command of the macOS and Windows fall-backs; default os/exec.
	Run Runner

	mu      sync.Mutex
	closed  bool
	conn    *dbus.Conn
	actions bool            // the service shows buttons
	markup  bool            // the service reads the body as markup
	lastID  uint32          // our notification on screen, replaced by the next one
	ours    map[uint32]bool // our notifications still on screen
}

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("notifier closed")

// Send shows n. It returns when the notification service has taken it, or with the reason it
// could not be shown. Its texts are cleaned first: they may quote a feed or a server, and a
// bidi override or a control character must not reach the desktop from there.
func (n *Notifier) Send(ctx context.Context, m Notification) error {
	n.mu.Lock()
	closed := n.closed
	n.mu.Unlock()
	if closed {
		return ErrClosed
	}
	m.Summary, m.Body, m.ActionLabel = safetext.Line(m.Summary, 0), safetext.Text(m.Body), safetext.Line(m.ActionLabel, 0)
	return n.send(ctx, m)
}

// Close releases the connection to the notification service. It is safe to call more than once.
func (n *Notifier) Close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.closed = true
	if n.conn == nil {
		return nil
	}
	err := n.conn.Close()
	n.conn = nil
	return err
}

func (n *Notifier) appName() string {
	if n.AppName == "" {
		return "Apuri"
	}
	return n.AppName
}

func (n *Notifier) logf(format string, args ...any) {
	if n.Logf != nil {
		n.Logf(format, args...)
	}
}
