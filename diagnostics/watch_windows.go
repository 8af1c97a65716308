//go:build windows

package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"unsafe"

	"golang.org/x/sys/windows"
)

// systemChanges asks Windows to call back on interface, unicast address and route changes
// (NotifyIpInterfaceChange, NotifyUnicastIpAddressChange, NotifyRouteChange2). Route callbacks
// wake the watcher only for default routes.
func systemChanges(ctx context.Context, notify func()) error {
	winCallbacks()
	defer winChanges.add(notify)()

	var handles []windows.Handle
	defer func() {
		for _, h := range handles {
			_ = windows.CancelMibChangeNotify2(h)
		}
	}()
	var errs []error
	for _, reg := range []struct {
		name string
		fn   func(family uint16, cb uintptr, ctx unsafe.Pointer, initial bool, h *windows.Handle) error
		cb   uintptr
	}{
		{"interface", windows.NotifyIpInterfaceChange, winInterfaceCB},
		{"address", windows.NotifyUnicastIpAddressChange, winAddressCB},
		{"route", windows.NotifyRouteChange2, winRouteCB},
	} {
		var h windows.Handle
		if err := reg.fn(windows.AF_UNSPEC, reg.cb, nil, false, &h); err != nil {
			errs = append(errs, fmt.Errorf("%s change notifications: %w", reg.name, err))
			continue
		}
		handles = append(handles, h)
	}
	if len(handles) == 0 {
		return errors.Join(errs...)
	}
	<-ctx.Done()
	return nil
}

var (
	winOnce                                  sync.Once
	winInterfaceCB, winAddressCB, winRouteCB uintptr
	winChanges                               subscribers
)

// winCallbacks makes the three callbacks once: Windows callbacks made by NewCallback are never
// freed, so they are shared by every watcher of the process.
func winCallbacks() {
	winOnce.Do(func() {
		winInterfaceCB = windows.NewCallback(func(_ uintptr, _ uintptr, kind uint32) uintptr {
			if kind != windows.MibInitialNotification {
				winFire()
			}
			return 0
		})
		winAddressCB = windows.NewCallback(func(_ uintptr, _ uintptr, kind uint32) uintptr {
			if kind == windows.MibAddInstance || kind == windows.MibDeleteInstance {
				winFire()
			}
			return 0
		})
		winRouteCB = windows.NewCallback(func(_ uintptr, row *windows.MibIpForwardRow2, kind uint32) uintptr {
			if (kind == windows.MibAddInstance || kind == windows.MibDeleteInstance) &&
				row != nil && row.DestinationPrefix.PrefixLength == 0 {
				winFire()
			}
			return 0
		})
	})
}

// winFire tells every watcher of a change.
func winFire() { winChanges.fire() }
