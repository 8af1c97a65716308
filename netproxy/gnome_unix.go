//go:build !windows && !darwin

package netproxy

import (
	"context"
	"os/exec"
	"time"
)

// gsettingsTimeout bounds the gsettings command: it starts a D-Bus client, and a wedged session
// bus must not hold up a diagnosis.
const gsettingsTimeout = 2 * time.Second

// readGNOME asks GSettings for org.gnome.system.proxy and its children in one run of
// `gsettings list-recursively`, whose values are GVariant text, never translated.
func readGNOME(ctx context.Context) Config {
	ctx, cancel := context.WithTimeout(ctx, gsettingsTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "gsettings", "list-recursively", "org.gnome.system.proxy")
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if err != nil {
		return Config{From: SourceNone}
	}
	return parseGNOME(string(out))
}
