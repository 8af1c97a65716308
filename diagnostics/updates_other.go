//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"errors"
)

// systemUpdates: this system has no update service that Apuri knows how to ask.
func systemUpdates(context.Context) (UpdatesState, error) {
	return UpdatesState{}, errors.New("not known on this system")
}
