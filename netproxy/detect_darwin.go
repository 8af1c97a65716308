//go:build darwin

package netproxy

import (
	"context"
	"os/exec"
	"time"
)

// desktopConfig reads System Settings' proxies through `scutil --proxy`, which ships with
// every macOS: SystemConfiguration itself needs cgo, and the command prints the same
// dictionary.
func desktopConfig(ctx context.Context, _ func(string) string) Config {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/sbin/scutil", "--proxy")
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if err != nil {
		return Config{From: SourceNone}
	}
	return parseScutil(string(out))
}

// systemPAC: scripts are run by this package here.
func systemPAC(context.Context, Config, string) (string, bool) { return "", false }
