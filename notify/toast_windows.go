package notify

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The Windows Runtime's toast API, called through its COM interfaces: the interface IDs and
// the index of each method in its vtable (0–2 IUnknown, 3–5 IInspectable, then the interface's
// own methods in the order of windows.ui.notifications.h and windows.data.xml.dom.h).
var (
	iidXMLDocument      = windows.GUID{Data1: 0xf7f3a506, Data2: 0x1e87, Data3: 0x42d6, Data4: [8]byte{0xbc, 0xfb, 0xb8, 0xc8, 0x09, 0xfa, 0x54, 0x94}}
	iidXMLDocumentIO    = windows.GUID{Data1: 0x6cd0e74e, Data2: 0xee65, Data3: 0x4489, Data4: [8]byte{0x9e, 0xbf, 0xca, 0x43, 0xe8, 0x7b, 0xa6, 0x37}}
	iidManagerStatics   = windows.GUID{Data1: 0x50ac103f, Data2: 0xd235, Data3: 0x4598, Data4: [8]byte{0xbb, 0xef, 0x98, 0xfe, 0x4d, 0x1a, 0x3a, 0xd4}}
	iidToastFactory     = windows.GUID{Data1: 0x04124b20, Data2: 0x82c6, Data3: 0x4229, Data4: [8]byte{0xb1, 0x09, 0xfd, 0x9e, 0xd4, 0x66, 0x2b, 0x53}}
	iidUnknown          = windows.GUID{Data4: [8]byte{0xc0, 0, 0, 0, 0, 0, 0, 0x46}}
	iidAgileObject      = windows.GUID{Data1: 0x94ea2b94, Data2: 0xe9cc, Data3: 0x49e0, Data4: [8]byte{0xc0, 0xff, 0xee, 0x64, 0xca, 0x8f, 0x5b, 0x90}}
	iidActivatedHandler = windows.GUID{}
)

const (
	methodRelease                   = 2
	methodLoadXML                   = 6  // IXmlDocumentIO.LoadXml
	methodCreateToastNotifierWithID = 7  // IToastNotificationManagerStatics
	methodCreateToastNotification   = 6  // IToastNotificationFactory
	methodShow                      = 6  // IToastNotifier
	methodAddActivated              = 11 // IToastNotification.add_Activated

	roInitMultithreaded = 1
	eNoInterface        = 0x80004002
)

var (
	combase                    = windows.NewLazySystemDLL("combase.dll")
	procRoInitialize           = combase.NewProc("RoInitialize")
	procRoActivateInstance     = combase.NewProc("RoActivateInstance")
	procRoGetActivationFactory = combase.NewProc("RoGetActivationFactory")
	procWindowsCreateString    = combase.NewProc("WindowsCreateString")
	procWindowsDeleteString    = combase.NewProc("WindowsDeleteString")
	shell32                    = windows.NewLazySystemDLL("shell32.dll")
	procSetAppID               = shell32.NewProc("SetCurrentProcessExplicitAppUserModelID")
)

func init() {
	g, err := windows.GUIDFromString(activatedHandlerIID)
	if err != nil {
		panic("notify: " + err.Error())
	}
	iidActivatedHandler = g
}

// SetProcessAppID gives this process Apuri's AppUserModelID, so its toasts and windows belong
// to the Start-menu shortcut that carries the same one. Call it before showing anything.
func SetProcessAppID() error {
	if err := procSetAppID.Find(); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	id, err := windows.UTF16PtrFromString(AppUserModelID)
	if err != nil {
		return err
	}
	if hr, _, _ := procSetAppID.Call(uintptr(unsafe.Pointer(id))); failed(hr) {
		return fmt.Errorf("notify: SetCurrentProcessExplicitAppUserModelID: %w", hresult(hr))
	}
	return nil
}

// comObject is a COM interface pointer: a pointer to a table of methods.
type comObject struct{ vtbl *[64]uintptr }

func (o *comObject) call(method int, args ...uintptr) uintptr {
	hr, _, _ := syscall.SyscallN(o.vtbl[method], append([]uintptr{uintptr(unsafe.Pointer(o))}, args...)...)
	return hr
}

func (o *comObject) release() {
	if o != nil {
		o.call(methodRelease)
	}
}

func (o *comObject) query(iid *windows.GUID) (*comObject, error) {
	var out *comObject
	if hr := o.call(0, uintptr(unsafe.Pointer(iid)), uintptr(unsafe.Pointer(&out))); failed(hr) {
		return nil, fmt.Errorf("QueryInterface %v: %w", iid, hresult(hr))
	}
	return out, nil
}

func failed(hr uintptr) bool { return int32(hr) < 0 }

// hresultError is a failed HRESULT, shown as Windows documents it (0x80040154) and with the
// system's words for it where there are any.
type hresultError uint32

func (e hresultError) Error() string {
	text := syscall.Errno(e).Error()
	if strings.HasPrefix(text, "winapi error") {
		return fmt.Sprintf("HRESULT 0x%08X", uint32(e))
	}
	return fmt.Sprintf("HRESULT 0x%08X: %s", uint32(e), text)
}

func hresult(hr uintptr) error { return hresultError(uint32(hr)) }

// hstring is a Windows Runtime string; free it with delete.
type hstring uintptr

func newHString(s string) (hstring, error) {
	u, err := windows.UTF16FromString(s)
	if err != nil {
		return 0, err
	}
	var h hstring
	if hr, _, _ := procWindowsCreateString.Call(uintptr(unsafe.Pointer(&u[0])), uintptr(len(u)-1), uintptr(unsafe.Pointer(&h))); failed(hr) {
		return 0, fmt.Errorf("WindowsCreateString: %w", hresult(hr))
	}
	return h, nil
}

func (h hstring) delete() { procWindowsDeleteString.Call(uintptr(h)) }

// withHString calls f with s as a Windows Runtime string.
func withHString(s string, f func(hstring) error) error {
	h, err := newHString(s)
	if err != nil {
		return err
	}
	defer h.delete()
	return f(h)
}

// activationFactory returns the factory of class with the interface iid.
func activationFactory(class string, iid *windows.GUID) (*comObject, error) {
	var f *comObject
	err := withHString(class, func(h hstring) error {
		if hr, _, _ := procRoGetActivationFactory.Call(uintptr(h), uintptr(unsafe.Pointer(iid)), uintptr(unsafe.Pointer(&f))); failed(hr) {
			return fmt.Errorf("RoGetActivationFactory %s: %w", class, hresult(hr))
		}
		return nil
	})
	return f, err
}

// winToast holds the toast last shown: the Activated event is raised on that object, so it
// stays referenced until the next toast replaces it.
var winToast struct {
	mu   sync.Mutex
	last *comObject
}

// showToast shows the toast doc under AppUserModelID; onActivate, when set, is called when the
// user clicks it or its button while Apuri runs.
func showToast(doc string, onActivate func()) error {
	if err := combase.Load(); err != nil {
		return fmt.Errorf("the Windows Runtime is missing: %w", err)
	}
	// Windows Runtime calls belong to a thread that joined the multithreaded apartment; it
	// stays joined, as the toast and its handler outlive this call.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if hr, _, _ := procRoInitialize.Call(roInitMultithreaded); failed(hr) {
		return fmt.Errorf("RoInitialize: %w", hresult(hr))
	}
	xmlDoc, err := loadXML(doc)
	if err != nil {
		return err
	}
	defer xmlDoc.release()

	factory, err := activationFactory("Windows.UI.Notifications.ToastNotification", &iidToastFactory)
	if err != nil {
		return err
	}
	defer factory.release()
	var toast *comObject
	if hr := factory.call(methodCreateToastNotification, uintptr(unsafe.Pointer(xmlDoc)), uintptr(unsafe.Pointer(&toast))); failed(hr) {
		return fmt.Errorf("create the toast: %w", hresult(hr))
	}
	if onActivate != nil {
		activated.Store(&onActivate)
		var token int64
		if hr := toast.call(methodAddActivated, uintptr(unsafe.Pointer(&activatedHandler)), uintptr(unsafe.Pointer(&token))); failed(hr) {
			toast.release()
			return fmt.Errorf("listen for the toast's click: %w", hresult(hr))
		}
	}

	manager, err := activationFactory("Windows.UI.Notifications.ToastNotificationManager", &iidManagerStatics)
	if err != nil {
		toast.release()
		return err
	}
	defer manager.release()
	var notifier *comObject
	err = withHString(AppUserModelID, func(h hstring) error {
		if hr := manager.call(methodCreateToastNotifierWithID, uintptr(h), uintptr(unsafe.Pointer(&notifier))); failed(hr) {
			return fmt.Errorf("create the notifier for %s: %w", AppUserModelID, hresult(hr))
		}
		return nil
	})
	if err != nil {
		toast.release()
		return err
	}
	defer notifier.release()
	// An identity no shortcut has registered fails here (element not found).
	if hr := notifier.call(methodShow, uintptr(unsafe.Pointer(toast))); failed(hr) {
		toast.release()
		return fmt.Errorf("show the toast as %s: %w", AppUserModelID, hresult(hr))
	}
	winToast.mu.Lock()
	prev := winToast.last
	winToast.last = toast
	winToast.mu.Unlock()
	prev.release()
	return nil
}

// loadXML parses doc into a Windows.Data.Xml.Dom.XmlDocument and returns its IXmlDocument.
func loadXML(doc string) (*comObject, error) {
	var inst *comObject
	err := withHString("Windows.Data.Xml.Dom.XmlDocument", func(h hstring) error {
		if hr, _, _ := procRoActivateInstance.Call(uintptr(h), uintptr(unsafe.Pointer(&inst))); failed(hr) {
			return fmt.Errorf("RoActivateInstance XmlDocument: %w", hresult(hr))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	defer inst.release()
	io, err := inst.query(&iidXMLDocumentIO)
	if err != nil {
		return nil, err
	}
	defer io.release()
	err = withHString(doc, func(h hstring) error {
		if hr := io.call(methodLoadXML, uintptr(h)); failed(hr) {
			return fmt.Errorf("load the toast's XML: %w", hresult(hr))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inst.query(&iidXMLDocument)
}
