package tray

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

// desktop is the graphical session the tray lives in: its session bus and its panel's colours.
type desktop struct {
	conn    *dbus.Conn // private: the portal's signals must not reach systray's shared connection
	dark    bool
	changes chan bool
	// tray says whether the panel shows tray icons; trayChanges carries its later changes
	// (host_linux.go).
	tray        bool
	trayChanges chan bool
}

// openDesktop checks that there is a display and a session bus before anything draws: without
// them systray cannot work (and panics on the way out), while `apuri diagnose` still can.
func openDesktop(getenv func(string) string) (*desktop, error) {
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return nil, &desktopError{key: "tray.no_display"}
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return nil, &desktopError{key: "tray.no_session_bus", err: err}
	}
	d := &desktop{conn: conn, changes: make(chan bool, 1), dark: panelDark(getenv("XDG_CURRENT_DESKTOP"), 0, false),
		trayChanges: make(chan bool, 1)}
	d.watchTray()
	go d.watch(getenv("XDG_CURRENT_DESKTOP"))
	return d, nil
}

// Dark is the panel's colour as guessed before the portal answers.
func (d *desktop) Dark() bool { return d.dark }

// DarkChanges delivers the panel's colour whenever the desktop's colour scheme says it changed.
func (d *desktop) DarkChanges() <-chan bool { return d.changes }

func (d *desktop) Close() error { return d.conn.Close() }

// The freedesktop settings portal, where desktops publish the user's light or dark preference.
const (
	portalName  = "org.freedesktop.portal.Desktop"
	portalPath  = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	portalIface = "org.freedesktop.portal.Settings"
	appearance  = "org.freedesktop.appearance"
	colorScheme = "color-scheme"
)

// watch reads the colour scheme once and then follows its changes, until the connection closes.
// Signals cost nothing while nothing changes.
func (d *desktop) watch(desktopName string) {
	err := d.conn.AddMatchSignal(dbus.WithMatchObjectPath(portalPath), dbus.WithMatchInterface(portalIface),
		dbus.WithMatchMember("SettingChanged"))
	signals := make(chan *dbus.Signal, 4)
	if err == nil {
		d.conn.Signal(signals)
	}
	if scheme, ok := d.readScheme(); ok {
		d.send(panelDark(desktopName, scheme, true))
	}
	if err != nil {
		return
	}
	for sig := range signals {
		var ns, key string
		var v dbus.Variant
		if sig.Name != portalIface+".SettingChanged" || dbus.Store(sig.Body, &ns, &key, &v) != nil {
			continue
		}
		if ns == appearance && key == colorScheme {
			if scheme, ok := schemeValue(v); ok {
				d.send(panelDark(desktopName, scheme, true))
			}
		}
	}
}

// send passes on the latest colour; an older one not yet taken is replaced.
func (d *desktop) send(dark bool) {
	select {
	case <-d.changes:
	default:
	}
	d.changes <- dark
}

// readScheme asks the portal for the colour scheme: ReadOne where the portal is new enough,
// else the older Read, whose answer is wrapped once more.
func (d *desktop) readScheme() (uint32, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	obj := d.conn.Object(portalName, portalPath)
	var v dbus.Variant
	if err := obj.CallWithContext(ctx, portalIface+".ReadOne", 0, appearance, colorScheme).Store(&v); err == nil {
		return schemeValue(v)
	}
	if err := obj.CallWithContext(ctx, portalIface+".Read", 0, appearance, colorScheme).Store(&v); err == nil {
		return schemeValue(v)
	}
	return 0, false
}

// schemeValue unwraps the portal's uint32, however many variants it comes in.
func schemeValue(v dbus.Variant) (uint32, bool) {
	for range 3 {
		switch x := v.Value().(type) {
		case uint32:
			return x, true
		case dbus.Variant:
			v = x
		default:
			return 0, false
		}
	}
	return 0, false
}
