package diagnostics

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// On Linux the user's certificates are the ones NetworkManager's connections name. Its
// connection files under /etc/NetworkManager/system-connections are root's, but NetworkManager
// hands any user the settings of the connections they may use, over D-Bus, without the secrets.
// The certificate files those settings point at are the user's own (~/.cert, ~/.local/share/
// networkmanagement/certificates), so the user can read them. Certificates that no connection
// names, and those on a smart card (pkcs11: addresses), are not looked for.

const (
	nmService         = "org.freedesktop.NetworkManager"
	nmSettingsPath    = "/org/freedesktop/NetworkManager/Settings"
	nmSettingsIface   = "org.freedesktop.NetworkManager.Settings"
	nmConnectionIface = "org.freedesktop.NetworkManager.Settings.Connection"
)

// nmVPNCertKeys are the keys of a VPN connection's data that name the user's own certificate:
// OpenVPN's cert, strongSwan's and OpenConnect's usercert, L2TP/IPsec's user-cert.
var nmVPNCertKeys = []string{"cert", "usercert", "user-cert"}

// maxCertFileBytes bounds a certificate file read: a certificate with its chain is a few KiB.
const maxCertFileBytes = 1 << 20

func systemClientCerts(ctx context.Context) ([]ClientCert, error) {
	conn, err := dbus.ConnectSystemBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("the system bus: %w", err)
	}
	defer conn.Close()
	return nmClientCerts(ctx, conn)
}

// nmSettings is one connection's settings, as GetSettings returns them.
type nmSettings map[string]map[string]dbus.Variant

// nmClientCerts reads the client certificates that NetworkManager's connections on conn name.
// A connection whose settings or certificate cannot be read is passed over with an error, and
// the others are still read.
func nmClientCerts(ctx context.Context, conn *dbus.Conn) ([]ClientCert, error) {
	var paths []dbus.ObjectPath
	if err := conn.Object(nmService, nmSettingsPath).CallWithContext(ctx, nmSettingsIface+".ListConnections", 0).Store(&paths); err != nil {
		return nil, fmt.Errorf("NetworkManager's connections: %w", err)
	}
	var certs []ClientCert
	var errs []error
	for _, p := range paths {
		var s nmSettings
		if err := conn.Object(nmService, p).CallWithContext(ctx, nmConnectionIface+".GetSettings", 0).Store(&s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
			continue
		}
		id, _ := s["connection"]["id"].Value().(string)
		// NetworkManager stamps a connection each time it is up: one not up for months, or
		// never, is not one the user relies on, whatever its certificate.
		if used, _ := s["connection"]["timestamp"].Value().(uint64); time.Since(time.Unix(int64(used), 0)) > staleAfter {
			Logf(ctx, "connection %q last up %v: passed over", id, time.Unix(int64(used), 0))
			continue
		}
		use := nmUse(s)
		for _, ref := range nmCertRefs(s) {
			c, err := readCertRef(ref)
			if err != nil {
				errs = append(errs, fmt.Errorf("the certificate of %q: %w", id, err))
				continue
			}
			certs = append(certs, ClientCert{Connection: id, Use: use, Issuer: issuerName(c), NotAfter: c.NotAfter})
		}
	}
	return certs, errors.Join(errs...)
}

// nmUse is what a connection signs in to.
func nmUse(s nmSettings) string {
	typ, _ := s["connection"]["type"].Value().(string)
	switch typ {
	case "vpn":
		return CertUseVPN
	case "802-11-wireless":
		return CertUseWiFi
	}
	return CertUseWired
}

// nmCertRefs are the client certificates a connection names: 802.1X's client-cert and
// phase2-client-cert (bytes: a file:// path ending in NUL, or the certificate itself) and a VPN
// plugin's certificate file.
func nmCertRefs(s nmSettings) [][]byte {
	var refs [][]byte
	for _, k := range []string{"client-cert", "phase2-client-cert"} {
		if b, ok := s["802-1x"][k].Value().([]byte); ok && len(b) > 0 {
			refs = append(refs, b)
		}
	}
	if data, ok := s["vpn"]["data"].Value().(map[string]string); ok {
		for _, k := range nmVPNCertKeys {
			if p := data[k]; p != "" {
				refs = append(refs, []byte("file://"+p+"\x00"))
			}
		}
	}
	return refs
}

// readCertRef reads a certificate that NetworkManager names: its file, or the bytes themselves.
func readCertRef(ref []byte) (*x509.Certificate, error) {
	s := string(ref)
	switch {
	case strings.HasPrefix(s, "pkcs11:"):
		return nil, errors.New("on a smart card (pkcs11), not read")
	case strings.HasPrefix(s, "file://"):
		// NetworkManager writes the path as it is, not escaped as in a URL.
		f, err := os.Open(strings.TrimSuffix(strings.TrimPrefix(s, "file://"), "\x00"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, maxCertFileBytes))
		if err != nil {
			return nil, err
		}
		return parseCertificate(data)
	}
	return parseCertificate(ref)
}
