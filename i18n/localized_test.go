package i18n

import (
	"encoding/json"
	"testing"
)

func TestLocalizedArgumentsRenderInTheReadersLanguage(t *testing.T) {
	title := Localized{"fi": "Palkkapalvelu", "sv": "Lönetjänst", "en": "Payroll"}
	args := map[string]any{"name": "x", "service": title}
	for lang, want := range map[string]string{"fi": "Avaa Palkkapalvelu", "sv": "Öppna Lönetjänst", "en": "Open Payroll"} {
		if got := New(lang).T("selfhelp.action.open_link", map[string]any{"name": title}); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if _, ok := args["service"].(Localized); !ok {
		t.Error("rendering changed the caller's arguments")
	}

	// A message read back from JSON carries the title as a plain object.
	data, _ := json.Marshal(map[string]any{"name": title})
	var back map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if got := New("sv").T("selfhelp.action.open_link", back); got != "Öppna Lönetjänst" {
		t.Errorf("after JSON: %q", got)
	}

	// A language the title lacks falls back to English, then Finnish.
	if got := (Localized{"fi": "Palkka"}).In("sv"); got != "Palkka" {
		t.Errorf("fallback: %q", got)
	}
	// An object that is not a text per language is left alone.
	if _, ok := localizedOf(map[string]any{"fi": "a", "host": "b"}); ok {
		t.Error("a map with a key that is no language was taken for a Localized")
	}
	if _, ok := localizedOf(map[string]any{"fi": 3}); ok {
		t.Error("a map with a value that is not text was taken for a Localized")
	}
}

func TestEachWritesEveryLanguage(t *testing.T) {
	l := Each(func(lang string) string { return "<" + lang + ">" })
	for _, lang := range Languages {
		if l[lang] != "<"+lang+">" {
			t.Errorf("%s: %q", lang, l[lang])
		}
	}
}
