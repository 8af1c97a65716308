package diagnostics

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// securityTimeout bounds the security tool, which reads the keychain file.
const securityTimeout = 5 * time.Second

// systemClientCerts reads the certificates of the user's login keychain with
// `security find-certificate -a -p`, which prints them as PEM without asking for the keychain's
// password (certificates are not secret; their keys stay in the keychain). Those for client
// authentication or smart card logon count.
func systemClientCerts(ctx context.Context) ([]ClientCert, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, securityTimeout)
	defer cancel()
	keychain := filepath.Join(home, "Library", "Keychains", "login.keychain-db")
	out, err := exec.CommandContext(ctx, "/usr/bin/security", "find-certificate", "-a", "-p", keychain).Output()
	if err != nil {
		return nil, err
	}
	ders := pemCertificates(out)
	if len(ders) == 0 && len(out) > 0 {
		return nil, errors.New("security printed no certificate")
	}
	return storeClientCerts(ders), nil
}
