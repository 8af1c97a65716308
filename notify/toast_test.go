package notify

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// parsedToast is what Windows reads from toastXML.
type parsedToast struct {
	XMLName xml.Name `xml:"toast"`
	Launch  string   `xml:"launch,attr"`
	Binding struct {
		Template string   `xml:"template,attr"`
		Texts    []string `xml:"text"`
	} `xml:"visual>binding"`
	Actions []struct {
		Content   string `xml:"content,attr"`
		Arguments string `xml:"arguments,attr"`
		Type      string `xml:"activationType,attr"`
	} `xml:"actions>action"`
}

func TestToastXMLCarriesEveryTextAsWords(t *testing.T) {
	m := Notification{
		Summary:     `R&D's "VPN" <down>`,
		Body:        "The VPN <vpn.example> doesn't answer: R&D\u00a0– 3\u00a0min.\nSecond line ]]> & 'quoted'",
		ActionLabel: `Show "details" & more <now>`,
	}
	var got parsedToast
	doc := toastXML(m, true)
	if err := xml.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, doc)
	}
	if len(got.Binding.Texts) != 2 || got.Binding.Texts[0] != m.Summary || got.Binding.Texts[1] != m.Body {
		t.Errorf("texts %q, want %q and %q", got.Binding.Texts, m.Summary, m.Body)
	}
	if len(got.Actions) != 1 || got.Actions[0].Content != m.ActionLabel ||
		got.Actions[0].Arguments != toastActivation || got.Actions[0].Type != "foreground" {
		t.Errorf("actions %+v, want one %q opening %q", got.Actions, m.ActionLabel, toastActivation)
	}
	if got.Launch != toastActivation || got.Binding.Template != "ToastGeneric" {
		t.Errorf("launch %q template %q", got.Launch, got.Binding.Template)
	}
}

func TestToastXMLWithoutAButton(t *testing.T) {
	for _, tt := range []struct {
		name       string
		label      string
		withAction bool
	}{{"no handler", "Show details", false}, {"no label", "", true}} {
		var got parsedToast
		if err := xml.Unmarshal([]byte(toastXML(Notification{Summary: "a", Body: "b", ActionLabel: tt.label}, tt.withAction)), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Actions) != 0 {
			t.Errorf("%s: actions %+v, want none", tt.name, got.Actions)
		}
	}
}

// TestToastFallsBackOnce: the native toast is tried first; once it fails, the fall-back shows
// this and every later notification, and the switch is logged once.
func TestToastFallsBackOnce(t *testing.T) {
	var r toastRoute
	var calls, logs []string
	logf := func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }
	fallback := func() error { calls = append(calls, "powershell"); return nil }
	works := func(doc string) error { calls = append(calls, "native"); return nil }
	broken := func(string) error { calls = append(calls, "native"); return errors.New("class not registered") }

	m := Notification{Summary: "s", Body: "b"}
	checks := 0
	installed := func() error { checks++; return nil }
	if err := r.send(m, false, installed, works, fallback, logf); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := r.send(m, false, installed, broken, fallback, logf); err != nil {
			t.Fatal(err)
		}
	}
	if checks != 1 {
		t.Errorf("the registration was checked %d times, want once", checks)
	}
	want := "native native powershell powershell"
	if strings.Join(calls, " ") != want {
		t.Errorf("calls %q, want %q", calls, want)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "class not registered") {
		t.Errorf("logs %q, want one naming the native failure", logs)
	}

	failing := toastRoute{failed: true}
	fallbackErr := errors.New("powershell.exe not found")
	if err := failing.send(m, false, installed, works, func() error { return fallbackErr }, logf); !errors.Is(err, fallbackErr) {
		t.Errorf("err = %v, want the fall-back's", err)
	}
}

// TestToastWithoutRegistrationFallsBack: where the installer has not registered the identity,
// the native toast is never tried.
func TestToastWithoutRegistrationFallsBack(t *testing.T) {
	var r toastRoute
	var calls, logs []string
	logf := func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }
	notInstalled := func() error { return errors.New("HKLM\\Software\\Apuri: not found") }
	native := func(string) error { calls = append(calls, "native"); return nil }
	fallback := func() error { calls = append(calls, "powershell"); return nil }
	for range 2 {
		if err := r.send(Notification{Summary: "s"}, true, notInstalled, native, fallback, logf); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(calls, " ") != "powershell powershell" {
		t.Errorf("calls %q, want the fall-back twice", calls)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "not registered") {
		t.Errorf("logs %q, want one saying the identity is not registered", logs)
	}
}

// TestActivatedHandlerIID derives the delegate's interface ID from its signature as the
// Windows Runtime does: a version-5 UUID (SHA-1) in the runtime's namespace for parameterized
// types, over TypedEventHandler`2's ID with ToastNotification and Object as its arguments.
func TestActivatedHandlerIID(t *testing.T) {
	const (
		namespace    = "11f47ad5-7b73-42c0-abae-878b1e16adee"
		typedHandler = "{9de1c534-6ae1-11e0-84e1-18a905bcc53f}"
		toastClass   = "rc(Windows.UI.Notifications.ToastNotification;{997e2675-059e-4e60-8b06-1760917c8b80})"
	)
	sig := "pinterface(" + typedHandler + ";" + toastClass + ";cinterface(IInspectable))"
	ns, err := hex.DecodeString(strings.ReplaceAll(namespace, "-", ""))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(append(ns, sig...))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	got := "{" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:] + "}"
	if got != activatedHandlerIID {
		t.Errorf("derived %s, the code uses %s", got, activatedHandlerIID)
	}
}
