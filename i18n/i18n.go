// Package i18n renders Apuri's texts in Finnish, Swedish or English. The translations live in
// assets/translations as flat JSON objects (key → text with Go-template placeholders such as
// {{.days}}): one source for the CLI, the tray and the windows.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/apuri-project/apuri/assets"
	"github.com/jeandeaual/go-locale"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the languages Apuri speaks, in the order of preference when nothing else decides.
var Languages = []string{"fi", "sv", "en"}

// Fallback is the language used when the system's language is none of ours.
const Fallback = "en"

var (
	loadOnce sync.Once
	bundle   *goi18n.Bundle
	catalog  map[string]map[string]string // lang → key → text, for completeness checks
	loadErr  error
)

func load() {
	bundle = goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	catalog = map[string]map[string]string{}
	for _, l := range Languages {
		data, err := fs.ReadFile(assets.Translations, "translations/"+l+".json")
		if err != nil {
			loadErr = fmt.Errorf("read %s translations: %w", l, err)
			return
		}
		var texts map[string]string
		if err := json.Unmarshal(data, &texts); err != nil {
			loadErr = fmt.Errorf("parse %s translations: %w", l, err)
			return
		}
		catalog[l] = texts
		if _, err := bundle.ParseMessageFileBytes(data, l+".json"); err != nil {
			loadErr = fmt.Errorf("load %s translations: %w", l, err)
			return
		}
	}
}

// Translator renders keys in one language.
type Translator struct {
	lang      string
	localizer *goi18n.Localizer
}

// New returns a translator for lang ("fi", "sv", "en"; anything else falls back to English).
func New(lang string) *Translator {
	loadOnce.Do(load)
	if !Supported(lang) {
		lang = Fallback
	}
	return &Translator{lang: lang, localizer: goi18n.NewLocalizer(bundle, lang, Fallback)}
}

// Lang is the translator's language.
func (t *Translator) Lang() string { return t.lang }

// T renders key with its named arguments; a Localized argument renders in the translator's
// language. A missing key renders as the key itself, so a forgotten translation is visible
// instead of blank (and a test catches it).
func (t *Translator) T(key string, args map[string]any) string {
	if loadErr != nil {
		return key
	}
	args = localizeArgs(t.lang, args)
	s, err := t.localizer.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: args})
	if err != nil || s == "" {
		return key
	}
	return s
}

// F renders key with alternating name, value arguments: tr.F("uptime.days", "days", 23).
func (t *Translator) F(key string, kv ...any) string { return t.Message(Msg(key, kv...)) }

// Supported reports whether lang is one of Apuri's languages.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Detect picks the user's language: an explicit choice when it is one of ours, else the first
// of the system's preferred languages that we speak, else English.
func Detect(explicit string) string {
	if Supported(explicit) {
		return explicit
	}
	prefs, _ := locale.GetLocales()
	for _, p := range prefs {
		base := strings.ToLower(strings.SplitN(strings.SplitN(p, "-", 2)[0], "_", 2)[0])
		if Supported(base) {
			return base
		}
	}
	return Fallback
}

// Keys returns every key of one language, sorted; for tests that keep the languages in step.
func Keys(lang string) ([]string, error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return nil, loadErr
	}
	keys := make([]string, 0, len(catalog[lang]))
	for k := range catalog[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Text returns the raw template of key in lang, and whether it exists.
func Text(lang, key string) (string, bool) {
	loadOnce.Do(load)
	s, ok := catalog[lang][key]
	return s, ok
}
