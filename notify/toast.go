package notify

import (
	"bytes"
	"encoding/xml"
	"sync"
)

// AppUserModelID is the identity Windows shows Apuri's toasts under and groups its windows by.
// The process takes it as its own (SetProcessAppID), and the MSI's Start-menu shortcut carries
// it (packaging/windows/MsiShortcutProperty.idt): Windows shows a toast only for an identity
// that a shortcut or a package has registered.
const AppUserModelID = "ApuriProject.Apuri"

// toastActivation is the argument the toast and its button hand back when clicked.
const toastActivation = "details"

// toastXML is the toast's content: the summary as its title, the body under it and, when
// withAction, one button that activates the app as clicking the toast does. Every text is
// escaped: a verdict quotes names from the profile and servers, and "R&D <VPN>" must arrive as
// words, not break the document.
func toastXML(m Notification, withAction bool) string {
	var b bytes.Buffer
	esc := func(s string) { _ = xml.EscapeText(&b, []byte(s)) }
	b.WriteString(`<toast activationType="foreground" launch="` + toastActivation + `"><visual><binding template="ToastGeneric"><text>`)
	esc(m.Summary)
	b.WriteString(`</text><text>`)
	esc(m.Body)
	b.WriteString(`</text></binding></visual>`)
	if withAction && m.ActionLabel != "" {
		b.WriteString(`<actions><action activationType="foreground" arguments="` + toastActivation + `" content="`)
		esc(m.ActionLabel)
		b.WriteString(`"/></actions>`)
	}
	b.WriteString(`</toast>`)
	return b.String()
}

// The MSI's mark that its Start-menu shortcut, and with it the AppUserModelID, is installed:
// a REG_DWORD 1 under HKEY_LOCAL_MACHINE (packaging/windows/apuri.wxs).
const (
	InstalledKey   = `Software\Apuri`
	InstalledValue = "StartMenuShortcut"
)

// toastRoute decides between the native toast and the Windows PowerShell fall-back. The native
// one is tried only where the installer has registered the identity (Windows may drop a toast
// from an unregistered one without a word), and only until it fails once (no Windows Runtime,
// as under Wine); from then on this run uses the fall-back, and says why once in the log.
type toastRoute struct {
	mu      sync.Mutex
	checked bool
	failed  bool
}

// send shows m through native, or through fallback where registered says no identity is
// registered or once native has failed.
func (r *toastRoute) send(m Notification, withAction bool, registered func() error, native func(xml string) error, fallback func() error, logf func(string, ...any)) error {
	r.mu.Lock()
	if !r.checked {
		r.checked = true
		if err := registered(); err != nil {
			r.failed = true
			logf("notify: Apuri's toast identity is not registered (%v), using Windows PowerShell", err)
		}
	}
	failed := r.failed
	r.mu.Unlock()
	if !failed {
		err := native(toastXML(m, withAction))
		if err == nil {
			return nil
		}
		r.mu.Lock()
		r.failed = true
		r.mu.Unlock()
		logf("notify: native toast not shown, using Windows PowerShell from now on: %v", err)
	}
	return fallback()
}

// activatedHandlerIID is the interface ID of TypedEventHandler<ToastNotification, Object>,
// the delegate the toast's Activated event calls. Windows derives it from the delegate's
// signature (toast_test.go does the same, so the constant cannot drift).
const activatedHandlerIID = "{ab54de2d-97d9-5528-b6ad-105afe156530}"
