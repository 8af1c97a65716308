//go:build windows

package notify

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows/registry"
)

// createNoWindow keeps the helper from flashing a console window.
const createNoWindow = 0x08000000

// toasts decides between the native toast and the fall-back for this process: whether the
// identity is registered, and whether the Windows Runtime is there, holds for all its notifiers.
var toasts toastRoute

// send shows m as a native toast under AppUserModelID, whose click and button call OnActivate.
// Where that cannot work (Apuri not installed by the MSI, so no shortcut registers the identity; no
// Windows Runtime, as under Wine) it falls back to a toast through Windows PowerShell, which
// shows the texts but reports no click.
func (n *Notifier) send(ctx context.Context, m Notification) error {
	native := func(doc string) error { return showToast(doc, n.OnActivate) }
	fallback := func() error { return n.powershellToast(ctx, m) }
	err := toasts.send(m, n.OnActivate != nil, installed, native, fallback, n.logf)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// installed checks the MSI's mark that its shortcut registers AppUserModelID.
func installed() error {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, InstalledKey, registry.QUERY_VALUE)
	if err != nil {
		return fmt.Errorf(`HKLM\%s: %w`, InstalledKey, err)
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue(InstalledValue)
	if err != nil {
		return fmt.Errorf(`HKLM\%s\%s: %w`, InstalledKey, InstalledValue, err)
	}
	if v != 1 {
		return fmt.Errorf(`HKLM\%s\%s is %d, not 1`, InstalledKey, InstalledValue, v)
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
