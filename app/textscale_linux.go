package app

import (
	"context"
	"os/exec"
	"time"
)

// desktopTextScale is GNOME's (and Cinnamon's, Budgie's, MATE's through it) text scaling
// factor, read with gsettings; 1 when there is none.
func desktopTextScale() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "gsettings", "get", "org.gnome.desktop.interface", "text-scaling-factor").Output()
	if err != nil {
		return 1
	}
	return parseScale(string(out))
}
