//go:build linux

package lab

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// CA is a certificate authority made for one test. Nothing trusts it but the apuri processes
// that are given its file (Env): the host's own trust store is never touched.
type CA struct {
	Cert *x509.Certificate
	key  crypto.Signer
	// Dir holds only the CA's certificate, as ca.pem, so that it can be the apuri process's
	// whole system trust store (SSL_CERT_FILE and SSL_CERT_DIR).
	Dir string
}

// NewCA makes a CA named name (its common name and organisation) whose certificate is written
// into a new directory under dir.
func NewCA(dir, name string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("ca key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{name}},
		NotBefore:             now.Add(-365 * 24 * time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("ca certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("ca certificate: %w", err)
	}
	caDir, err := os.MkdirTemp(dir, "ca-")
	if err != nil {
		return nil, fmt.Errorf("ca dir: %w", err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(filepath.Join(caDir, "ca.pem"), pemBytes, 0o644); err != nil {
		return nil, fmt.Errorf("write ca: %w", err)
	}
	return &CA{Cert: cert, key: key, Dir: caDir}, nil
}

// Env makes the CA the apuri process's only trusted root: Go reads the system's roots from
// these two variables on Linux, so nothing outside the lab is trusted and nothing is installed.
func (ca *CA) Env() []string {
	return []string{"SSL_CERT_FILE=" + filepath.Join(ca.Dir, "ca.pem"), "SSL_CERT_DIR=" + ca.Dir}
}

// Issue makes a server certificate for names (DNS names or IP addresses), valid from notBefore
// to notAfter, signed by the CA.
func (ca *CA) Issue(names []string, notBefore, notAfter time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: names[0]},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key}, nil
}

// IssueValid is Issue for a certificate valid from a day ago for the given time from now.
func (ca *CA) IssueValid(names []string, lasts time.Duration) (tls.Certificate, error) {
	now := time.Now()
	return ca.Issue(names, now.Add(-24*time.Hour), now.Add(lasts))
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// StartTLSSite serves HTTPS with cert on addr inside ns, healthy at first: the same answers as
// StartSite, over TLS.
func StartTLSSite(ns, addr, name, body string, cert tls.Certificate) (*Site, error) {
	ln, err := Listen(ns, "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Site{Name: name, Addr: addr, body: body, done: make(chan struct{})}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(tlsLn)
	}()
	return s, nil
}

// ServeTLS serves site's address and body over HTTPS on port 443 too, with cert, as a Site of its
// own (switch its mode on what it returns). The server goes with the lab.
func (l *Lab) ServeTLS(site *Site, cert tls.Certificate) (*Site, error) {
	host, _, err := net.SplitHostPort(site.Addr)
	if err != nil {
		return nil, err
	}
	ns := l.Net
	if site == l.Internal {
		ns = l.Intra
	}
	s, err := StartTLSSite(ns, net.JoinHostPort(host, "443"), site.Name+"-tls", site.body, cert)
	if err != nil {
		return nil, err
	}
	l.onClose(s.Close)
	return s, nil
}

// ServeServiceCert serves the service over HTTPS with the certificate that issue makes, given
// a fresh lab CA, and skews every site's Date by skew: the certificate faults of test/lab and
// test/winlab. It returns the CA, for the client to trust, and the HTTPS site.
func (l *Lab) ServeServiceCert(issue func(ca *CA, dir string) (tls.Certificate, error), skew time.Duration) (*CA, *Site, error) {
	ca, err := NewCA(l.Dir, "Apuri Lab CA")
	if err != nil {
		return nil, nil, err
	}
	cert, err := issue(ca, l.Dir)
	if err != nil {
		return nil, nil, err
	}
	site, err := l.ServeTLS(l.Service, cert)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range []*Site{l.Probe, l.Service, l.Internal, site} {
		s.SetDateSkew(skew)
	}
	return ca, site, nil
}

// ServeProbeInspected serves the internet probe over HTTPS with a certificate from a fresh lab
// CA, as a network that inspects TLS serves every site: the client trusts the CA (its Env, or
// the machine's store) as a managed computer trusts its organisation's inspecting proxy, and no
// public root vouches for it. It returns the CA and the HTTPS site.
func (l *Lab) ServeProbeInspected() (*CA, *Site, error) {
	ca, err := NewCA(l.Dir, "Apuri Lab CA")
	if err != nil {
		return nil, nil, err
	}
	cert, err := ca.IssueValid([]string{ProbeName}, 90*24*time.Hour)
	if err != nil {
		return nil, nil, err
	}
	site, err := l.ServeTLS(l.Probe, cert)
	if err != nil {
		return nil, nil, err
	}
	return ca, site, nil
}
