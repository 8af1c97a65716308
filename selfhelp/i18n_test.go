package selfhelp

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

var (
	keyInSource = regexp.MustCompile(`"(selfhelp\.(?:step|why|note|action|confirm|error)\.[a-z_]+)"`)
	placeholder = regexp.MustCompile(`{{\s*\.([A-Za-z_]+)\s*}}`)
)

// TestEveryKeyIsTranslated: every key the package's code names exists in all three languages,
// with the same placeholders.
func TestEveryKeyIsTranslated(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyInSource.FindAllStringSubmatch(string(data), -1) {
			if !slices.Contains(keys, m[1]) {
				keys = append(keys, m[1])
			}
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found only %d keys in the source; is the pattern right?", len(keys))
	}
	for _, key := range keys {
		en, ok := i18n.Text("en", key)
		if !ok {
			t.Errorf("%s: missing in en", key)
			continue
		}
		for _, lang := range []string{"fi", "sv"} {
			text, ok := i18n.Text(lang, key)
			switch {
			case !ok:
				t.Errorf("%s: missing in %s", key, lang)
			case !slices.Equal(placeholders(text), placeholders(en)):
				t.Errorf("%s: %s placeholders %v, en %v", key, lang, placeholders(text), placeholders(en))
			}
		}
	}
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// TestLaddersRender renders every message of every ladder in the tests in each language: no
// key left untranslated, no placeholder without its argument.
func TestLaddersRender(t *testing.T) {
	var msgs []i18n.Message
	add := func(m *i18n.Message) {
		if m != nil && m.Key != "" {
			msgs = append(msgs, *m)
		}
	}
	for _, tt := range ladderCases() {
		p := tt.profile
		if p == nil {
			p = orgProfile()
		}
		for _, s := range Ladder(tt.report, p, tt.opts...) {
			add(&s.Title)
			add(&s.Why)
			add(s.Note)
			for _, a := range append([]Action{s.Action}, s.More...) {
				add(&a.Label)
				add(a.Confirm)
			}
		}
	}
	for _, err := range []error{ErrRefusedURL, ErrUnsupported, ErrNotPermitted, ErrPolicy, ErrBrowserNotFound, ErrNoAction, context.Canceled} {
		m := ErrorMessage(err)
		add(&m)
	}
	for _, lang := range i18n.Languages {
		tr := i18n.New(lang)
		for _, m := range msgs {
			got := tr.Message(m)
			if got == m.Key || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("%s %s %v: %q", lang, m.Key, m.Args, got)
			}
		}
	}
}
