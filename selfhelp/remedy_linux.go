package selfhelp

import (
	"context"
	"os/exec"
	"syscall"

	"github.com/godbus/dbus/v5"
)

// dialSystemBus opens a private connection to the system bus, closed after each remedy.
func dialSystemBus(ctx context.Context) (Bus, error) {
	conn, err := dbus.ConnectSystemBus(dbus.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	return godbusBus{conn}, nil
}

// godbusBus adapts a godbus connection to Bus.
type godbusBus struct{ conn *dbus.Conn }

func (b godbusBus) Call(ctx context.Context, dest, path, method string, args ...any) ([]any, error) {
	call := b.conn.Object(dest, dbus.ObjectPath(path)).CallWithContext(ctx, method, 0, args...)
	if call.Err != nil {
		return nil, call.Err
	}
	out := make([]any, len(call.Body))
	for i, v := range call.Body {
		if p, ok := v.(dbus.ObjectPath); ok {
			v = string(p)
		}
		out[i] = v
	}
	return out, nil
}

func (b godbusBus) Close() error { return b.conn.Close() }

func nativeRegistry() Registry { return nil }

func hideWindow(*exec.Cmd) {}

func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

func nativeSession() SessionAPI { return nil }
