package diagnostics

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"sync"
	"time"

	"github.com/apuri-project/apuri/internal/safetext"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// A managed network often inspects encrypted traffic: a proxy or firewall opens every HTTPS
// connection and shows the browser a certificate of its own, issued by a CA that the
// organisation installed on its computers. That is no fault, but it explains much (a service
// that refuses the inspector's certificate, a slow page) and support asks about it first. A
// public site's certificate that this computer trusts, but that no public CA vouches for, is
// the sign of it.

// publicRoots are the public CAs' roots, Mozilla's list as Go's x509roots bundle carries it,
// parsed on first use only: most probes never need them.
var publicRoots = sync.OnceValue(func() *x509.CertPool {
	pool := x509.NewCertPool()
	for root := range bundle.Roots() {
		cert, err := x509.ParseCertificate(root.Certificate)
		if err != nil {
			continue
		}
		if root.Constraint == nil {
			pool.AddCert(cert)
		} else {
			pool.AddCertWithConstraint(cert, root.Constraint)
		}
	}
	return pool
})

// tlsInspection tells whether a connection that this computer verified carries a certificate
// no public CA vouches for, and who issued it. ok is false when there is nothing to judge: no
// TLS, or a chain this computer did not verify.
func tlsInspection(state *tls.ConnectionState, now time.Time) (inspected bool, issuer string, ok bool) {
	if state == nil || len(state.PeerCertificates) == 0 || len(state.VerifiedChains) == 0 {
		return false, "", false
	}
	leaf := state.PeerCertificates[0]
	intermediates := x509.NewCertPool()
	for _, c := range state.PeerCertificates[1:] {
		intermediates.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Roots:         publicRoots(),
		Intermediates: intermediates,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err != nil, issuerWithOrganisation(leaf), true
}

// issuerWithOrganisation is the certificate's issuer as people recognise it, its name and its
// organisation ("Proxy CA (Example Oy)"), as one short clean line.
func issuerWithOrganisation(cert *x509.Certificate) string {
	name := cert.Issuer.CommonName
	org := strings.Join(cert.Issuer.Organization, ", ")
	switch {
	case name == "" && org == "":
		name = cert.Issuer.String()
	case name == "":
		name = org
	case org != "" && org != name:
		name += " (" + org + ")"
	}
	return safetext.Line(name, maxQuoted)
}
