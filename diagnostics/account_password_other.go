//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"errors"
)

// systemPasswordState: Apuri does not know where this system keeps a password's expiry.
func systemPasswordState(context.Context) (PasswordState, error) {
	return PasswordState{}, errors.New("not known on this system")
}
