package diagnostics

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/nmtest"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"

	"github.com/godbus/dbus/v5"
)

// serveFakeNM puts a NetworkManager with the given connections on a private bus and returns a
// client's connection to that bus.
func serveFakeNM(t *testing.T, conns ...nmtest.Settings) *dbus.Conn {
	t.Helper()
	bus := testbus.ForTest(t)
	server, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	if err := nmtest.Serve(server, conns...); err != nil {
		t.Fatal(err)
	}
	client, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

// TestNetworkManagerCertificatesOverARealBus reads the certificates of a fake NetworkManager's
// connections over a private D-Bus bus, with godbus's real marshalling: an OpenVPN connection
// whose certificate file has expired, a Wi-Fi network whose 802.1X certificate file runs out in
// five days, a wired network whose certificate NetworkManager holds itself, one on a smart card
// one without any, and two with an expired certificate that were not up for months, or never.
// The check fails on the VPN's, and the verdict for a VPN that is down
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
		nmtest.OpenVPN("Work VPN", vpnFile),
		nmtest.WiFi8021X("Office Wi-Fi", []byte("file://"+wifiFile+"\x00")),
		nmtest.Connection("Wired 802.1X", "802-3-ethernet", nmtest.Settings{"802-1x": {"client-cert": dbus.MakeVariant(wiredBlob)}}),
		nmtest.WiFi8021X("Smart card Wi-Fi", []byte("pkcs11:token=Maija;object=auth")),
		nmtest.Connection("Home", "802-11-wireless", nil),
		// Old connections: an expired certificate there is no fault of today.
		nmtest.LastUp(nmtest.OpenVPN("Old VPN", vpnFile), time.Now().Add(-200*24*time.Hour)),
		nmtest.LastUp(nmtest.WiFi8021X("Never used", []byte("file://"+vpnFile+"\x00")), time.Time{}),
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
