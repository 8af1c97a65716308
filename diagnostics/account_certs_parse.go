package diagnostics

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"slices"
)

// oidSmartCardLogon is Microsoft's extended key usage for signing in with a smart card.
var oidSmartCardLogon = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 2}

// parseCertificate reads a certificate file's first certificate, PEM or DER: a client
// certificate file names the user's own certificate first and may go on with its issuers.
// PKCS #12 files, whose certificates are usually encrypted with the key's password, are not read.
func parseCertificate(data []byte) (*x509.Certificate, error) {
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			return x509.ParseCertificate(block.Bytes)
		}
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, errors.New("neither a PEM nor a DER certificate")
	}
	return c, nil
}

// pemCertificates is every certificate of a PEM stream, DER each, as `security
// find-certificate -p` prints a keychain's.
func pemCertificates(out []byte) [][]byte {
	var ders [][]byte
	for rest := out; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			return ders
		}
		if block.Type == "CERTIFICATE" {
			ders = append(ders, block.Bytes)
		}
	}
}

// storeClientCerts keeps the certificates of a store (DER each) that sign a user in: those for
// client authentication or smart card logon, not a certificate authority's.
func storeClientCerts(ders [][]byte) []ClientCert {
	var out []ClientCert
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil || c.IsCA || !signsIn(c) {
			continue
		}
		out = append(out, ClientCert{Use: CertUseStore, Issuer: issuerName(c), NotAfter: c.NotAfter})
	}
	return out
}

// signsIn says whether a certificate is meant for signing its holder in.
func signsIn(c *x509.Certificate) bool {
	if slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageClientAuth) {
		return true
	}
	return slices.ContainsFunc(c.UnknownExtKeyUsage, oidSmartCardLogon.Equal)
}
