package diagnostics

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// clientCertIssuer issues the test's certificates, so that each names an issuer as a real one does.
var clientCertIssuer = func() *x509.Certificate {
	return &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Example Agency CA"}}
}

// makeCert issues a certificate that runs out at notAfter, for the extended key usages given;
// DER. isCA makes it a certificate authority's.
func makeCert(t *testing.T, notAfter time.Time, isCA bool, eku []x509.ExtKeyUsage, unknown ...[]int) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "Maija Meikäläinen"},
		NotBefore: notAfter.Add(-365 * 24 * time.Hour), NotAfter: notAfter, ExtKeyUsage: eku,
		IsCA: isCA, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	for _, oid := range unknown {
		tmpl.UnknownExtKeyUsage = append(tmpl.UnknownExtKeyUsage, oid)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, clientCertIssuer(), &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

var certNow = time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)

func certsCheck(certs []ClientCert, err error) *certificatesCheck {
	return &certificatesCheck{warnDays: 14, now: func() time.Time { return certNow },
		find: func(context.Context) ([]ClientCert, error) { return certs, err }}
}

// TestCertificatesCheckNamesTheWorst: an expired certificate fails and is named, a VPN's before
// a Wi-Fi network's; one that runs out within cert_expiry_days warns with its days; the rest is
// OK; none is OK; a system that cannot tell is a skip.
func TestCertificatesCheckNamesTheWorst(t *testing.T) {
	day := 24 * time.Hour
	vpnExpired := ClientCert{Connection: "Work VPN", Use: CertUseVPN, Issuer: "Example CA", NotAfter: certNow.Add(-2 * day)}
	wifiExpired := ClientCert{Connection: "eduroam", Use: CertUseWiFi, Issuer: "Example CA", NotAfter: certNow.Add(-30 * day)}
	wifiSoon := ClientCert{Connection: "Office Wi-Fi", Use: CertUseWiFi, Issuer: "Example CA", NotAfter: certNow.Add(5*day + time.Hour)}
	storeSoon := ClientCert{Use: CertUseStore, Issuer: "Smart Card CA", NotAfter: certNow.Add(3 * day)}
	fine := ClientCert{Connection: "Wired 802.1X", Use: CertUseWired, Issuer: "Example CA", NotAfter: certNow.Add(200 * day)}
	// Expired long ago, or renewed beside its successor: no fault of today.
	ancient := ClientCert{Connection: "Old VPN", Use: CertUseVPN, Issuer: "Example CA", NotAfter: certNow.Add(-91 * day)}
	storeOld := ClientCert{Use: CertUseStore, Issuer: "Smart Card CA", NotAfter: certNow.Add(-10 * day)}
	storeNew := ClientCert{Use: CertUseStore, Issuer: "Smart Card CA", NotAfter: certNow.Add(355 * day)}
	for _, tt := range []struct {
		name   string
		certs  []ClientCert
		err    error
		status Status
		reason string
		msg    i18n.Message
		left   int // certificates left out as no longer in use
	}{
		{"expired VPN before an older expired Wi-Fi", []ClientCert{fine, wifiExpired, wifiSoon, vpnExpired}, nil, StatusFail, ReasonCertExpired,
			i18n.Msg("check.certificates.expired", "connection", "Work VPN"), 0},
		{"expiring, the soonest named", []ClientCert{fine, wifiSoon}, nil, StatusWarn, ReasonCertExpiring,
			i18n.Msg("check.certificates.expiring", "connection", "Office Wi-Fi", "days", 6), 0},
		{"expiring in the store, named by its issuer", []ClientCert{storeSoon, wifiSoon}, nil, StatusWarn, ReasonCertExpiring,
			i18n.Msg("check.certificates.expiring_store", "issuer", "Smart Card CA", "days", 3), 0},
		{"all valid", []ClientCert{fine, fine}, nil, StatusOK, "", i18n.Msg("check.certificates.ok", "count", 2), 0},
		{"none", nil, nil, StatusOK, "", i18n.Msg("check.certificates.none"), 0},
		{"some read, some not", []ClientCert{fine}, errors.New("one file unreadable"), StatusOK, "", i18n.Msg("check.certificates.ok", "count", 1), 0},
		{"unknown", nil, errors.New("no system bus"), StatusSkip, ReasonNoData, i18n.Msg("check.certificates.unavailable"), 0},
		{"expired long ago, and expired but renewed", []ClientCert{ancient, storeOld, storeNew}, nil, StatusOK, "",
			i18n.Msg("check.certificates.ok", "count", 1), 2},
		{"only one expired long ago", []ClientCert{ancient}, nil, StatusOK, "", i18n.Msg("check.certificates.none"), 1},
		{"expired 89 days ago still counts", []ClientCert{{Use: CertUseStore, Issuer: "Smart Card CA", NotAfter: certNow.Add(-89 * day)}}, nil,
			StatusFail, ReasonCertExpired, i18n.Msg("check.certificates.expired_store", "issuer", "Smart Card CA"), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := certsCheck(tt.certs, tt.err).Run(context.Background())
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.msg.Key {
				t.Fatalf("got %s %q %s, want %s %q %s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.msg.Key)
			}
			for k, v := range tt.msg.Args {
				if r.Message.Args[k] != v {
					t.Errorf("%s = %v, want %v", k, r.Message.Args[k], v)
				}
			}
			assertContract(t, r)
			details, _ := r.Details[DetailCertificates].([]certificateDetail)
			if len(details) != len(tt.certs)-tt.left {
				t.Fatalf("details %v, want one per certificate", details)
			}
			if tt.status == StatusFail && len(details) > 1 && (details[0].Connection != "Work VPN" || details[0].DaysLeft != 0 || details[1].Connection != "eduroam") {
				t.Errorf("the expired ones are not first, the VPN's leading: %+v", details)
			}
		})
	}
}

// TestStoreKeepsCertificatesThatSignIn: of a store, only the user's own certificates for
// client authentication or smart card logon count, never an authority's or a server's.
func TestStoreKeepsCertificatesThatSignIn(t *testing.T) {
	until := certNow.Add(100 * 24 * time.Hour).Truncate(time.Second)
	client := makeCert(t, until, false, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth})
	smartCard := makeCert(t, until, false, nil, []int{1, 3, 6, 1, 4, 1, 311, 20, 2, 2})
	server := makeCert(t, until, false, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth})
	authority := makeCert(t, until, true, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth})
	// As the macOS keychain prints them: PEM, one after another.
	keychain := append(append(append(pemOf(client), pemOf(server)...), pemOf(authority)...), pemOf(smartCard)...)
	if ders := pemCertificates(keychain); len(ders) != 4 {
		t.Fatalf("%d certificates in the keychain's output, want 4", len(ders))
	}
	got := storeClientCerts(append(pemCertificates(keychain), []byte("not a certificate")))
	if len(got) != 2 {
		t.Fatalf("got %+v, want the client and the smart card certificate", got)
	}
	for _, c := range got {
		if c.Use != CertUseStore || c.Issuer != "Example Agency CA" || !c.NotAfter.Equal(until) {
			t.Errorf("got %+v", c)
		}
	}
}

// TestParseCertificateReadsPEMAndDER: a certificate file is PEM (the user's certificate first,
// its chain after, perhaps behind a key) or DER.
func TestParseCertificateReadsPEMAndDER(t *testing.T) {
	until := certNow.Truncate(time.Second)
	leaf := makeCert(t, until, false, nil)
	chain := makeCert(t, until.Add(time.Hour), true, nil)
	withKey := append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}}), append(pemOf(leaf), pemOf(chain)...)...)
	for name, data := range map[string][]byte{"pem": withKey, "der": leaf} {
		c, err := parseCertificate(data)
		if err != nil || !c.NotAfter.Equal(until) {
			t.Errorf("%s: %v %v", name, c, err)
		}
	}
	if _, err := parseCertificate([]byte("-----BEGIN PKCS12-----\n")); err == nil {
		t.Error("garbage parsed")
	}
}

// TestCertificateSentencesNameTheConnection: each language names the connection or the issuer
// and the days.
func TestCertificateSentencesNameTheConnection(t *testing.T) {
	r := certsCheck([]ClientCert{{Connection: "Work VPN", Use: CertUseVPN, NotAfter: certNow.Add(49 * time.Hour)}}, nil).Run(context.Background())
	for _, lang := range i18n.Languages {
		got := i18n.New(lang).Message(r.Message)
		if !strings.Contains(got, "Work VPN") || !strings.Contains(got, "3\u00a0") {
			t.Errorf("%s: %q", lang, got)
		}
	}
	if !slices.Contains(CertUses, CertUseStore) {
		t.Error("CertUses misses store")
	}
}
