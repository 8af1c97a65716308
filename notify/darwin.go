//go:build darwin

package notify

import (
	"context"
	"fmt"
	"os/exec"
)

// send shows m through AppleScript's display notification. macOS gives no click back to
// osascript, so OnActivate is not used here.
func (n *Notifier) send(ctx context.Context, m Notification) error {
	run := n.Run
	if run == nil {
		run = runCommand
	}
	if err := run(ctx, "osascript", macArgs(n.appName(), m)...); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

func runCommand(ctx context.Context, name string, args ...string) error {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil && len(out) > 0 {
		return fmt.Errorf("%w: %s", err, out)
	}
	return err
}
