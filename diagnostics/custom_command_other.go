//go:build !windows

package diagnostics

import "os/exec"

// hideConsole has nothing to hide where programs get no console window of their own.
func hideConsole(*exec.Cmd) {}
