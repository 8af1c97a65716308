package diagnostics

import (
	"io"
	"maps"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/apuri-project/apuri/i18n"
)

// TestCheckMessagesTranslated: every message a check can report exists in every language, and
// each text renders with exactly the arguments the message carries, none missing.
func TestCheckMessagesTranslated(t *testing.T) {
	keys := MessageKeys()
	if len(keys) < 60 {
		t.Fatalf("only %d check messages: is the list complete?", len(keys))
	}
	for _, lang := range i18n.Languages {
		for _, key := range keys {
			text, ok := i18n.Text(lang, key)
			if !ok {
				t.Errorf("%s: no %s", lang, key)
				continue
			}
			names, _ := MessageArgs(key)
			args := map[string]any{}
			for _, n := range names {
				args[n] = "x"
			}
			tpl, err := template.New(key).Option("missingkey=error").Parse(text)
			if err == nil {
				err = tpl.Execute(io.Discard, args)
			}
			if err != nil {
				t.Errorf("%s %s with %v: %v", lang, key, names, err)
			}
		}
	}
}

// TestEveryCheckTextIsAMessage: the translations hold no check text that no check reports
// (check.name.* are the checks' names, not messages).
func TestEveryCheckTextIsAMessage(t *testing.T) {
	en, err := i18n.Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range en {
		if !strings.HasPrefix(key, "check.") || strings.HasPrefix(key, "check.name.") {
			continue
		}
		if _, ok := MessageArgs(key); !ok {
			t.Errorf("%s is translated but is no check's message", key)
		}
	}
}

// TestEveryTLSProblemHasAMessage: a service's TLS failure speaks in check.service.tls_<problem>.
func TestEveryTLSProblemHasAMessage(t *testing.T) {
	for _, p := range TLSProblems {
		if _, ok := MessageArgs("check.service.tls_" + p); !ok {
			t.Errorf("no message for the TLS problem %q", p)
		}
	}
}

// assertMessage holds the message of a result a check really produced to the list: a known
// key, with exactly the arguments the translations expect.
func assertMessage(t *testing.T, m i18n.Message) {
	t.Helper()
	want, ok := MessageArgs(m.Key)
	if !ok {
		t.Errorf("%s is not in MessageKeys", m.Key)
		return
	}
	if got := slices.Sorted(maps.Keys(m.Args)); !slices.Equal(got, want) {
		t.Errorf("%s carries the arguments %v, the list says %v", m.Key, got, want)
	}
}
