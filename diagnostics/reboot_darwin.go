package diagnostics

import (
	"context"
	"os/exec"
	"time"
)

// softwareUpdateTimeout bounds softwareupdate; --no-scan keeps it off the network.
const softwareUpdateTimeout = 10 * time.Second

// systemRebootPending asks softwareupdate for the updates its last scan found, without a new
// scan: an update marked "Action: restart" waits for a restart. The labels are not translated
// by macOS, so reading them does not depend on the user's language.
func systemRebootPending(ctx context.Context) (RebootState, error) {
	ctx, cancel := context.WithTimeout(ctx, softwareUpdateTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "/usr/sbin/softwareupdate", "--list", "--no-scan").Output()
	if err != nil {
		return RebootState{}, err
	}
	return parseSoftwareUpdate(string(out)), nil
}
