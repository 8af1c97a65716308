package redact

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// literal is one of the user's own words, redacted wherever it stands as a word.
type literal struct{ word, lower string }

// minLiteral is the shortest login or computer name redacted as a word: shorter ones ("it")
// would blank ordinary words. minNamePart is the same for each part of a real name.
const (
	minLiteral  = 3
	minNamePart = 4
)

// markerWords are the redactor's own words; a user called "host" must not turn host-1 into [user]-1.
var markerWords = map[string]bool{"user": true, "host": true, "email": true, "token": true,
	"secret": true, "redacted": true, "jwt": true, "mac": true, "password": true, "ip": true, "ipv6": true,
	"phone": true, "iban": true, "ssid": true, "personal": true, "private": true, "key": true, "id": true}

// identityLiterals are the user's login, real name (whole and by parts), the name of their
// home directory and the further words given, longest first: "Matti Meikäläinen" goes whole
// before "Matti" could split it.
func identityLiterals(id Identity, extra []string) []literal {
	var words []string
	if len(id.Login) >= minLiteral {
		words = append(words, id.Login)
	}
	if name := strings.Join(strings.Fields(id.RealName), " "); name != "" {
		words = append(words, name)
		for _, part := range strings.Fields(name) {
			if utf8.RuneCountInString(part) >= minNamePart {
				words = append(words, part)
			}
		}
	}
	for _, l := range extra {
		if l = strings.TrimSpace(l); len(l) >= minLiteral {
			words = append(words, l)
		}
	}
	if id.Home != "" {
		if base := lastPathElem(id.Home); len(base) >= minLiteral {
			words = append(words, base)
		}
	}
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	var out []literal
	seen := map[string]bool{}
	for _, w := range words {
		lw := lowerAligned(w)
		if seen[lw] || markerWords[lw] {
			continue
		}
		seen[lw] = true
		out = append(out, literal{word: w, lower: lw})
	}
	return out
}

func lastPathElem(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// lowerAligned lower-cases s rune by rune where that keeps the byte length, so that an index
// into the result is an index into s.
func lowerAligned(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && utf8.RuneLen(l) == size {
			b.WriteRune(l)
		} else {
			b.WriteString(s[i : i+size]) // an invalid byte stays the byte it was
		}
		i += size
	}
	return b.String()
}

// findWord calls found for each whole-word occurrence of lower (lower case) in the scan.
func (sc *scan) findWord(lower string, hyphenated bool, found func(start, end int)) {
	for from := 0; from < len(sc.lower); {
		i := strings.Index(sc.lower[from:], lower)
		if i < 0 {
			return
		}
		start, end := from+i, from+i+len(lower)
		b, a := runeBefore(sc.text, start), runeAfter(sc.text, end)
		if !nameRune(b) && !nameRune(a) && (!hyphenated || b != '-' && b != '.' && a != '-') {
			found(start, end)
		}
		from = end
	}
}

// detectMachine pseudonymises the computer's own name like any host's.
func detectMachine(sc *scan) {
	if sc.r.machine == "" || !sc.has(sc.r.machine) {
		return
	}
	sc.findWord(sc.r.machine, true, func(start, end int) {
		sc.claim(start, end, "", func(name string) (string, bool) { return sc.r.host(name) })
	})
}

// detectLiterals removes the user's own words.
func detectLiterals(sc *scan) {
	for _, l := range sc.r.literals {
		if sc.has(l.lower) {
			sc.findWord(l.lower, false, func(start, end int) { sc.replace(start, end, KindUserName, "[user]") })
		}
	}
}

var (
	reHomeUnix    = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_.-]|/mnt/[a-z])(?:/home|/users|/var/home|/export/home)/`)
	reHomeWindows = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(?:[a-z]:)?(?:\\{1,2}|/)(?:users|documents and settings)(?:\\{1,2}|/)`)
	reHomeEncoded = regexp.MustCompile(`(?i)%2f(?:home|users)%2f|%5c(?:users)%5c`)
	reTildeUser   = regexp.MustCompile(`(?:^|[\s"'=(:,])~([a-z_][a-z0-9_.-]{0,31})(?:[/"')\s]|$)`)
)

// detectUserPaths removes the user name from home-directory paths, also with spaces in it
// ("C:\Users\Matti Meikäläinen\Documents"), percent-encoded, and in ~name.
func detectUserPaths(sc *scan) {
	if sc.has("home") || sc.has("users") || sc.has("documents and settings") {
		for _, re := range []*regexp.Regexp{reHomeUnix, reHomeWindows} {
			for _, m := range re.FindAllStringIndex(sc.text, -1) {
				sc.userAt(m[1], nameEnd(sc.text, m[1], false))
			}
		}
	}
	if sc.has("%2f") || sc.has("%5c") {
		for _, m := range reHomeEncoded.FindAllStringIndex(sc.text, -1) {
			sc.userAt(m[1], nameEnd(sc.text, m[1], true))
		}
	}
	if strings.Contains(sc.text, "~") {
		for _, m := range reTildeUser.FindAllStringSubmatchIndex(sc.text, -1) {
			sc.userAt(m[2], m[3])
		}
	}
}

func (sc *scan) userAt(start, end int) {
	if start >= end {
		return
	}
	name := sc.text[start:end]
	if systemUser(name) || onlyMarkers(name) {
		return
	}
	sc.replace(start, end, KindUserPath, "[user]")
}

// nameEnd is where a user name that starts at i ends: at the next path separator, or, when
// none follows soon or what comes before it reads like a sentence, at the first blank.
func nameEnd(s string, i int, encoded bool) int {
	separator := func(j int) bool {
		lower := strings.ToLower(s[j:min(j+3, len(s))])
		return s[j] == '/' || s[j] == '\\' || encoded && (lower == "%2f" || lower == "%5c")
	}
	firstBlank, blanks := -1, 0
	j := i
	for j < len(s) && j-i <= 64 && !separator(j) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if strings.ContainsRune("\"'<>|*?:\r\n\t&", r) {
			break
		}
		if r == ' ' {
			if firstBlank < 0 {
				firstBlank = j
			}
			blanks++
		}
		j += size
	}
	switch {
	case j < len(s) && separator(j) && (firstBlank < 0 || blanks <= 3 && s[j-1] != ' ' && !strings.ContainsAny(s[i:j], ",;()[]")):
		return j // "Matti Meikäläinen\Documents": the name is all of it
	case firstBlank >= 0:
		return firstBlank // "/home/matti is full": the name is its first word
	}
	return j
}

// reUNC finds \\server\share paths (doubled in escaped text).
var reUNC = regexp.MustCompile(`(\\{2,4})([\p{L}\p{N}][\p{L}\p{N}._-]*)(\\{1,2})([^\\\s"'<>|]+)`)

// detectUNCPaths pseudonymises the server of a share and removes the user's name from it:
// \\fs01\users\matti, \\fs01\matti$ (a hidden home share).
func detectUNCPaths(sc *scan) {
	if !strings.Contains(sc.text, `\\`) {
		return
	}
	for _, m := range reUNC.FindAllStringSubmatchIndex(sc.text, -1) {
		if m[2] > 0 && nameRune(runeBefore(sc.text, m[2])) {
			continue
		}
		sc.claim(m[4], m[5], "", func(server string) (string, bool) { return sc.r.host(server) })
		share := sc.text[m[8]:m[9]]
		lower := strings.ToLower(share)
		switch {
		case userFolder(share):
			start := m[9] + len(sc.text[m[6]:m[7]])
			if start < len(sc.text) && sc.text[start-1] == '\\' {
				sc.userAt(start, nameEnd(sc.text, start, false))
			}
		case strings.HasSuffix(share, "$") && len(share) > 2 && lower != "admin$" && lower != "ipc$" && lower != "print$":
			sc.userAt(m[8], m[9]-1)
		}
	}
}
