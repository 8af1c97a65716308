package selfhelp

import (
	"context"
	"errors"
	"fmt"
)

// logind's names on the system bus (systemd's org.freedesktop.login1 interface, also
// provided by elogind).
const (
	login1Dest    = "org.freedesktop.login1"
	login1Path    = "/org/freedesktop/login1"
	login1Manager = "org.freedesktop.login1.Manager"
	login1Session = "org.freedesktop.login1.Session"
)

// linuxPlatform restarts and logs out through logind over D-Bus, which checks the user's
// rights with polkit and needs no root; without a system bus it falls back to the commands.
type linuxPlatform struct{}

func (linuxPlatform) restart(ctx context.Context, r *Remedies) error {
	bus, err := r.systemBus(ctx)
	if err == nil {
		defer bus.Close()
		var can string
		if can, err = callString(ctx, bus, login1Path, login1Manager+".CanReboot"); err == nil {
			var interactive bool
			switch can {
			case "yes":
			case "challenge":
				// The user may reboot after authenticating: let polkit ask for the password.
				interactive = true
			default: // "no", "na"
				return fmt.Errorf("logind answers %q to CanReboot: %w", can, ErrNotPermitted)
			}
			if _, err := bus.Call(ctx, login1Dest, login1Path, login1Manager+".Reboot", interactive); err != nil {
				return fmt.Errorf("logind reboot: %w", err)
			}
			return nil
		}
	}
	// No bus, or no logind on it: the command may still reach an init system that can.
	if rerr := r.run(ctx, "systemctl", "reboot"); rerr != nil {
		return fmt.Errorf("systemctl reboot: %w (logind: %v)", rerr, err)
	}
	return nil
}

func (linuxPlatform) logOut(ctx context.Context, r *Remedies) error {
	id := r.getenv("XDG_SESSION_ID")
	bus, err := r.systemBus(ctx)
	if err == nil {
		defer bus.Close()
		var path string
		if path, err = sessionPath(ctx, bus, id, r.pid()); err == nil {
			if _, err := bus.Call(ctx, login1Dest, path, login1Session+".Terminate"); err != nil {
				return fmt.Errorf("logind terminate session: %w", err)
			}
			return nil
		}
	}
	if id == "" {
		return fmt.Errorf("no login session found (logind: %v): %w", err, ErrUnsupported)
	}
	if rerr := r.run(ctx, "loginctl", "terminate-session", id); rerr != nil {
		return fmt.Errorf("loginctl terminate-session: %w (logind: %v)", rerr, err)
	}
	return nil
}

// sessionPath finds the object of the user's login session: by XDG_SESSION_ID, which the
// session's programs inherit, or else by this process.
func sessionPath(ctx context.Context, bus Bus, id string, pid int) (string, error) {
	if id != "" {
		return callString(ctx, bus, login1Path, login1Manager+".GetSession", id)
	}
	return callString(ctx, bus, login1Path, login1Manager+".GetSessionByPID", uint32(pid))
}

// callString calls a logind method that answers with one string or object path.
func callString(ctx context.Context, bus Bus, path, method string, args ...any) (string, error) {
	reply, err := bus.Call(ctx, login1Dest, path, method, args...)
	if err != nil {
		return "", fmt.Errorf("%s: %w", method, err)
	}
	if len(reply) != 1 {
		return "", fmt.Errorf("%s: %d values in the reply", method, len(reply))
	}
	s, ok := reply[0].(string)
	if !ok {
		return "", errors.New(method + ": the reply is not a string")
	}
	return s, nil
}

func (linuxPlatform) openURL(ctx context.Context, r *Remedies, u string) error {
	return r.start(ctx, "xdg-open", u)
}

func (linuxPlatform) browsers(ctx context.Context, r *Remedies) []Browser {
	return xdgBrowsers(ctx, r)
}
