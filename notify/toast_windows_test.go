package notify

import (
	"context"
	"strings"
	"testing"
)

// TestNativeToastFailsCleanly runs where Windows is real or emulated (Wine: GOOS=windows
// go test -c, then wine notify.test.exe). Either the toast is shown, or the attempt ends in an
// error, never a crash, and the notifier falls back to Windows PowerShell (here without asking
// for the installer's mark, so that the native attempt is what fails).
func TestNativeToastFailsCleanly(t *testing.T) {
	err := showToast(toastXML(Notification{Summary: "Apuri", Body: "R&D <test>", ActionLabel: "Show"}, true), func() {})
	t.Logf("native toast: %v", err)
	if err == nil {
		return
	}
	var ran []string
	n := &Notifier{
		Run:        func(_ context.Context, name string, _ ...string) error { ran = append(ran, name); return nil },
		OnActivate: func() {},
		Logf:       t.Logf,
	}
	toasts = toastRoute{checked: true}
	defer func() { toasts = toastRoute{} }()
	if err := n.Send(context.Background(), Notification{Summary: "a", Body: "b"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if strings.Join(ran, " ") != "powershell.exe" {
		t.Errorf("ran %q, want the PowerShell fall-back", ran)
	}
}
