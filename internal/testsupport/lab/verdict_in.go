//go:build linux

package lab

import "github.com/apuri-project/apuri/i18n"

// VerdictIn is the report's verdict sentence in lang, rendered from its key and arguments by
// Apuri's own translator, as the windows, the tray and the support bundle render it: one run
// of a fault shows its sentence in every language.
func (r *Report) VerdictIn(lang string) string {
	return i18n.New(lang).Message(i18n.Message{Key: r.Verdict.Message.Key, Args: r.Verdict.Message.Args})
}
