// Package nmtest provides NetworkManager's settings service for tests, to run on a private bus
// (internal/testsupport/testbus): it lists connections and hands out their settings, as
// NetworkManager does to a user, without the secrets.
package nmtest

import (
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	service      = "org.freedesktop.NetworkManager"
	settingsPath = "/org/freedesktop/NetworkManager/Settings"
)

// Settings is one connection's settings, as GetSettings returns them.
type Settings map[string]map[string]dbus.Variant

// Connection is a connection named id of NetworkManager's type typ ("vpn", "802-11-wireless",
// "802-3-ethernet") with the further settings given, last up a minute ago (LastUp changes that).
func Connection(id, typ string, more Settings) Settings {
	s := Settings{"connection": {"id": dbus.MakeVariant(id), "type": dbus.MakeVariant(typ)}}
	LastUp(s, time.Now().Add(-time.Minute))
	for k, v := range more {
		s[k] = v
	}
	return s
}

// LastUp sets when the connection was last up, as NetworkManager's timestamp; the zero time is
// never.
func LastUp(s Settings, t time.Time) Settings {
	var stamp uint64
	if !t.IsZero() {
		stamp = uint64(t.Unix())
	}
	s["connection"]["timestamp"] = dbus.MakeVariant(stamp)
	return s
}

// OpenVPN is an OpenVPN connection whose user certificate is the file cert.
func OpenVPN(id, cert string) Settings {
	return Connection(id, "vpn", Settings{"vpn": {
		"service-type": dbus.MakeVariant("org.freedesktop.NetworkManager.openvpn"),
		"data":         dbus.MakeVariant(map[string]string{"remote": "vpn.example.org", "cert": cert, "ca": "/nonexistent/ca.crt"}),
	}})
}

// WiFi8021X is a Wi-Fi network signing in with EAP-TLS, its client certificate given as
// NetworkManager keeps it: "file://PATH\x00" or the certificate's own bytes.
func WiFi8021X(id string, clientCert []byte) Settings {
	return Connection(id, "802-11-wireless", Settings{"802-1x": {
		"eap":         dbus.MakeVariant([]string{"tls"}),
		"client-cert": dbus.MakeVariant(clientCert),
	}})
}

type connection struct{ s Settings }

func (c connection) GetSettings() (Settings, *dbus.Error) { return c.s, nil }

type settings struct{ paths []dbus.ObjectPath }

func (s settings) ListConnections() ([]dbus.ObjectPath, *dbus.Error) { return s.paths, nil }

// Serve puts NetworkManager with the connections on conn's bus. It also lists a connection it
// does not serve, as one removed between the list and the reading.
func Serve(conn *dbus.Conn, conns ...Settings) error {
	var list settings
	for i, s := range conns {
		p := dbus.ObjectPath(fmt.Sprintf("%s/%d", settingsPath, i+1))
		if err := conn.Export(connection{s}, p, "org.freedesktop.NetworkManager.Settings.Connection"); err != nil {
			return err
		}
		list.paths = append(list.paths, p)
	}
	list.paths = append(list.paths, settingsPath+"/999")
	if err := conn.Export(list, settingsPath, "org.freedesktop.NetworkManager.Settings"); err != nil {
		return err
	}
	reply, err := conn.RequestName(service, dbus.NameFlagDoNotQueue)
	if err != nil {
		return err
	}
	if reply != dbus.RequestNameReplyPrimaryOwner {
		return fmt.Errorf("%s is taken", service)
	}
	return nil
}
