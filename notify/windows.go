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

// toasts decides between the native toast and the fall-back for this process: whether the
// identity is registered, and whether the Windows Runtime is there, holds for all its notifiers.
var toasts toastRoute

// send shows m as a native toast under AppUserModelID, whose click and button call OnActivate.
// Where that cannot work (Apuri not installed, so no shortcut registers the identity; no
// Windows Runtime, as under Wine) it falls back to a toast through Windows PowerShell, which
// shows the texts but reports no click.
func (n *Notifier) send(ctx context.Context, m Notification) error {
	native := func(doc string) error { return showToast(doc, n.OnActivate) }
	err := toasts.send(m, n.OnActivate != nil, native, func() error { return n.powershellToast(ctx, m) }, n.logf)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

func (n *Notifier) powershellToast(ctx context.Context, m Notification) error {
	run := n.Run
	if run == nil {
		run = runCommand
	}
	return run(ctx, "powershell.exe", windowsArgs(m)...)
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
