package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reXMLSecret finds <password>…</password> and its kin in XML and HTML.
var reXMLSecret = regexp.MustCompile(`(?i)<([\p{L}\p{N}_:.\-]*(?:password|passwd|secret|token|apikey|api_key|salasana|lösenord|credential))>([^<]*)</`)

// keyWordsHint are the stems of every secret key name: a text without any of them holds no
// key=value secret, and the pattern is not run.
var keyWordsHint = []string{"pass", "pw", "secret", "token", "key", "auth", "salasana", "sana", "lösen",
	"losen", "kennwort", "sess", "cred", "sig", "cookie", "otp", "psk", "ticket", "code", "pin", "saml", "sas"}

// detectKeyValues removes the values of keys named as secrets, whatever the value looks like
// (weak names such as "code" only when it looks like a key). The value ends at white space or
// a quote: a password may hold , ; and &, and cutting there used to leave the rest behind.
func detectKeyValues(sc *scan) {
	hint := false
	for _, w := range keyWordsHint {
		if sc.has(w) {
			hint = true
			break
		}
	}
	if !hint {
		return
	}
	for _, m := range reXMLSecret.FindAllStringSubmatchIndex(sc.text, -1) {
		if v := sc.text[m[4]:m[5]]; strings.TrimSpace(v) != "" && !placeholder(v) {
			sc.replace(m[4], m[5], KindSecret, "[secret]")
		}
	}
	for i := 0; i < len(sc.text); i++ {
		if c := sc.text[i]; c == '=' || c == ':' {
			sc.keyValueAt(i)
		}
	}
}

// keyValueAt judges the pair whose separator (= or :) is at i: "key=value", "key: value",
// `"key": value`, PowerShell's $env:KEY = value. The key is read backwards from the
// separator, so no pattern has to try every position of a long log.
func (sc *scan) keyValueAt(i int) {
	s := sc.text
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	closeQuote := j > 0 && s[j-1] == '"'
	if j > 0 && (s[j-1] == '"' || s[j-1] == '\'') {
		j--
		if j > 0 && s[j-1] == '\\' {
			j-- // \"password\": JSON quoted inside a string
		}
	}
	keyEnd := j
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !nameRune(r) && r != '.' && r != '-' {
			break
		}
		j -= size
	}
	key := s[j:keyEnd]
	if key == "" || keyEnd-j > 64 || !hintedKey(key) {
		return
	}
	class := classifyKey(key)
	if class == keyPlain || s[i] == ':' && strings.HasPrefix(s[i+1:], ":") {
		return // Token::Parse, std::string
	}
	jsonish := closeQuote && j > 0 && s[j-1] == '"'
	from := i + 1
	for from < len(s) && (s[from] == ' ' || s[from] == '\t') {
		from++
	}
	start, end, ok := valueAt(s, from, jsonish)
	if !ok || start >= end {
		return
	}
	value := s[start:end]
	if placeholder(value) || (class == keyWeak && !looksSecret(value)) ||
		(s[i] == ':' && from > i+1 && prose(s, start, end)) {
		return
	}
	sc.replace(start, end, KindSecret, "[secret]")
}

// hintedKey is a cheap test before a key is split into words: it holds a stem of some secret's name.
func hintedKey(key string) bool {
	lower := strings.ToLower(key)
	for _, w := range keyWordsHint {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// valueAt is where the value at i lies: inside its quotes, a JSON number, list or object
// after a quoted key, or a run up to white space or a quote.
func valueAt(s string, i int, jsonish bool) (int, int, bool) {
	if i >= len(s) {
		return i, i, false
	}
	switch c := s[i]; {
	case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\''):
		// JSON quoted inside a string: {\"password\":\"x\"}
		end := strings.Index(s[i+2:], s[i:i+2])
		if end < 0 {
			return i, i, false
		}
		return i + 2, i + 2 + end, true
	case c == '"' || c == '\'':
		end := strings.IndexByte(s[i+1:], c)
		if nl := strings.IndexByte(s[i+1:], '\n'); end < 0 || (nl >= 0 && nl < end) {
			return i, i, false
		}
		return i + 1, i + 1 + end, true
	case jsonish && (c == '{' || c == '['):
		if end := balanced(s, i); end > i {
			return i, end, true
		}
		return i, i, false
	case jsonish:
		end := i
		for end < len(s) && strings.IndexByte("0123456789+-.eE", s[end]) >= 0 {
			end++
		}
		if end > i {
			return i, end, true
		}
		return i, i, false // true, false, null: no secret
	}
	return i, i + valueEnd(s[i:]), true
}

// balanced is the end of the JSON list or object that starts at i, or -1.
func balanced(s string, i int) int {
	depth, inString := 0, false
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case inString && c == '\\':
			j++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return -1
}

// placeholder says whether a value stands for a secret without being one: a mask, an empty
// word, a variable or a format verb.
func placeholder(v string) bool {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "", "null", "none", "nil", "true", "false", "undefined", "(none)", "<none>", "<redacted>",
		"redacted", "hidden", "<hidden>", "(hidden)", "*", "-", "%s", "%v", "%q", "?":
		return true
	}
	if onlyMarkers(v) {
		return true
	}
	if strings.Trim(v, "*•xX") == "" && len(v) >= 3 {
		return true // ******** and xxxx
	}
	if strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}") || strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}") ||
		len(v) > 2 && v[0] == '%' && v[len(v)-1] == '%' || len(v) > 1 && v[0] == '$' && isIdentifier(v[1:]) {
		return true
	}
	return false
}

// isIdentifier is an environment variable's name: PGPASSWORD, db_pass.
func isIdentifier(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// prose says whether the value after "password: " begins a sentence rather than a password:
// a lower-case word followed by more words ("password: permission denied").
func prose(s string, start, end int) bool {
	word := s[start:end]
	if len([]rune(word)) > 12 {
		return false
	}
	for _, c := range word {
		if !unicode.IsLower(c) {
			return false
		}
	}
	rest := strings.TrimLeft(s[end:], " ")
	if len(rest) == len(s[end:]) || rest == "" {
		return false
	}
	next := []rune(rest)[0]
	return unicode.IsLetter(next)
}

// reSSID finds a Wi-Fi network's name written after its label.
var reSSID = regexp.MustCompile(`(?i)(?:^|[^\w-])(e?ssid|wi-?fi[ -]?(?:network|name)|network[ _]name|verkon nimi|langaton verkko|nätverksnamn|trådlöst nätverk)(["']?)[ \t]*([:=])[ \t]*`)

// detectSSIDs removes the name of a Wi-Fi network: where the user was ("Hotel Kämp Guest").
// After a colon the name runs to the end of the line, since names hold spaces.
func detectSSIDs(sc *scan) {
	hinted := false
	for _, h := range []string{"ssid", "wi-fi", "wifi", "verkon nimi", "langaton verkko", "nätverk", "network name", "network_name"} {
		if sc.has(h) {
			hinted = true
			break
		}
	}
	if !hinted {
		return
	}
	for _, m := range reSSID.FindAllStringSubmatchIndex(sc.text, -1) {
		start, end := m[1], 0
		switch {
		case start < len(sc.text) && (sc.text[start] == '"' || sc.text[start] == '\''):
			var ok bool
			if start, end, ok = valueAt(sc.text, start, false); !ok {
				continue
			}
		case sc.text[m[6]:m[7]] == "=":
			end = start + valueEnd(sc.text[start:])
		default:
			end = start + strings.IndexAny(sc.text[start:]+"\n", "\r\n")
			for end > start && sc.text[end-1] == ' ' {
				end--
			}
		}
		switch v := strings.ToLower(strings.TrimSpace(sc.text[start:end])); v {
		case "", "off", "off/any", "any", "<hidden>", "none", "--":
			continue
		}
		if !onlyMarkers(sc.text[start:end]) {
			sc.replace(start, end, KindSSID, "[ssid]")
		}
	}
}
