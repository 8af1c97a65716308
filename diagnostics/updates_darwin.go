package diagnostics

import (
	"context"
	"os/exec"
)

// systemUpdates asks softwareupdate for the updates its last scan found, without a new scan
// (no download). macOS dates none of them, so the check gives their number only.
func systemUpdates(ctx context.Context) (UpdatesState, error) {
	ctx, cancel := context.WithTimeout(ctx, softwareUpdateTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "/usr/sbin/softwareupdate", "--list", "--no-scan").Output()
	if err != nil {
		return UpdatesState{}, err
	}
	return softwareUpdateState(string(out)), nil
}
