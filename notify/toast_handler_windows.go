package notify

import (
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The toast's Activated event calls a TypedEventHandler<ToastNotification, Object>: a COM
// object of four methods that Apuri provides. There is one, a package variable: Windows holds
// on to it, so it must never move or be collected, and a static object needs no reference count.

// handlerObject is the delegate's memory layout: a pointer to its vtable.
type handlerObject struct{ vtbl *[4]uintptr }

var (
	handlerVtbl = [4]uintptr{
		syscall.NewCallback(handlerQueryInterface),
		syscall.NewCallback(handlerAddRef),
		syscall.NewCallback(handlerRelease),
		syscall.NewCallback(handlerInvoke),
	}
	activatedHandler = handlerObject{vtbl: &handlerVtbl}
	// activated is what a click calls: the Notifier's OnActivate of the last toast shown.
	activated atomic.Pointer[func()]
)

func handlerQueryInterface(this *handlerObject, iid *windows.GUID, out *unsafe.Pointer) uintptr {
	switch *iid {
	case iidActivatedHandler, iidUnknown, iidAgileObject:
		*out = unsafe.Pointer(this)
		return 0
	}
	*out = nil
	return eNoInterface
}

func handlerAddRef(*handlerObject) uintptr  { return 1 }
func handlerRelease(*handlerObject) uintptr { return 1 }

// handlerInvoke runs on a Windows Runtime thread; the user's action runs on its own goroutine
// so the toast's platform thread is never held up.
func handlerInvoke(_ *handlerObject, _, _ uintptr) uintptr {
	if f := activated.Load(); f != nil && *f != nil {
		go (*f)()
	}
	return 0
}
