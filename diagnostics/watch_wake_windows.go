//go:build windows

package diagnostics

import (
	"context"
	"fmt"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The power manager's resume notification (Windows 8 and later), delivered to a callback, so
// that no window is needed; golang.org/x/sys wraps neither call.
var (
	powrprof                                     = windows.NewLazySystemDLL("powrprof.dll")
	procPowerRegisterSuspendResumeNotification   = powrprof.NewProc("PowerRegisterSuspendResumeNotification")
	procPowerUnregisterSuspendResumeNotification = powrprof.NewProc("PowerUnregisterSuspendResumeNotification")
)

const (
	deviceNotifyCallback  = 2    // DEVICE_NOTIFY_CALLBACK
	pbtAPMResumeAutomatic = 0x12 // PBT_APMRESUMEAUTOMATIC: sent at every resume, user present or not
)

// deviceNotifySubscribeParameters is DEVICE_NOTIFY_SUBSCRIBE_PARAMETERS.
type deviceNotifySubscribeParameters struct {
	callback uintptr
	context  uintptr
}

// The one callback of the process (Windows callbacks made from Go are never freed) tells every
// watcher listening.
var (
	winWakes   subscribers
	wakeParams = sync.OnceValue(func() *deviceNotifySubscribeParameters {
		return &deviceNotifySubscribeParameters{callback: windows.NewCallback(func(_, kind, _ uintptr) uintptr {
			if kind == pbtAPMResumeAutomatic {
				winWakes.fire()
			}
			return 0
		})}
	})
)

// systemWakes registers for the power manager's resume notification until ctx ends.
var systemWakes = func(ctx context.Context, woke func()) error {
	if err := procPowerRegisterSuspendResumeNotification.Find(); err != nil {
		return err
	}
	defer winWakes.add(woke)()
	params := wakeParams() // package-level, so it outlives the registration
	var handle uintptr
	if r, _, _ := procPowerRegisterSuspendResumeNotification.Call(deviceNotifyCallback,
		uintptr(unsafe.Pointer(params)), uintptr(unsafe.Pointer(&handle))); r != 0 {
		return fmt.Errorf("PowerRegisterSuspendResumeNotification: %w", windows.Errno(r))
	}
	defer procPowerUnregisterSuspendResumeNotification.Call(handle)
	<-ctx.Done()
	return nil
}
