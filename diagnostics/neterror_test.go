package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

// TestNetErrorWordsSpeakTheReadersLanguage: the usual failures reach a sentence in its own
// language, not as a fragment of the system's English; anything else keeps the system's words.
func TestNetErrorWordsSpeakTheReadersLanguage(t *testing.T) {
	dial := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	tests := []struct {
		name string
		err  error
		fi   string
	}{
		{"a name not found", fmt.Errorf("get: %w", &net.DNSError{Err: "no such host", Name: "detectportal.firefox.com", IsNotFound: true}),
			"nimelle detectportal.firefox.com ei saatu osoitetta"},
		{"a timeout", fmt.Errorf("get: %w", context.DeadlineExceeded), "vastausta ei tullut ajoissa"},
		{"refused", dial(os.NewSyscallError("connect", syscall.ECONNREFUSED)), "yhteys torjuttiin"},
		{"no route", dial(os.NewSyscallError("connect", syscall.ENETUNREACH)), "verkkoon ei ole reittiä"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words, ok := netErrorWords(tt.err).(i18n.Localized)
			if !ok {
				t.Fatalf("%v: got %#v, want words per language", tt.err, netErrorWords(tt.err))
			}
			if got := words.In("fi"); got != tt.fi {
				t.Errorf("fi %q, want %q", got, tt.fi)
			}
			for _, lang := range i18n.Languages {
				msg := i18n.New(lang).F("check.internet.unreachable", "error", words)
				if words.In(lang) == "" || msg == "" || msg == "check.internet.unreachable" {
					t.Errorf("%s: %q", lang, msg)
				}
			}
		})
	}
	odd := errors.New("x509: something unusual")
	if got := netErrorWords(odd); got != "x509: something unusual" {
		t.Errorf("an unusual error became %#v; its own words were wanted", got)
	}
}
