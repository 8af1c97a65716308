package selfhelp

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"time"
)

// runCommand runs a command to its end; what it printed explains a failure.
func runCommand(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	hideWindow(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if msg := bytes.TrimSpace(out); len(msg) > 0 {
			return fmt.Errorf("%w: %s", err, firstLine(msg))
		}
		return err
	}
	return nil
}

func outputCommand(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	hideWindow(cmd)
	return cmd.Output()
}

// earlyExit is how long startCommand waits to hear that a URL handler failed at once.
const earlyExit = 1500 * time.Millisecond

func startCommand(ctx context.Context, name string, args ...string) error {
	return startWithin(ctx, earlyExit, name, args...)
}

// startWithin starts a command that may keep running (a browser) in its own session, so it
// outlives Apuri and a Ctrl-C in Apuri's terminal. A command that ends within the wait
// (xdg-open, open, rundll32 usually do) reports its exit status.
func startWithin(ctx context.Context, within time.Duration, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	hideWindow(cmd)
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t := time.NewTimer(within)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}
