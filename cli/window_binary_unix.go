//go:build !windows

package cli

import (
	"github.com/apuri-project/apuri/internal/program"
	"os"
	"syscall"
)

// execReplacing replaces this process with argv, so the window keeps the PID the agent's
// launcher watches; it returns only when the exec fails.
func execReplacing(path string, argv []string) (int, error) {
	return program.ExitFailed, syscall.Exec(path, argv, os.Environ())
}
