package agent

import (
	"errors"
	"io/fs"
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

// ensurePrivateDir creates dir for the socket, 0700, and checks what it finds there: without
// XDG_RUNTIME_DIR it lies in the shared temporary directory, where another user could have
// made it first — as a symbolic link to somewhere of theirs, or a directory they own — to
// stand between Apuri and its windows. Such a directory is refused with a Problem that says
// what is wrong, never used.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return newProblem(KeySocketDir, "path", dir, "error", err.Error())
	}
	// Mkdir, not MkdirAll: MkdirAll follows a symbolic link and calls it done.
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return newProblem(KeySocketDir, "path", dir, "error", err.Error())
	}
	return checkPrivateDir(dir)
}

// isRealDir is the first look every system takes at the socket's directory: it must exist and
// be a directory, not a link that someone else placed there to lead the socket elsewhere.
func isRealDir(dir string) error {
	info, err := os.Lstat(dir)
	switch {
	case err != nil:
		return newProblem(KeySocketDir, "path", dir, "error", err.Error())
	case info.Mode()&os.ModeSymlink != 0:
		return newProblem(KeySocketDirLink, "path", dir)
	case !info.IsDir():
		return newProblem(KeySocketDirNotDir, "path", dir)
	}
	return nil
}
