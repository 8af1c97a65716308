package i18n

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	toml "github.com/pelletier/go-toml/v2"
)

// The glossary (assets/translations/glossary.toml) keeps one term per thing in each language.
// These tests enforce it on the translations and keep docs/glossary.md in step with it.

var update = flag.Bool("update", false, "rewrite docs/glossary.md from the glossary")

const (
	glossaryFile = "../assets/translations/glossary.toml"
	glossaryPage = "../docs/glossary.md"
)

type glossaryTerm struct {
	Concept string   `toml:"concept"`
	EN      string   `toml:"en"`
	FI      string   `toml:"fi"`
	SV      string   `toml:"sv"`
	Note    string   `toml:"note"`
	When    []string `toml:"when"`
	Except  []string `toml:"except"`
	FIUse   []string `toml:"fi_use"`
	SVUse   []string `toml:"sv_use"`
	ENAvoid []string `toml:"en_avoid"`
	FIAvoid []string `toml:"fi_avoid"`
	SVAvoid []string `toml:"sv_avoid"`
}

func (g glossaryTerm) use(lang string) []string {
	switch lang {
	case "fi":
		return g.FIUse
	case "sv":
		return g.SVUse
	}
	return nil
}

func (g glossaryTerm) avoid(lang string) []string {
	switch lang {
	case "fi":
		return g.FIAvoid
	case "sv":
		return g.SVAvoid
	}
	return g.ENAvoid
}

func loadGlossary(t *testing.T) []glossaryTerm {
	t.Helper()
	data, err := os.ReadFile(glossaryFile)
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Term []glossaryTerm `toml:"term"`
	}
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("%s: %v", glossaryFile, err)
	}
	if len(g.Term) < 20 {
		t.Fatalf("%s has only %d terms", glossaryFile, len(g.Term))
	}
	return g.Term
}

// How a glossary pattern is matched: a word to avoid must begin a word and a whole word (without
// *) must end one; a word to use may stand anywhere, inside a compound too.
type matchMode int

const (
	asWord matchMode = iota
	inside
)

// compilePattern turns "VPN-yhtey*" or "turvalli* etäyhtey*" into a regular expression.
func compilePattern(p string, mode matchMode) *regexp.Regexp {
	const letter = `\p{L}\p{N}`
	words := strings.Fields(p)
	parts := make([]string, len(words))
	last := false
	for i, w := range words {
		stem := strings.HasSuffix(w, "*")
		parts[i] = regexp.QuoteMeta(strings.TrimSuffix(w, "*"))
		if stem {
			parts[i] += `[` + letter + `-]*`
		}
		last = stem
	}
	expr := strings.Join(parts, `\s+`)
	if mode == asWord {
		expr = `(?:^|[^` + letter + `])` + expr
		if !last {
			expr += `(?:$|[^` + letter + `])`
		}
	}
	return regexp.MustCompile(`(?i)` + expr)
}

// placeholderRE finds {{.name}} and {{if …}} actions, which are not words of the text.
var placeholderRE = regexp.MustCompile(`{{[^}]*}}`)

func words(text string) string { return placeholderRE.ReplaceAllString(text, " ") }

// speaksOf reports whether an English text speaks of a term's concept.
func (g glossaryTerm) speaksOf(en string) bool {
	en = words(en)
	for _, e := range g.Except {
		en = strings.ReplaceAll(strings.ToLower(en), strings.ToLower(e), " ")
	}
	for _, w := range g.When {
		if compiled(w, asWord).MatchString(en) {
			return true
		}
	}
	return false
}

// compiled caches compilePattern: the tests match every pattern against every text.
var compiledCache = map[matchMode]map[string]*regexp.Regexp{asWord: {}, inside: {}}

func compiled(p string, mode matchMode) *regexp.Regexp {
	re, ok := compiledCache[mode][p]
	if !ok {
		re = compilePattern(p, mode)
		compiledCache[mode][p] = re
	}
	return re
}

func TestGlossaryPatternsMatchAsDocumented(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		mode    matchMode
		text    string
		want    bool
	}{
		{"tunnus*", asWord, "Tunnusta ei ole tallennettu", true},
		{"tunnus*", asWord, "Tunnus on tallennettu.", true},
		{"tunnus*", asWord, "käyttäjätunnus ja salasana", false},
		{"aktivitetsfält*", asWord, "appen i aktivitetsfältet", true},
		{"fast", asWord, "fast din organisation kräver den", true},
		{"fast", asWord, "fastän", false},
		{"nere", asWord, "VPN-tunneln är nere.", true},
		{"vrk", asWord, "2 vrk sitten", true},
		{"VPN-tunnel*", asWord, "VPN-tunneln (säker fjärråtkomst)", true},
		{"tunniste*", inside, "kirjautumistunnisteet", true},
		{"turvalli* etäyhtey*", inside, "turvallisen etäyhteyden kautta", true},
		{"turvalli* etäyhtey*", inside, "turvallinen yhteys", false},
		{"tray", asWord, "the tray app", true},
		{"tray", asWord, "astray", false},
	} {
		if got := compilePattern(tt.pattern, tt.mode).MatchString(tt.text); got != tt.want {
			t.Errorf("%q (mode %d) on %q = %v, want %v", tt.pattern, tt.mode, tt.text, got, tt.want)
		}
	}
}

// TestTranslationsAvoidWhatTheGlossaryForbids: no text uses a word the glossary rules out.
func TestTranslationsAvoidWhatTheGlossaryForbids(t *testing.T) {
	terms := loadGlossary(t)
	for _, lang := range Languages {
		keys, err := Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range terms {
			for _, a := range g.avoid(lang) {
				re := compiled(a, asWord)
				for _, k := range keys {
					text, _ := Text(lang, k)
					if m := re.FindString(words(text)); m != "" {
						m = strings.TrimFunc(m, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
						t.Errorf("%s %s says %q; the glossary has %q for %s: %s", lang, k, m, g.term(lang), g.Concept, text)
					}
				}
			}
		}
	}
}

// TestTranslationsUseTheGlossaryTerms: where the English speaks of a concept, the Finnish and
// the Swedish use the glossary's term for it.
func TestTranslationsUseTheGlossaryTerms(t *testing.T) {
	terms := loadGlossary(t)
	keys, err := Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range terms {
		applied := len(g.When) == 0
		for _, k := range keys {
			en, _ := Text("en", k)
			if !g.speaksOf(en) {
				continue
			}
			applied = true
			for _, lang := range []string{"fi", "sv"} {
				use := g.use(lang)
				if len(use) == 0 {
					continue
				}
				text, _ := Text(lang, k)
				if !matchesAny(use, words(text)) {
					t.Errorf("%s %s does not say %q (%s) where the English does: %s", lang, k, g.term(lang), g.Concept, text)
				}
			}
		}
		if !applied {
			t.Errorf("the glossary's %q (%s) matches no English text: is its `when` right?", g.EN, g.Concept)
		}
	}
}

func matchesAny(patterns []string, text string) bool {
	for _, p := range patterns {
		if compiled(p, inside).MatchString(text) {
			return true
		}
	}
	return false
}

func (g glossaryTerm) term(lang string) string {
	switch lang {
	case "fi":
		return g.FI
	case "sv":
		return g.SV
	}
	return g.EN
}

const (
	pageStart = "<!-- glossary: generated from assets/translations/glossary.toml -->"
	pageEnd   = "<!-- glossary: end -->"
)

// TestGlossaryPage keeps the table in docs/glossary.md equal to the glossary; -update rewrites it.
func TestGlossaryPage(t *testing.T) {
	terms := loadGlossary(t)
	page, err := os.ReadFile(glossaryPage)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(page), pageStart)
	_, after, ok2 := strings.Cut(rest, pageEnd)
	if !ok || !ok2 {
		t.Fatalf("%s lacks the markers %q and %q", glossaryPage, pageStart, pageEnd)
	}
	want := before + pageStart + "\n" + glossaryTable(terms) + pageEnd + after
	if want == string(page) {
		return
	}
	if *update {
		if err := os.WriteFile(glossaryPage, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is not up to date with %s: run go test ./i18n -run TestGlossaryPage -update", glossaryPage, glossaryFile)
}

// glossaryTable writes the terms as a Markdown table.
func glossaryTable(terms []glossaryTerm) string {
	var b strings.Builder
	b.WriteString("\n| concept | English | suomi | svenska | never |\n|---|---|---|---|---|\n")
	for _, g := range terms {
		var avoid []string
		for _, lang := range Languages {
			for _, a := range g.avoid(lang) {
				avoid = append(avoid, fmt.Sprintf("%s `%s`", lang, a))
			}
		}
		concept := g.Concept
		if g.Note != "" {
			concept += ". " + g.Note
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(concept), cell(g.EN), cell(g.FI), cell(g.SV), cell(strings.Join(avoid, ", ")))
	}
	b.WriteString("\n")
	return b.String()
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
