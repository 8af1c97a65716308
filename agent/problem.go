package agent

import (
	"github.com/apuri-project/apuri/i18n"
)

// Problem is something the user may need to read, as data: a translatable message, and its
// English text for logs and for clients that translate nothing. Errors of the local API are
// Problems too, so the windows show them in the user's language. On the wire it is
// {"key", "args", "message"}: the message's fields and the English text beside them.
type Problem struct {
	i18n.Message
	English string `json:"message"`
}

// Translation keys of the problems the agent reports; each is in every language.
const (
	KeySettingsCorrupt  = "agent.settings.corrupt"     // path, error
	KeyNotFound         = "agent.error.not_found"      // path
	KeyMethodNotAllowed = "agent.error.method"         // method, path
	KeyBadRequest       = "agent.error.bad_request"    // error
	KeyBadLanguage      = "agent.error.bad_language"   // lang
	KeyUnknownWindow    = "agent.error.unknown_window" // name
	KeyUnavailable      = "agent.error.unavailable"    //
	KeyOpenWindow       = "agent.error.open_window"    // name, error
	KeySaveSettings     = "agent.error.save_settings"  // error
	KeyAutostart        = "agent.error.autostart"      // error
	KeyAutostartManaged = "agent.error.autostart_managed"
	KeyDiagnosis        = "agent.error.diagnosis"      // error
	KeyClosed           = "agent.error.closed"         //
	KeyUnreachable      = "agent.error.unreachable"    // error
	KeyBadResponse      = "agent.error.bad_response"   // error
	KeyInternal         = "agent.error.internal"       // error
	KeySocketDir        = "agent.error.socket_dir"     // path, error
	KeySocketDirLink    = "agent.error.socket_link"    // path
	KeySocketDirNotDir  = "agent.error.socket_not_dir" // path
	KeySocketDirOwner   = "agent.error.socket_owner"   // path, uid
	// KeyAutostartComment describes Apuri in the login item (not a problem, but ours to keep).
	KeyAutostartComment = "agent.autostart.comment"
)

// Keys lists every key above, so a test can prove each one is translated.
var Keys = []string{
	KeySettingsCorrupt, KeyNotFound, KeyMethodNotAllowed, KeyBadRequest, KeyBadLanguage,
	KeyUnknownWindow, KeyUnavailable, KeyOpenWindow, KeySaveSettings, KeyAutostart, KeyAutostartManaged, KeyDiagnosis,
	KeyClosed, KeyUnreachable, KeyBadResponse, KeyInternal, KeyAutostartComment,
	KeySocketDir, KeySocketDirLink, KeySocketDirNotDir, KeySocketDirOwner,
}

// newProblem builds a Problem from a key and alternating name, value pairs.
func newProblem(key string, kv ...any) *Problem { return messageProblem(i18n.Msg(key, kv...)) }

// messageProblem turns a translatable message into an API problem.
func messageProblem(m i18n.Message) *Problem {
	return &Problem{Message: m, English: i18n.New("en").Message(m)}
}

// Error is the English text, for logs.
func (p *Problem) Error() string {
	if p.English != "" {
		return p.English
	}
	return p.Key
}

// Text renders the problem in a language, for the UI.
func (p *Problem) Text(tr *i18n.Translator) string { return tr.Message(p.Message) }
