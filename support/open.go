package support

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"time"
)

// Opener opens a URL, a file or a folder with the user's default program.
type Opener func(ctx context.Context, target string) error

// CommandRunner runs a program for a channel (xdg-email); tests inject a recorder.
type CommandRunner func(ctx context.Context, name string, args ...string) error

// OpenDefault opens target with the desktop's default program: xdg-open, open, or the URL
// handler on Windows.
func OpenDefault(ctx context.Context, target string) error {
	switch runtime.GOOS {
	case "windows":
		return RunCommand(ctx, "rundll32", "url.dll,FileProtocolHandler", target)
	case "darwin":
		return RunCommand(ctx, "open", target)
	}
	return RunCommand(ctx, "xdg-open", target)
}

// launchGrace is how long RunCommand waits for a launcher to fail. Launchers such as xdg-open
// exit at once when they cannot open something, but may stay while the program they started
// runs; one still running after this has done its job.
const launchGrace = 3 * time.Second

// RunCommand starts a desktop launcher and reports its failure if it fails quickly. The
// process is never killed with ctx: it may be the user's mail program.
func RunCommand(ctx context.Context, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	case <-time.After(launchGrace):
		return nil
	case <-ctx.Done():
		return nil
	}
}
