//go:build !linux && !windows

package tray

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// desktop is the session the tray lives in.
type desktop struct{ dark bool }

// openDesktop reads whether the menu bar is dark (macOS says "Dark" when it is); elsewhere the
// panel is taken to be dark.
func openDesktop(func(string) string) (*desktop, error) {
	d := &desktop{dark: true}
	if runtime.GOOS == "darwin" {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		out, _ := exec.CommandContext(ctx, "defaults", "read", "-g", "AppleInterfaceStyle").Output()
		d.dark = strings.TrimSpace(string(out)) == "Dark"
	}
	return d, nil
}

func (d *desktop) Dark() bool               { return d.dark }
func (d *desktop) DarkChanges() <-chan bool { return nil }
func (d *desktop) Tray() bool               { return true }
func (d *desktop) TrayChanges() <-chan bool { return nil }
func (d *desktop) Close() error             { return nil }
