package cli

import (
	"errors"
	"github.com/apuri-project/apuri/internal/program"
	"os"
	"os/exec"
)

// execReplacing runs argv and waits for it: Windows cannot replace a running process.
func execReplacing(path string, argv []string) (int, error) {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return program.ExitFailed, err
	}
	return program.ExitOK, nil
}
