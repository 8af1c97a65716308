package notify

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestPowerShellQuoting(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Ei verkkoyhteyttä", "'Ei verkkoyhteyttä'"},
		{"apostrophe", "Can't connect", "'Can''t connect'"},
		{"typographic quotes", "it’s ‘x’", "'it’’s ‘‘x’’'"},
		{"no expansion in single quotes", "$env:USERNAME $(calc)", "'$env:USERNAME $(calc)'"},
		{"empty", "", "''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := psQuote(tt.in); got != tt.want {
				t.Errorf("psQuote(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestWindowsToastCommand(t *testing.T) {
	args := windowsArgs(Notification{Summary: "Can't connect", Body: "Plug in the cable."})
	if args[len(args)-2] != "-EncodedCommand" {
		t.Fatalf("args %q: the script must be passed encoded", args)
	}
	raw, err := base64.StdEncoding.DecodeString(args[len(args)-1])
	if err != nil || len(raw)%2 != 0 {
		t.Fatalf("not base64 UTF-16: %v", err)
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = uint16(raw[2*i]) | uint16(raw[2*i+1])<<8
	}
	script := string(utf16.Decode(u))
	for _, want := range []string{"CreateTextNode('Can''t connect')", "CreateTextNode('Plug in the cable.')", "ToastText02", windowsAppID} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q:\n%s", want, script)
		}
	}
}

func TestMacNotificationCommand(t *testing.T) {
	args := macArgs("Apuri", Notification{Summary: `Say "hi"`, Body: "end run"})
	// The texts are the script's arguments, after the script: they are never part of it.
	n := len(args)
	if args[n-3] != "Apuri" || args[n-2] != `Say "hi"` || args[n-1] != "end run" {
		t.Fatalf("args %q", args)
	}
	for _, a := range args[:n-3] {
		if strings.Contains(a, "hi") {
			t.Errorf("a text leaked into the script: %q", a)
		}
	}
}
