package profile

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apuri-project/apuri/internal/safetext"
)

// Title is what people call a service or a link, as the organisation writes it: one text for
// every language (title = "TOP") or one per language
// (title = { fi = "Palkkapalvelu", sv = "Lönetjänsten", en = "Payroll" }). Every sentence,
// button and row shows it; a service's name stays its ID, for the JSON report and the logs.
type Title struct {
	Text string `toml:"-"` // the same in every language
	FI   string `toml:"fi"`
	SV   string `toml:"sv"`
	EN   string `toml:"en"`
}

// TitleLanguages are the languages a title may be given in, in the order of the fallback: a
// title without the reader's language, and without a text for every language, is read in the
// first of these it has.
var TitleLanguages = []string{"en", "fi", "sv"}

// UnmarshalText reads the short form, title = "TOP"; the table form fills the fields.
func (t *Title) UnmarshalText(b []byte) error {
	t.Text = string(b)
	return nil
}

// MarshalJSON writes the title as the file wrote it (Value): the profile crosses the local
// API as JSON, and a window must read the same titles the agent holds.
func (t Title) MarshalJSON() ([]byte, error) { return json.Marshal(t.Value()) }

// UnmarshalJSON reads a title written by MarshalJSON: a text, or an object of languages.
func (t *Title) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err == nil {
		*t = Title{Text: text}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("a title is a text or an object of languages: %w", err)
	}
	*t = Title{FI: m["fi"], SV: m["sv"], EN: m["en"]}
	return nil
}

// IsZero reports whether no title was given.
func (t Title) IsZero() bool { return t.Text == "" && t.FI == "" && t.SV == "" && t.EN == "" }

// Value is the title as the file wrote it: the text, or the table of languages.
func (t Title) Value() any {
	if t.Text != "" || t.IsZero() {
		return t.Text
	}
	m := map[string]string{}
	for _, lang := range TitleLanguages {
		if s := t.in(lang); s != "" {
			m[lang] = s
		}
	}
	return m
}

func (t Title) in(lang string) string {
	switch lang {
	case "fi":
		return t.FI
	case "sv":
		return t.SV
	case "en":
		return t.EN
	}
	return ""
}

// In is the title in lang: that language's text, else the text for every language, else the
// first of English, Finnish and Swedish given; "" when there is no title.
func (t Title) In(lang string) string {
	if s := t.in(lang); s != "" {
		return s
	}
	if t.Text != "" {
		return t.Text
	}
	for _, l := range TitleLanguages {
		if s := t.in(l); s != "" {
			return s
		}
	}
	return ""
}

// texts are the title's texts, for validation and for matching what people write.
func (t Title) texts() []string {
	var out []string
	for _, s := range []string{t.Text, t.FI, t.SV, t.EN} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Titles is what people call the service in each language: its title, or else its name
// written as a name (DisplayName). A message carries it as an argument, and the translator
// picks the reader's language.
func (s Service) Titles() map[string]string {
	return titles(s.Title, DisplayName(s.Name))
}

// Titles is what the link is called in each language: its title, or else its name.
func (l Link) Titles() map[string]string {
	return titles(l.Title, l.Name)
}

// Words are every name people may use for the service: its name and its titles.
func (s Service) Words() []string { return append([]string{s.Name}, s.Title.texts()...) }

func titles(t Title, fallback string) map[string]string {
	m := make(map[string]string, len(TitleLanguages))
	for _, lang := range TitleLanguages {
		if m[lang] = t.In(lang); m[lang] == "" {
			m[lang] = fallback
		}
	}
	return m
}

// DisplayName writes a service's name, an ID such as "intranet" or "m365-mail", as a name for
// a sentence when the profile gives no title: with a capital letter and spaces for - and _
// ("Intranet", "M365 mail"). A name of three letters or fewer is taken for an abbreviation
// and written in capitals ("top" → "TOP").
func DisplayName(name string) string {
	name = strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(name))
	if name == "" {
		return ""
	}
	if utf8.RuneCountInString(name) <= 3 && strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
		return strings.ToUpper(name)
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}

// maxTitle bounds a title: it has to fit a menu item and a button.
const maxTitle = 60

// badTitle reports a title text that would break a menu or a sentence: too long, more than one
// line, with spaces at either end, or with a character safetext removes (a bidi override would
// make a menu show something other than what is there).
func badTitle(s string) bool {
	return utf8.RuneCountInString(s) > maxTitle || strings.TrimSpace(s) != s ||
		strings.IndexFunc(s, unicode.IsControl) >= 0 || !safetext.Clean(s)
}
