package diagnostics

import (
	"os/exec"
	"syscall"
)

// createNoWindow keeps a console program from flashing a console window on the desktop.
const createNoWindow = 0x08000000

func hideConsole(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
}
