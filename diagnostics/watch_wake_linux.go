//go:build linux

package diagnostics

import (
	"context"
	"errors"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// logind's manager, which announces sleep and waking on the system bus.
const (
	logindPath            = "/org/freedesktop/login1"
	logindManager         = "org.freedesktop.login1.Manager"
	logindPrepareForSleep = "PrepareForSleep"
)

// systemWakes listens for logind's PrepareForSleep(false), which it sends as the computer
// resumes: no polling, and no rights needed.
var systemWakes = func(ctx context.Context, woke func()) error {
	return logindWakes(ctx, func() (*dbus.Conn, error) { return dbus.ConnectSystemBus(dbus.WithContext(ctx)) }, woke)
}

// logindWakes calls woke for each PrepareForSleep(false) on the bus connect opens, until ctx
// ends.
func logindWakes(ctx context.Context, connect func() (*dbus.Conn, error), woke func()) error {
	conn, err := connect()
	if err != nil {
		return fmt.Errorf("system bus: %w", err)
	}
	defer conn.Close()
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchObjectPath(logindPath),
		dbus.WithMatchInterface(logindManager), dbus.WithMatchMember(logindPrepareForSleep)); err != nil {
		return fmt.Errorf("listen for logind's PrepareForSleep: %w", err)
	}
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)
	for {
		select {
		case <-ctx.Done():
			return nil
		case s, ok := <-signals:
			if !ok {
				return errors.New("the system bus closed")
			}
			if s.Name != logindManager+"."+logindPrepareForSleep || len(s.Body) != 1 {
				continue
			}
			if sleeping, ok := s.Body[0].(bool); ok && !sleeping {
				woke()
			}
		}
	}
}
