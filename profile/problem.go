package profile

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/i18n"
)

// Problem is one thing wrong with a profile file, as data: the UI and the CLI translate its
// Message, and Error gives the English text for logs.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"` // 1-based; 0 when the problem has no place in the file
	Key  string `json:"key"`  // services[1].url
	Code string `json:"code"` // stable, short: "not_web_url"
	// Check is the ID of the [[checks]] entry the problem is in, when it has a valid one: an
	// administrator knows a check by its ID better than by its place in the list.
	Check string         `json:"check,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// Problem codes. Each has the translation key "profile.err."+code in every language.
const (
	CodeUnreadable         = "unreadable"          // error
	CodeTooLarge           = "too_large"           // max
	CodeSyntax             = "syntax"              // error
	CodeUnknownKey         = "unknown_key"         // suggest ("" when there is no close match)
	CodeDuplicateKey       = "duplicate_key"       // first (line)
	CodeWantText           = "want_text"           // value
	CodeWantInteger        = "want_integer"        // value
	CodeWantNumber         = "want_number"         // value
	CodeWantBool           = "want_bool"           // value
	CodeWantList           = "want_list"           // value
	CodeWantTable          = "want_table"          // value
	CodeBadDuration        = "bad_duration"        // value
	CodeInvalid            = "invalid"             // error
	CodeRequired           = "required"            //
	CodeSchema             = "schema"              // value, want
	CodeNotWebURL          = "not_web_url"         // value
	CodeURLCredentials     = "url_credentials"     //
	CodeBadEmail           = "bad_email"           // value
	CodeUnknownPlaceholder = "unknown_placeholder" // name, known
	CodeBadServiceName     = "bad_service_name"    // value
	CodeDuplicateService   = "duplicate_service"   // value, first (line)
	CodeBadPattern         = "bad_pattern"         // value
	CodeBadHostPort        = "bad_host_port"       // value
	CodeBadHostName        = "bad_host_name"       // value
	CodeOutOfRange         = "out_of_range"        // value, min, max
	CodeNotPositive        = "not_positive"        // value
	CodeCheckOverTotal     = "check_exceeds_total" // check, total
	CodeUnknownChannel     = "unknown_channel"     // value, known
	CodeChannelNeeds       = "channel_needs"       // channel, need
	CodeInternetNeedsProof = "internet_needs_proof"
	CodeInternetNeedsURL   = "internet_needs_url"
	CodeWantTitle          = "want_title"           // value
	CodeBadTitle           = "bad_title"            // value, max
	CodeBadRegexp          = "bad_regexp"           // value, error
	CodeRegexpMatchesEmpty = "regexp_matches_empty" // value
	CodeUnknownChoice      = "unknown_choice"       // value, known
	CodeBadCheckID         = "bad_check_id"         // value
	CodeDuplicateCheck     = "duplicate_check"      // value, first
	CodeBadIP              = "bad_ip"               // value
	CodeNotAbsolute        = "not_absolute"         // value
	CodeBadRegistryKey     = "bad_registry_key"     // value
	CodeKeyNotForKind      = "key_not_for_kind"     // kind
	CodeBadAdvice          = "bad_advice"           // value, max
	// CodeBadCommand is followed by "." and what is wrong (CommandProblem): bad_command.elevates.
	CodeBadCommand = "bad_command" // value
	CodeBadSite    = "bad_site"    // value
)

// Codes lists every problem code, so tests can prove each one is translated.
var Codes = []string{
	CodeUnreadable, CodeTooLarge, CodeSyntax, CodeUnknownKey, CodeDuplicateKey,
	CodeWantText, CodeWantInteger, CodeWantNumber, CodeWantBool, CodeWantList, CodeWantTable,
	CodeBadDuration, CodeInvalid, CodeRequired, CodeSchema, CodeNotWebURL, CodeURLCredentials,
	CodeBadEmail, CodeUnknownPlaceholder, CodeBadServiceName, CodeDuplicateService, CodeBadPattern,
	CodeBadHostPort, CodeBadHostName, CodeOutOfRange, CodeNotPositive, CodeCheckOverTotal,
	CodeUnknownChannel, CodeChannelNeeds, CodeInternetNeedsProof, CodeInternetNeedsURL,
	CodeWantTitle, CodeBadTitle, CodeBadRegexp, CodeRegexpMatchesEmpty, CodeUnknownChoice,
	CodeBadCheckID, CodeDuplicateCheck, CodeBadIP, CodeNotAbsolute, CodeBadRegistryKey, CodeKeyNotForKind,
	CodeBadAdvice, CodeBadCommand + "." + CommandRelative, CodeBadCommand + "." + CommandElevates,
	CodeBadCommand + "." + CommandInlineShell, CodeBadCommand + "." + CommandControl,
	CodeBadSite,
}

// Location is "file:line", or just the file when the problem has no line.
func (p Problem) Location() string {
	if p.Line > 0 {
		return p.File + ":" + strconv.Itoa(p.Line)
	}
	return p.File
}

// Error is `profile.toml:12: services[1].url: "ftp://x" is not a web address (http or https)`.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.Location())
	if p.Key != "" {
		b.WriteString(": " + p.Key)
	}
	if p.Check != "" {
		b.WriteString(" (custom." + p.Check + ")")
	}
	b.WriteString(": " + p.English())
	return b.String()
}

// Message is what went wrong as a translatable message, without its place: the key
// "profile.err."+Code with the problem's arguments.
func (p Problem) Message() i18n.Message {
	return i18n.Message{Key: "profile.err." + p.Code, Args: p.Args}
}

// English is the English text of the problem without its place, for logs and errors.
func (p Problem) English() string {
	if t := englishTemplate(p.Message().Key); t != nil {
		var b strings.Builder
		if t.Execute(&b, p.Args) == nil {
			return b.String()
		}
	}
	return fmt.Sprintf("%s %v", p.Code, p.Args)
}

var english = sync.OnceValue(func() map[string]string {
	var m map[string]string
	data, err := assets.Translations.ReadFile("translations/en.json")
	if err == nil {
		_ = json.Unmarshal(data, &m)
	}
	return m
})

func englishTemplate(key string) *template.Template {
	text, ok := english()[key]
	if !ok {
		return nil
	}
	t, err := template.New(key).Option("missingkey=zero").Parse(text)
	if err != nil {
		return nil
	}
	return t
}

// Errors is every problem found in one profile, in file order.
type Errors []Problem

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// sortByLine keeps problems in the order of the file; problems without a line come first.
func (e Errors) sortByLine() {
	sort.SliceStable(e, func(i, j int) bool { return e[i].Line < e[j].Line })
}

// shown makes a value from the file safe to print in one line: control characters are escaped
// and a very long value is cut.
func shown(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		s = q[1 : len(q)-1]
	}
	const limit = 80
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return s
}
