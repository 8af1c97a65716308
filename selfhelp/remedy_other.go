//go:build !linux && !darwin && !windows

package selfhelp

import (
	"context"
	"os/exec"
)

func dialSystemBus(context.Context) (Bus, error) { return nil, ErrUnsupported }

func nativeRegistry() Registry { return nil }

func hideWindow(*exec.Cmd) {}

func detach(*exec.Cmd) {}

func nativeSession() SessionAPI { return nil }
