//go:build linux

package lab_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/krbcache"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/nmtest"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
)

// TestAccountFromTheRealSources runs the real binary in the lab with the VPN's tunnel deleted,
// a NetworkManager of the test's own as its system bus (an OpenVPN connection whose certificate
// file expired yesterday) and a Kerberos credential cache whose ticket-granting ticket ran out an
// hour ago. The verdict must say that the VPN is down because its certificate has expired, and
// account.password must carry the ticket's end.
func TestAccountFromTheRealSources(t *testing.T) {
	l := newLab(t)
	dir := t.TempDir()

	bus := testbus.ForTest(t)
	server, err := bus.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	cert := filepath.Join(dir, "maija.crt")
	if err := os.WriteFile(cert, clientCertPEM(t, time.Now().Add(-24*time.Hour)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := nmtest.Serve(server, nmtest.OpenVPN("Agency VPN", cert)); err != nil {
		t.Fatal(err)
	}

	ticketEnd := time.Now().Add(-time.Hour).Truncate(time.Second)
	ccache := filepath.Join(dir, "krb5cc_test")
	if err := os.WriteFile(ccache, krbcache.Bytes("AGENCY.EXAMPLE", "maija",
		krbcache.TGT("AGENCY.EXAMPLE", ticketEnd.Add(-10*time.Hour), ticketEnd)), 0o600); err != nil {
		t.Fatal(err)
	}

	if err := l.DeleteTunnel(); err != nil {
		t.Fatal(err)
	}
	path, err := l.WriteProfile(lab.ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a := apuri()
	a.Env = []string{"DBUS_SYSTEM_BUS_ADDRESS=" + bus.Address, "KRB5CCNAME=FILE:" + ccache}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := a.Diagnose(ctx, l.Client, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("report:\n%s\nstderr: %s", r.Stdout, r.Stderr)
		}
	})

	v := r.Report.Verdict
	if v.Cause != "vpn_down" || !strings.Contains(v.Summary, "certificate (Agency VPN) has expired") {
		t.Errorf("verdict %s: %q", v.Cause, v.Summary)
	}
	if !slices.Contains(v.Evidence, "account.certificates") {
		t.Errorf("evidence %v lacks account.certificates", v.Evidence)
	}
	certs, _ := r.Report.Check("account.certificates")
	if certs.Status != "fail" || certs.Reason != "cert_expired" || certs.Group != "account" {
		t.Errorf("account.certificates %s %s (%s)", certs.Status, certs.Reason, certs.Summary)
	}
	pw, _ := r.Report.Check("account.password")
	if got, _ := pw.Details["ticket_expires"].(string); got != ticketEnd.UTC().Format(time.RFC3339) {
		t.Errorf("account.password %s %s, ticket_expires %v, want %v", pw.Status, pw.Summary, pw.Details["ticket_expires"], ticketEnd.UTC())
	}
}

// clientCertPEM is a client authentication certificate that runs out at notAfter.
func clientCertPEM(t *testing.T, notAfter time.Time) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "maija"},
		Issuer: pkix.Name{CommonName: "Agency CA"}, NotBefore: notAfter.Add(-365 * 24 * time.Hour), NotAfter: notAfter,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
