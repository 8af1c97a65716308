package redact

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// detector finds what it knows in a scan's text and claims it.
type detector func(sc *scan)

// textDetectors are every detector, in the order they claim: what must be taken whole (a key
// block, a header, a URL, a flag's value) before the pieces inside it could be seen alone.
// Those take markers inside what they read into account themselves; after them, the markers
// left are claimed, so that no later detector reads "host-1" or "[secret]" as something new.
var textDetectors []detector

// personalDetectors are those that find the user, not secrets or servers: they run on what is
// otherwise kept, such as the path of the organisation's own service.
var personalDetectors []detector

func init() {
	textDetectors = []detector{
		detectPrivateKeys, detectJWTs, detectHeaders, detectURLs, detectCommands, detectFlags,
		detectKeyValues, detectSSIDs, detectMarkers, detectPrefixedTokens, detectLoneCredentials,
		detectKeyedHex, detectEmails, detectHetus, detectIBANs, detectMACs, detectPhones,
		detectIPs, detectUNCPaths, detectHosts, detectMachine, detectLiterals, detectUserPaths,
		detectOpaqueTokens,
	}
	personalDetectors = []detector{
		detectMarkers, detectEmails, detectHetus, detectIBANs, detectMACs, detectPhones,
		detectLiterals, detectUserPaths,
	}
}

// scan is one pass over a text: the parts detectors have claimed, in order, never overlapping.
type scan struct {
	r     *Redactor
	text  string
	lower string // text in lower case, byte for byte where it (lowerAligned)
	spans []span
	depth int // how deeply this scan is nested in URLs and values
	// minOpaque is the shortest run of letters and digits taken for a key without a name
	// beside it: shorter inside a URL, where a path segment or a value is a unit of its own.
	minOpaque int
}

// span is a claimed part of the text and what it becomes; repl equal to the text keeps it.
type span struct {
	start, end int
	repl       string
}

// maxDepth bounds nesting (a URL in a query value in a URL): deeper text is only scanned for
// personal data, which needs no nesting.
const maxDepth = 3

func (r *Redactor) scan(text string, set []detector, depth int) string {
	return r.scanWith(text, set, depth, 32)
}

func (r *Redactor) scanWith(text string, set []detector, depth, minOpaque int) string {
	if text == "" {
		return text
	}
	sc := &scan{r: r, text: text, lower: lowerAligned(text), depth: depth, minOpaque: minOpaque}
	for _, d := range set {
		d(sc)
	}
	return sc.result()
}

// sub redacts a piece of this scan's text on its own (a path segment, a decoded value).
func (sc *scan) sub(text string, set []detector, minOpaque int) string {
	if sc.depth >= maxDepth {
		set = personalDetectors
	}
	return sc.r.scanWith(text, set, sc.depth+1, minOpaque)
}

// has is a cheap test before a pattern runs: most texts hold no e-mail, no header, no key.
func (sc *scan) has(sub string) bool { return strings.Contains(sc.lower, sub) }

// free says whether no detector has claimed any of [start, end).
func (sc *scan) free(start, end int) bool {
	i := sort.Search(len(sc.spans), func(i int) bool { return sc.spans[i].end > start })
	return i == len(sc.spans) || sc.spans[i].start >= end
}

// claim takes [start, end) if it is free and repl accepts it; a replacement that differs from
// the text counts once as kind. It reports whether the part was taken.
func (sc *scan) claim(start, end int, kind string, repl func(text string) (string, bool)) bool {
	if start < 0 || start >= end || end > len(sc.text) || !sc.free(start, end) {
		return false
	}
	out, ok := repl(sc.text[start:end])
	if !ok {
		return false
	}
	i := sort.Search(len(sc.spans), func(i int) bool { return sc.spans[i].start >= start })
	sc.spans = append(sc.spans, span{})
	copy(sc.spans[i+1:], sc.spans[i:])
	sc.spans[i] = span{start: start, end: end, repl: out}
	if kind != "" && out != sc.text[start:end] {
		sc.r.counts[kind]++
	}
	return true
}

// replace claims [start, end) for a fixed replacement.
func (sc *scan) replace(start, end int, kind, repl string) bool {
	return sc.claim(start, end, kind, func(string) (string, bool) { return repl, true })
}

// keep claims [start, end) as it is: no later detector looks at it.
func (sc *scan) keep(start, end int) {
	sc.claim(start, end, "", func(s string) (string, bool) { return s, true })
}

func (sc *scan) result() string {
	if len(sc.spans) == 0 {
		return sc.text
	}
	var b strings.Builder
	b.Grow(len(sc.text))
	last := 0
	for _, s := range sc.spans {
		b.WriteString(sc.text[last:s.start])
		b.WriteString(s.repl)
		last = s.end
	}
	b.WriteString(sc.text[last:])
	return b.String()
}

// reMarker finds markers and pseudonyms; pseudonyms are checked for their boundaries, so
// that "ip-10-0-0-1.ec2.internal" is a host name, not a marker.
var reMarker = func() *regexp.Regexp {
	quoted := make([]string, len(markers))
	for i, m := range markers {
		quoted[i] = regexp.QuoteMeta(m)
	}
	return regexp.MustCompile(strings.Join(quoted, "|") + `|\[email-\d+\]|(?:host|ipv6|ip)-\d+`)
}()

// detectMarkers keeps what earlier redaction wrote: it is never redacted again.
func detectMarkers(sc *scan) {
	if !strings.Contains(sc.text, "[") && !sc.has("host-") && !sc.has("ip-") && !sc.has("ipv6-") {
		return
	}
	for _, m := range reMarker.FindAllStringIndex(sc.text, -1) {
		if sc.text[m[0]] == '[' || pseudonymBounded(sc.text, m[0], m[1]) {
			sc.keep(m[0], m[1])
		}
	}
}

// pseudonymBounded says whether host-1 at [start, end) stands alone: not inside a longer name.
func pseudonymBounded(s string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:start])
	after, _ := utf8.DecodeRuneInString(s[end:])
	if start > 0 && (nameRune(before) || before == '.' || before == '-') {
		return false
	}
	if end < len(s) && (nameRune(after) || after == '-') {
		return false
	}
	if after == '.' {
		next, _ := utf8.DecodeRuneInString(s[end+1:])
		return !nameRune(next)
	}
	return true
}

// onlyMarkers says whether s holds nothing but markers and punctuation: already redacted.
func onlyMarkers(s string) bool {
	if s == "" {
		return false
	}
	rest := reMarker.ReplaceAllStringFunc(s, func(string) string { return " " })
	if rest == s {
		return false
	}
	for _, c := range rest {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// nameRune is a letter, digit or underscore: what names and words are made of.
func nameRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// runeBefore and runeAfter are the characters around [start, end), or -1 at the text's ends.
func runeBefore(s string, start int) rune {
	if start <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:start])
	return r
}

func runeAfter(s string, end int) rune {
	if end >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[end:])
	return r
}
