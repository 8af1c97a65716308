//go:build linux || freebsd || openbsd || netbsd

package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/godbus/dbus/v5"
)

// The freedesktop notification service (Desktop Notifications Specification 1.2).
const (
	busName   = "org.freedesktop.Notifications"
	busPath   = dbus.ObjectPath("/org/freedesktop/Notifications")
	busIface  = "org.freedesktop.Notifications"
	actionKey = "default" // the notification's own click, and our one button
)

// send hands m to the notification service, connecting first when needed.
func (n *Notifier) send(ctx context.Context, m Notification) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	conn, err := n.connectLocked(ctx)
	if err != nil {
		return err
	}
	var actions []string
	if m.ActionLabel != "" && n.OnActivate != nil && n.actions {
		actions = []string{actionKey, m.ActionLabel}
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(1))}
	if n.DesktopEntry != "" {
		hints["desktop-entry"] = dbus.MakeVariant(n.DesktopEntry)
	}
	icon := ""
	if n.IconPath != "" {
		icon = "file://" + n.IconPath
	}
	body := m.Body
	if n.markup {
		// A service that reads markup would take "R&D" or "<intranet>" as broken markup and
		// drop or cut the text: the whole sentence must arrive as words.
		body = escapeMarkup(body)
	}
	replaces := n.lastID
	if m.Apart {
		replaces = 0
	}
	var id uint32
	// Replacing our previous notification keeps one Apuri message on screen, not a pile.
	err = conn.Object(busName, busPath).CallWithContext(ctx, busIface+".Notify", 0,
		n.appName(), replaces, icon, m.Summary, body, actions, hints, int32(-1)).Store(&id)
	if err != nil {
		var reply dbus.Error
		if !errors.As(err, &reply) || !conn.Connected() {
			// Not an answer but a broken connection (the session bus went away): connect
			// afresh next time.
			conn.Close()
			n.conn = nil
		}
		return fmt.Errorf("notify: %w", err)
	}
	n.ours[id] = true
	if !m.Apart {
		if n.lastID != id {
			delete(n.ours, n.lastID)
		}
		n.lastID = id
	}
	return nil
}

// escapeMarkup makes text safe for a body the service reads as markup (the specification's
// "body-markup"): the three characters markup gives a meaning to.
func escapeMarkup(text string) string {
	return markupEscaper.Replace(text)
}

var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// connectLocked opens the private connection, learns whether the service shows buttons, and
// starts listening for clicks. A failed attempt leaves nothing behind, so the next Send retries.
func (n *Notifier) connectLocked(ctx context.Context) (*dbus.Conn, error) {
	if n.conn != nil {
		return n.conn, nil
	}
	connect := n.Connect
	if connect == nil {
		connect = func() (*dbus.Conn, error) { return dbus.ConnectSessionBus() }
	}
	conn, err := connect()
	if err != nil {
		return nil, fmt.Errorf("connect to the session bus: %w", err)
	}
	var caps []string
	err = conn.Object(busName, busPath).CallWithContext(ctx, busIface+".GetCapabilities", 0).Store(&caps)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("notification service: %w", err)
	}
	if n.OnActivate != nil {
		err := conn.AddMatchSignal(dbus.WithMatchObjectPath(busPath), dbus.WithMatchInterface(busIface))
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("listen for notification clicks: %w", err)
		}
		signals := make(chan *dbus.Signal, 8)
		conn.Signal(signals)
		go n.listen(signals)
	}
	n.conn = conn
	n.actions = slices.Contains(caps, "actions")
	n.markup = slices.Contains(caps, "body-markup")
	n.ours = map[uint32]bool{}
	return conn, nil
}

// activates says whether a click (ActionInvoked) is on one of our notifications: every
// application on the bus receives every click.
func (n *Notifier) activates(id uint32, key string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return key == actionKey && n.ours[id]
}

// listen calls OnActivate when one of our notifications is clicked, and forgets the ones that
// closed. It ends when the connection closes.
func (n *Notifier) listen(signals <-chan *dbus.Signal) {
	for sig := range signals {
		switch sig.Name {
		case busIface + ".ActionInvoked":
			var id uint32
			var key string
			if err := dbus.Store(sig.Body, &id, &key); err != nil {
				n.logf("notify: odd ActionInvoked signal: %v", err)
				continue
			}
			if n.activates(id, key) {
				go n.OnActivate()
			}
		case busIface + ".NotificationClosed":
			var id, reason uint32
			if err := dbus.Store(sig.Body, &id, &reason); err != nil {
				continue
			}
			n.mu.Lock()
			delete(n.ours, id)
			if n.lastID == id {
				n.lastID = 0
			}
			n.mu.Unlock()
		}
	}
}
