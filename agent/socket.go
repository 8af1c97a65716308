package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SocketName is the local API's socket file name.
const SocketName = "agent.sock"

// SocketPath is where the agent listens: $XDG_RUNTIME_DIR/apuri/agent.sock, else a per-user
// directory in os.TempDir(). Every Apuri process of the user computes the same path, so the
// windows and a second `apuri` find the running agent without being told.
func SocketPath() string {
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "apuri", SocketName)
	}
	return filepath.Join(os.TempDir(), "apuri-"+userTag(), SocketName)
}

// userTag names the user in the fallback directory, so that users sharing /tmp do not meet.
func userTag() string {
	if uid := os.Getuid(); uid >= 0 {
		return strconv.Itoa(uid)
	}
	// Windows: the temporary directory is the user's own already; the name only adds clarity.
	name := os.Getenv("USERNAME")
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, name)
	if name == "" {
		return "user"
	}
	return name
}

// ensurePrivateDir creates dir for the socket, readable only by the user, and refuses a
// directory someone else prepared for us (in a shared /tmp, that would be an attack).
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return checkPrivateDir(dir)
}
