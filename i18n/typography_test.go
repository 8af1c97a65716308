package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Typography the glossary cannot express: Finnish commas and semicolons, and numbers that stay
// on one line with their units.

// finnishClause matches a conjunction or relative pronoun that begins a subordinate clause
// (or "mutta"), with the word before it.
var finnishClause = regexp.MustCompile(`(\S*)(\s+)(ennen kuin|jotta|koska|vaikka|kunnes|jolloin|joten|mutta|että|jos|kun|mitä|mikä|joka|jota|jonka|joita|joiden|jossa|jolla|josta)(?:$|[^\p{L}])`)

// missingFinnishCommas lists the clauses of a Finnish text that lack the comma before them. A
// clause may also follow a colon, a dash, an opening bracket, or "ja" or "tai" (a second clause
// of the same kind).
func missingFinnishCommas(text string) []string {
	var out []string
	for _, m := range finnishClause.FindAllStringSubmatch(words(text), -1) {
		before := m[1]
		switch {
		case strings.HasSuffix(before, ","), strings.HasSuffix(before, ":"), strings.HasSuffix(before, "("),
			before == "ja", before == "tai", before == "–":
		default:
			out = append(out, strings.TrimSpace(m[0]))
		}
	}
	return out
}

func TestFinnishCommaCheckFindsWhatItShould(t *testing.T) {
	for text, want := range map[string][]string{
		"Näet pyynnön ennen kuin se lähetetään.":           {"pyynnön ennen kuin"},
		"Näet pyynnön, ennen kuin se lähetetään.":          nil,
		"Tarkista pyyntö, lisää mitä tiedät ja lähetä se.": {"lisää mitä"},
		"Kun kirjaudut ulos, alkaa uusi istunto.":          nil,
		"Mitä voin tehdä?":                                 nil,
		"Ei vielä mitään":                                  nil,
		"Verkko toimii mutta DNS ei.":                      {"toimii mutta"},
	} {
		if got := missingFinnishCommas(text); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}

// TestFinnishHasCommasBeforeClauses: Finnish puts a comma before every subordinate clause.
func TestFinnishHasCommasBeforeClauses(t *testing.T) {
	keys, _ := Keys("fi")
	for _, k := range keys {
		text, _ := Text("fi", k)
		for _, c := range missingFinnishCommas(text) {
			t.Errorf("fi %s: no comma before the clause in %q: %s", k, c, text)
		}
	}
}

// TestFinnishHasNoSemicolons: a semicolon reads as translated English in Finnish.
func TestFinnishHasNoSemicolons(t *testing.T) {
	keys, _ := Keys("fi")
	for _, k := range keys {
		if text, _ := Text("fi", k); strings.Contains(words(text), ";") {
			t.Errorf("fi %s has a semicolon: %s", k, text)
		}
	}
}

// unitWords are what follows a number as its unit, in any of the languages.
const unitWords = `ms|s|min|h|kB|kt|MB|GB|bytes?|tavua|days?|päivää|päivän|dagar|seconds?|sekuntia|sekunnissa|sekunder|minutes?|minuuttia|minuter|hours?|tunnin|timmarna|timmar|characters|merkkiä|tecken`

var (
	// brokenUnit is a number or a placeholder, an ordinary space, and a unit: a line may break there.
	brokenUnit = regexp.MustCompile(`(?:}}|\d)[ \t]+(?:` + unitWords + `|%)(?:$|[^\p{L}])`)
	// percentSpaced is any space before a percent sign, wrong in English.
	percentSpaced = regexp.MustCompile(`(?:}}|\d)[ \t\x{00A0}]+%`)
	// percentTight is a percent sign straight after the number, wrong in Finnish and Swedish.
	percentTight = regexp.MustCompile(`(?:}}|\d)%`)
)

// unitProblems lists where a text lets a number and its unit part, or spaces a percentage
// against the language's rule: English "25%", Finnish and Swedish "25 %" with a no-break space.
func unitProblems(lang, text string) []string {
	found := brokenUnit.FindAllString(text, -1)
	if lang == "en" {
		found = append(found, percentSpaced.FindAllString(text, -1)...)
	} else {
		found = append(found, percentTight.FindAllString(text, -1)...)
	}
	return found
}

func TestUnitCheckFindsWhatItShould(t *testing.T) {
	nb := "\u00a0"
	for _, tt := range []struct {
		lang, text string
		bad        bool
	}{
		{"en", "answers ({{.latency_ms}} ms)", true},
		{"en", "answers ({{.latency_ms}}" + nb + "ms)", false},
		{"en", "is {{.percent}} % busy", true},
		{"en", "is {{.percent}}" + nb + "% busy", true},
		{"en", "is {{.percent}}% busy", false},
		{"fi", "{{.percent}}% käytössä", true},
		{"fi", "{{.percent}} % käytössä", true},
		{"fi", "{{.percent}}" + nb + "% käytössä", false},
		{"sv", "inom 4–5 dagar", true},
		{"sv", "inom 4–5" + nb + "dagar", false},
		{"en", "{{.done}} of {{.total}} checks done", false},
		{"en", "within {{.seconds}} s.", true},
	} {
		if got := unitProblems(tt.lang, tt.text); (len(got) > 0) != tt.bad {
			t.Errorf("%s %q: problems %q, want bad=%v", tt.lang, tt.text, got, tt.bad)
		}
	}
}

// TestNumbersStayWithTheirUnits: a line never breaks between a number and its unit.
func TestNumbersStayWithTheirUnits(t *testing.T) {
	for _, lang := range Languages {
		keys, _ := Keys(lang)
		for _, k := range keys {
			text, _ := Text(lang, k)
			for _, p := range unitProblems(lang, text) {
				t.Errorf("%s %s: %q needs a no-break space (U+00A0) or, in English, none before %%: %s", lang, k, p, text)
			}
		}
	}
}
