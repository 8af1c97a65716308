package diagnostics

import (
	"context"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/testbus"

	"github.com/godbus/dbus/v5"
)

// fakeNMConnection is one connection of the fake NetworkManager: GetSettings as NetworkManager
// answers it, the secrets left out.
type fakeNMConnection struct{ settings nmSettings }

func (c fakeNMConnection) GetSettings() (nmSettings, *dbus.Error) { return c.settings, nil }

type fakeNMSettings struct{ paths []dbus.ObjectPath }

func (s fakeNMSettings) ListConnections() ([]dbus.ObjectPath, *dbus.Error) { return s.paths, nil }

// serveFakeNM puts a NetworkManager with the given connections on a private bus and returns a
// client's connection to that bus.
func serveFakeNM(t *testing.T, conns ...nmSettings) *dbus.Conn {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("dbus-daemon is missing (make deps-test installs it)")
		}
		t.Skip("dbus-daemon is not installed")
	}
	bus, err := testbus.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close() })
	server, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	var list fakeNMSettings
	for i, s := range conns {
		p := dbus.ObjectPath("/org/freedesktop/NetworkManager/Settings/" + string(rune('1'+i)))
		if err := server.Export(fakeNMConnection{s}, p, nmConnectionIface); err != nil {
			t.Fatal(err)
		}
		list.paths = append(list.paths, p)
	}
	// A connection the fake lists but does not serve: read errors pass it over.
	list.paths = append(list.paths, "/org/freedesktop/NetworkManager/Settings/99")
	if err := server.Export(list, nmSettingsPath, nmSettingsIface); err != nil {
		t.Fatal(err)
	}
	if reply, err := server.RequestName(nmService, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s: %v %v", nmService, reply, err)
	}
	client, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func nmConn(id, typ string, rest map[string]map[string]dbus.Variant) nmSettings {
	s := nmSettings{"connection": {"id": dbus.MakeVariant(id), "type": dbus.MakeVariant(typ)}}
	for k, v := range rest {
		s[k] = v
	}
	return s
}

// TestNetworkManagerCertificatesOverARealBus reads the certificates of a fake NetworkManager's
// connections over a private D-Bus bus, with godbus's real marshalling: an OpenVPN connection
// whose certificate file has expired, a Wi-Fi network whose 802.1X certificate file runs out in
// five days, a wired network whose certificate NetworkManager holds itself, one on a smart card
// and one without any. The check fails on the VPN's, and the verdict for a VPN that is down
// says its certificate has expired.
func TestNetworkManagerCertificatesOverARealBus(t *testing.T) {
	now := time.Now()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	client := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	vpnFile := write("vpn user.crt", pemOf(makeCert(t, now.Add(-48*time.Hour), false, client)))
	wifiFile := write("wifi.pem", pemOf(makeCert(t, now.Add(5*24*time.Hour-time.Hour), false, client)))
	wiredBlob := makeCert(t, now.Add(300*24*time.Hour), false, client)

	conn := serveFakeNM(t,
		nmConn("Work VPN", "vpn", map[string]map[string]dbus.Variant{"vpn": {
			"service-type": dbus.MakeVariant("org.freedesktop.NetworkManager.openvpn"),
			"data":         dbus.MakeVariant(map[string]string{"remote": "vpn.example.org", "cert": vpnFile, "ca": "/nonexistent/ca.crt"}),
		}}),
		nmConn("Office Wi-Fi", "802-11-wireless", map[string]map[string]dbus.Variant{"802-1x": {
			"eap":         dbus.MakeVariant([]string{"tls"}),
			"client-cert": dbus.MakeVariant([]byte("file://" + wifiFile + "\x00")),
		}}),
		nmConn("Wired 802.1X", "802-3-ethernet", map[string]map[string]dbus.Variant{"802-1x": {
			"client-cert": dbus.MakeVariant(wiredBlob),
		}}),
		nmConn("Smart card Wi-Fi", "802-11-wireless", map[string]map[string]dbus.Variant{"802-1x": {
			"client-cert": dbus.MakeVariant([]byte("pkcs11:token=Maija;object=auth")),
		}}),
		nmConn("Home", "802-11-wireless", nil),
	)
	certs, err := nmClientCerts(context.Background(), conn)
	if err == nil {
		t.Error("the smart card and the unserved connection were not reported")
	}
	want := map[string]string{"Work VPN": CertUseVPN, "Office Wi-Fi": CertUseWiFi, "Wired 802.1X": CertUseWired}
	if len(certs) != len(want) {
		t.Fatalf("got %+v, want %v", certs, want)
	}
	for _, c := range certs {
		if want[c.Connection] != c.Use || c.Issuer != "Example Agency CA" {
			t.Errorf("got %+v", c)
		}
	}

	check := &certificatesCheck{warnDays: 14, now: func() time.Time { return now },
		find: func(ctx context.Context) ([]ClientCert, error) { return nmClientCerts(ctx, conn) }}
	r := check.Run(context.Background())
	if r.Status != StatusFail || r.Reason != ReasonCertExpired || r.Message.Args["connection"] != "Work VPN" {
		t.Fatalf("got %s %s %v", r.Status, r.Reason, r.Message.Args)
	}
	assertContract(t, r)
	r.ID, r.Group = IDAccountCertificates, GroupAccount
	tunnel := res(IDVPNTunnel, GroupVPN, StatusFail, ReasonVPNDown)
	v := Decide(append(with(tunnel), r))
	if v.Cause != CauseVPNDown || v.Message.Key != vpnCertExpired || v.Message.Args["connection"] != "Work VPN" {
		t.Errorf("verdict %s %s %v", v.Cause, v.Message.Key, v.Message.Args)
	}
}
