package redact

import (
	"regexp"
	"strings"
)

// reLongFlag finds a command-line option by name: --password X, --db-password=X, -storepass X,
// /password:X. Whether its value is a secret depends on the name alone.
var reLongFlag = regexp.MustCompile(`(?i)(?:^|[\s"'(])(--?|/)([a-z][a-z0-9_.-]{1,40})(=|:|[ \t]+)`)

// detectFlags removes the values of options whose names say they are secrets, in any command.
func detectFlags(sc *scan) {
	if !strings.ContainsAny(sc.text, "-/") {
		return
	}
	for _, m := range reLongFlag.FindAllStringSubmatchIndex(sc.text, -1) {
		dash, name, sep := sc.text[m[2]:m[3]], sc.text[m[4]:m[5]], sc.text[m[6]:m[7]]
		if classifyKey(name) != keyStrong || (dash == "/") != (sep == ":") || (dash == "-" && len(name) < 3) {
			continue
		}
		start, end := tokenAt(sc.text, m[1])
		if start >= end {
			continue
		}
		value := sc.text[start:end]
		spaced := strings.TrimSpace(sep) == ""
		// "--token to set it": in a sentence about an option, a short word is no password.
		if spaced && (strings.HasPrefix(value, "-") || shortWord(value)) {
			continue
		}
		if !onlyMarkers(value) {
			sc.replace(start, end, KindSecret, "[secret]")
		}
	}
}

// shortWord is up to four lower-case ASCII letters: "to", "flag", "and".
func shortWord(s string) bool {
	if len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// tokenAt is the value that starts at i: inside its quotes if quoted, else up to white space
// or a quote.
func tokenAt(s string, i int) (int, int) {
	if i >= len(s) {
		return i, i
	}
	if q := s[i]; q == '"' || q == '\'' {
		if end := strings.IndexByte(s[i+1:], q); end >= 0 {
			return i + 1, i + 1 + end
		}
		return i + 1, i + 1 + valueEnd(s[i+1:])
	}
	return i, i + valueEnd(s[i:])
}

// valueEnd is where an unquoted value ends: at white space or a quote, never at , ; or & —
// a password may hold those, and cutting there left the rest of it behind.
func valueEnd(s string) int {
	if i := strings.IndexAny(s, " \t\r\n\"'"); i >= 0 {
		return i
	}
	return len(s)
}

// token is one word of a command line: where its text (without quotes) lies.
type token struct {
	start, end int
	text       string
}

// commandTokens splits the rest of a command line, from i to the end of the line or to a
// ; | or & outside quotes, into words.
func commandTokens(s string, i int) []token {
	var out []token
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) || strings.IndexByte("\r\n;|&", s[i]) >= 0 {
			break
		}
		if q := s[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 {
				end = valueEnd(s[i+1:])
			}
			out = append(out, token{i + 1, i + 1 + end, s[i+1 : i+1+end]})
			i += end + 2
			continue
		}
		end := i + strings.IndexFunc(s[i:], func(r rune) bool { return strings.ContainsRune(" \t\r\n;|&\"'", r) })
		if end < i {
			end = len(s)
		}
		// A quoted part inside a word (--password="x y") belongs to the word.
		if end < len(s) && (s[end] == '"' || s[end] == '\'') && end > i && s[end-1] == '=' {
			if close := strings.IndexByte(s[end+1:], s[end]); close >= 0 {
				end += close + 2
			}
		}
		out = append(out, token{i, end, s[i:end]})
		i = end
	}
	return out
}
