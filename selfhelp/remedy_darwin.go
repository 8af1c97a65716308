package selfhelp

import (
	"context"
	"os/exec"
	"syscall"
)

func dialSystemBus(context.Context) (Bus, error) { return nil, ErrUnsupported }

func nativeRegistry() Registry { return nil }

func hideWindow(*exec.Cmd) {}

func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

func nativeSession() SessionAPI { return nil }
