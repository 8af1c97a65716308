package tray

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

// watcherName is the panel's side of the StatusNotifierItem protocol: a desktop shows tray
// icons only while a StatusNotifierWatcher owns this name on the session bus. GNOME has none
// without the AppIndicator extension, and fyne.io/systray then registers nowhere.
const watcherName = "org.kde.StatusNotifierWatcher"

// watchTray finds out whether the panel shows tray icons now, and follows the watcher coming
// and going on the desktop's own connection, so that none of it reaches systray's. The match is
// in place before the question is asked, so a watcher that starts in between is not missed.
// When the bus cannot say, the panel is taken to show icons: better silent than wrongly told.
func (d *desktop) watchTray() {
	d.tray = true
	err := d.conn.AddMatchSignal(
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchObjectPath("/org/freedesktop/DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, watcherName))
	if err != nil {
		return
	}
	signals := make(chan *dbus.Signal, 4)
	d.conn.Signal(signals)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var has bool
	if d.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has) == nil {
		d.tray = has
	}
	go d.followTray(signals)
}

// followTray passes on each change of the watcher's owner until the connection closes.
func (d *desktop) followTray(signals <-chan *dbus.Signal) {
	for sig := range signals {
		var name, oldOwner, newOwner string
		if sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || dbus.Store(sig.Body, &name, &oldOwner, &newOwner) != nil ||
			name != watcherName {
			continue
		}
		// The latest word wins: an older one not yet taken is replaced.
		select {
		case <-d.trayChanges:
		default:
		}
		d.trayChanges <- newOwner != ""
	}
}

// Tray says whether the panel showed tray icons when the desktop was opened.
func (d *desktop) Tray() bool { return d.tray }

// TrayChanges delivers whether the panel shows tray icons, each time that changes.
func (d *desktop) TrayChanges() <-chan bool { return d.trayChanges }
