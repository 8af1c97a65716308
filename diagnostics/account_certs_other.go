//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"errors"
)

// systemClientCerts: Apuri does not know where this system keeps the user's certificates.
func systemClientCerts(context.Context) ([]ClientCert, error) {
	return nil, errors.New("not known on this system")
}
