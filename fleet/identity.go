package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/shirou/gopsutil/v4/host"
)

// MachineID is the OS's identifier of the computer (/etc/machine-id or the DMI product UUID
// on Linux, MachineGuid on Windows, IOPlatformUUID on macOS); "" when it cannot be read.
func MachineID(ctx context.Context) string {
	id, err := host.HostIDWithContext(ctx)
	if err != nil {
		return ""
	}
	return id
}

// HostID is host.id: the first 16 hex characters of SHA-256(salt + machine ID). Stable for
// one installation, so the organisation can count distinct computers, but no name for it:
// without the salt, which never leaves the computer, it cannot be tied to an inventory's
// machine ID, and a reinstallation makes a new one.
func HostID(salt, machineID string) string {
	sum := sha256.Sum256([]byte(salt + machineID))
	return hex.EncodeToString(sum[:])[:16]
}
