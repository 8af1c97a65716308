package app

import (
	"encoding/json"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"

	"github.com/apuri-project/apuri/i18n"
)

// fyneWords maps the words Fyne itself shows (dialog buttons and titles, the entry's context
// menu) to our translation keys, so that they come from the same files as every other text.
var fyneWords = map[string]string{
	"Cancel":     "window.fyne.cancel",
	"Confirm":    "window.fyne.confirm",
	"Copy":       "window.fyne.copy",
	"Cut":        "window.fyne.cut",
	"Error":      "window.fyne.error",
	"No":         "window.fyne.no",
	"OK":         "window.fyne.ok",
	"Open":       "window.fyne.open",
	"Paste":      "window.fyne.paste",
	"Quit":       "window.fyne.quit",
	"Redo":       "window.fyne.redo",
	"Save":       "window.fyne.save",
	"Select all": "window.fyne.select_all",
	"Undo":       "window.fyne.undo",
	"Yes":        "window.fyne.yes",
}

// useFyneLanguage makes Fyne's own words speak tr's language.
//
// Fyne picks its language once per added translation, from the system's locales (on Linux
// LANGUAGE, LC_ALL, LC_MESSAGES, LANG; elsewhere the system's settings), and ships no Finnish.
// The language that counts is Apuri's own choice (--lang, the settings), which may differ from
// the system's, and changing the process environment would leak into the browsers we start.
// So our words are registered for the chosen language and also for every locale Fyne could
// pick instead: the system's and English, its fallback. This process shows one language only,
// so overriding the others costs nothing.
func useFyneLanguage(tr *i18n.Translator) error {
	words := make(map[string]string, len(fyneWords))
	for id, key := range fyneWords {
		words[id] = tr.T(key, nil)
	}
	data, err := json.Marshal(words)
	if err != nil {
		return fmt.Errorf("encode Fyne's words: %w", err)
	}
	locales := []string{tr.Lang(), "en"}
	if sys, err := locale.GetLocales(); err == nil {
		locales = append(locales, sys...)
	}
	seen := map[string]bool{}
	for _, l := range locales {
		tag, err := language.Parse(l)
		if err != nil || seen[tag.String()] {
			continue
		}
		seen[tag.String()] = true
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(tag.String())); err != nil {
			return fmt.Errorf("add Fyne's words for %s: %w", tag, err)
		}
	}
	return nil
}
