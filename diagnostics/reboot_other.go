//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"errors"
)

// systemRebootPending: this system keeps no flag that Apuri knows how to read.
func systemRebootPending(context.Context) (RebootState, error) {
	return RebootState{}, errors.New("not known on this system")
}
