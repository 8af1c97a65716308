package i18n

import (
	"encoding/json"
	"testing"
)

func TestMsgCollectsNamedArguments(t *testing.T) {
	m := Msg("uptime.days", "days", 23, 7, "not a name", "dangling")
	if m.Key != "uptime.days" || len(m.Args) != 1 || m.Args["days"] != 23 {
		t.Errorf("Msg gave %+v, want key uptime.days and only days=23", m)
	}
	if m := Msg("report.try"); m.Args != nil {
		t.Errorf("a message without arguments has args %v, want none", m.Args)
	}
}

// TestMessageWireFormat: reports, the local API and the outbox carry messages as
// {"key", "args"}, with args left out when there are none.
func TestMessageWireFormat(t *testing.T) {
	for _, tt := range []struct {
		m    Message
		want string
	}{
		{Msg("check.dns.ok"), `{"key":"check.dns.ok"}`},
		{Msg("check.dns.slow", "latency_ms", 812.5), `{"key":"check.dns.slow","args":{"latency_ms":812.5}}`},
	} {
		got, err := json.Marshal(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
}

func TestTranslatorRendersAMessage(t *testing.T) {
	m := Msg("check.name.service", "name", "Tokka")
	for _, lang := range Languages {
		tr := New(lang)
		got := tr.Message(m)
		if got != tr.T(m.Key, m.Args) || got == m.Key {
			t.Errorf("%s: Message rendered %q", lang, got)
		}
	}
	if got := New("en").Message(Msg("no.such.key")); got != "no.such.key" {
		t.Errorf("a missing key rendered as %q, want the key itself", got)
	}
}
