//go:build windows

package notify

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"
)

// createNoWindow keeps the helper from flashing a console window.
const createNoWindow = 0x08000000

// send shows m as a toast through Windows PowerShell. The toast's click is not reported back,
// so OnActivate is not used here.
func (n *Notifier) send(ctx context.Context, m Notification) error {
	run := n.Run
	if run == nil {
		run = runCommand
	}
	if err := run(ctx, "powershell.exe", windowsArgs(m)...); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

func runCommand(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) > 0 {
		return fmt.Errorf("%w: %s", err, out)
	}
	return err
}
