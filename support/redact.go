package support

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"sort"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// Kinds of redaction, as the MANIFEST counts them.
const (
	RedactPrivateKey = "private_key"     // PEM and OpenSSH private-key blocks
	RedactJWT        = "jwt"             // JSON web tokens
	RedactURLCreds   = "url_credentials" // user:password@ in URLs
	RedactToken      = "token"           // Authorization headers, bearer and basic tokens
	RedactSecret     = "secret"          // password=…, token=…, api_key=… values
	RedactEmail      = "email"           // e-mail addresses
	RedactPersonalID = "personal_id"     // Finnish personal identity codes (checksum-valid)
	RedactUserName   = "user_name"       // the user's login and real name
	RedactUserPath   = "user_path"       // user names in home-directory paths
	RedactMAC        = "mac"             // hardware addresses
	RedactIP         = "ip"              // IP addresses → ip-N / ipv6-N
	RedactHost       = "host"            // host names → host-N
)

// RedactKinds lists every kind in the order the redactor applies them: a block or a token is
// removed whole before the pieces of it (an e-mail, a host name) could be seen on their own.
var RedactKinds = []string{
	RedactPrivateKey, RedactJWT, RedactURLCreds, RedactToken, RedactSecret, RedactEmail,
	RedactPersonalID, RedactUserName, RedactUserPath, RedactIP, RedactMAC, RedactHost,
}

// Identity is what identifies the user and the computer, redacted wherever it appears.
type Identity struct {
	Login    string // the account name
	RealName string // "Matti Meikäläinen"
	Home     string // the home directory
	Hostname string // the computer's name
}

// RedactOptions configure a Redactor.
type RedactOptions struct {
	Identity Identity
	// Literals are further words to remove as the user's: the contact details of a request.
	Literals []string
	// Keep are host names and IP addresses left as they are: those the organisation's profile
	// names (its own services, portals and public probe targets). They describe the
	// organisation's configuration, not the user, and support needs them to read the report.
	Keep []string
}

// Redactor removes personal data and secrets from the texts of one bundle. Host names and IP
// addresses become pseudonyms (host-1, ip-1, …) that stay the same across the bundle's files,
// so support can still see that two failures concern the same server. Not safe for concurrent use.
type Redactor struct {
	keep     map[string]bool
	literals []*regexp.Regexp // login and real name
	machine  *regexp.Regexp   // the computer's own name
	// literalWords and machineWord are the same words in lower case, for a quick test.
	literalWords []string
	machineWord  string
	hosts        map[string]string
	ips          map[netip.Addr]string
	emails       map[string]string
	counts       map[string]int
	nIP4         int
	nIP6         int
}

// NewRedactor returns a redactor with an empty pseudonym table.
func NewRedactor(opts RedactOptions) *Redactor {
	r := &Redactor{
		keep:   map[string]bool{"localhost": true},
		hosts:  map[string]string{},
		ips:    map[netip.Addr]string{},
		emails: map[string]string{},
		counts: map[string]int{},
	}
	for _, k := range opts.Keep {
		k = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(k), "."))
		if k == "" {
			continue
		}
		if a, err := netip.ParseAddr(k); err == nil {
			k = a.Unmap().String()
		}
		r.keep[k] = true
	}
	id := opts.Identity
	var words []string
	if id.Login != "" && len(id.Login) >= minLiteral {
		words = append(words, id.Login)
	}
	if name := strings.Join(strings.Fields(id.RealName), " "); name != "" {
		words = append(words, name)
		for _, part := range strings.Fields(name) {
			if len(part) >= minNamePart {
				words = append(words, part)
			}
		}
	}
	for _, l := range opts.Literals {
		if l = strings.TrimSpace(l); len(l) >= minLiteral {
			words = append(words, l)
		}
	}
	if id.Home != "" {
		if base := lastPathElem(id.Home); len(base) >= minLiteral {
			words = append(words, base)
		}
	}
	// Longest first, so "Matti Meikäläinen" goes whole before "Matti" could split it.
	sort.Slice(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	seen := map[string]bool{}
	for _, w := range words {
		lw := strings.ToLower(w)
		if seen[lw] || markerWords[lw] {
			continue
		}
		seen[lw] = true
		r.literalWords = append(r.literalWords, lw)
		r.literals = append(r.literals, cachedRegexp(`(?i)(^|[^\p{L}\p{N}_])(`+regexp.QuoteMeta(w)+`)($|[^\p{L}\p{N}_])`))
	}
	if h := strings.TrimSpace(id.Hostname); len(h) >= minLiteral && !r.keep[strings.ToLower(h)] {
		r.machineWord = strings.ToLower(h)
		r.machine = cachedRegexp(`(?i)(^|[^\p{L}\p{N}_.-])(` + regexp.QuoteMeta(h) + `)($|[^\p{L}\p{N}_-])`)
	}
	return r
}

// literalCache keeps the compiled patterns of the identity's words: compiling them costs about
// a millisecond, and every bundle of a user redacts the same words.
var (
	literalMu    sync.Mutex
	literalCache = map[string]*regexp.Regexp{}
)

const maxLiteralCache = 64

func cachedRegexp(expr string) *regexp.Regexp {
	literalMu.Lock()
	defer literalMu.Unlock()
	if re, ok := literalCache[expr]; ok {
		return re
	}
	re := regexp.MustCompile(expr)
	if len(literalCache) < maxLiteralCache {
		literalCache[expr] = re
	}
	return re
}

// minLiteral is the shortest login or computer name redacted as a word: shorter ones ("it")
// would blank ordinary words. minNamePart is the same for each part of a real name.
const (
	minLiteral  = 3
	minNamePart = 4
)

// markerWords are the redactor's own words; a user called "host" must not turn host-1 into [user]-1.
var markerWords = map[string]bool{"user": true, "host": true, "email": true, "token": true,
	"secret": true, "redacted": true, "jwt": true, "mac": true, "password": true, "ip": true, "ipv6": true}

func lastPathElem(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Counts returns how many times each kind was redacted so far; kinds never seen are absent.
func (r *Redactor) Counts() map[string]int {
	out := make(map[string]int, len(r.counts))
	for k, v := range r.counts {
		if v > 0 {
			out[k] = v
		}
	}
	return out
}

// Total is the number of redactions so far.
func (r *Redactor) Total() int {
	n := 0
	for _, v := range r.counts {
		n += v
	}
	return n
}

var (
	rePrivateKey = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----`)
	// An unterminated block (a truncated log line): everything that can belong to one.
	rePrivateKeyOpen = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[A-Za-z0-9+/=\s\\:,.-]*`)
	reJWT            = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	reURLCreds       = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)([^/\s@:"'<>\[\]]+)(:[^/\s@"'<>]*)?@`)
	reAuthHeader     = regexp.MustCompile(`(?i)((?:proxy-)?authorization"?\s*[:=]\s*"?)([A-Za-z][A-Za-z0-9-]*\s+)?([^\s"',;\[][^\s"',;]*)`)
	reBearer         = regexp.MustCompile(`(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{12,})`)
	reBasic          = regexp.MustCompile(`(?i)\b(basic\s+)([A-Za-z0-9+/]{8,}={0,2})`)
	reSecretKV       = regexp.MustCompile(`(?i)([A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|session[_-]?id|sessid|cookie)"?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&"',;<>\[\]{}][^\s&"',;<>{}]*)`)
	reOpaque         = regexp.MustCompile(`[A-Za-z0-9+/_-]{32,}={0,2}`)
	reEmail          = regexp.MustCompile(`[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}`)
	reHetu           = regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(\d{6}[-+A-FU-Y]\d{3}[0-9A-Y])($|[^\p{L}\p{N}])`)
	reUserPath       = regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9_])(?:/home|/Users|/var/home|/export/home)/|(?:[A-Z]:)?\\{1,2}(?:Users|Documents and Settings)\\{1,2})([^/\\\s"'\[\]<>:*?|]+)`)
	reMAC            = regexp.MustCompile(`(?i)\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b|\b(?:[0-9a-f]{2}-){5}[0-9a-f]{2}\b|\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b`)
	reIPv4           = regexp.MustCompile(`\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b`)
	reIPv6           = regexp.MustCompile(`(?i)[0-9a-f]{0,4}:[0-9a-f:]*:[0-9a-f.:]*(?:%[A-Za-z0-9_.-]+)?`)
	reHost           = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?\b`)
)

// secretWords are the names reSecretKV looks for, in lower case.
var secretWords = []string{"pass", "pwd", "secret", "token", "key", "credential", "session", "sessid", "cookie"}

// String redacts one text.
func (r *Redactor) String(s string) string {
	if s == "" {
		return s
	}
	// Cheap tests first: most texts hold no key, no header, no e-mail, and a pattern that
	// cannot match is not run. Replacements only remove text, so testing the original suffices.
	lower := strings.ToLower(s)
	has := func(sub string) bool { return strings.Contains(lower, sub) }
	if has("private key") {
		s = r.replace(s, rePrivateKey, RedactPrivateKey, func([]string) string { return "[private key]" })
		s = r.replace(s, rePrivateKeyOpen, RedactPrivateKey, func([]string) string { return "[private key]" })
	}
	if strings.Contains(s, "eyJ") {
		s = r.replace(s, reJWT, RedactJWT, func([]string) string { return "[jwt]" })
	}
	if has("://") && has("@") {
		s = r.replace(s, reURLCreds, RedactURLCreds, func(m []string) string {
			if m[3] != "" {
				return m[1] + "[user]:[password]@"
			}
			return m[1] + "[user]@"
		})
	}
	if has("authorization") {
		s = r.replace(s, reAuthHeader, RedactToken, func(m []string) string { return m[1] + m[2] + "[token]" })
	}
	if has("bearer") {
		s = r.replace(s, reBearer, RedactToken, func(m []string) string { return m[1] + "[token]" })
	}
	if has("basic") {
		s = r.replaceIf(s, reBasic, RedactToken, func(m []string) (string, bool) {
			raw, err := base64.StdEncoding.DecodeString(m[2])
			if err != nil || !bytes.Contains(raw, []byte(":")) {
				return "", false
			}
			return m[1] + "[token]", true
		})
	}
	for _, w := range secretWords {
		if has(w) {
			s = r.replace(s, reSecretKV, RedactSecret, func(m []string) string { return m[1] + "[secret]" })
			break
		}
	}
	s = r.replaceIf(s, reEmail, RedactEmail, func(m []string) (string, bool) {
		if r.keep[strings.ToLower(m[0])] {
			return "", false // the organisation's own support address
		}
		return r.pseudonym(r.emails, strings.ToLower(m[0]), "[email-%d]"), true
	})
	s = r.replaceRepeatedIf(s, reHetu, RedactPersonalID, func(m []string) (string, bool) {
		if !ValidHetu(m[2]) {
			return "", false
		}
		return m[1] + "[personal id]" + m[3], true
	})
	s = r.replaceIf(s, reOpaque, RedactToken, func(m []string) (string, bool) {
		return "[token]", opaque(m[0])
	})
	if r.machine != nil && has(r.machineWord) {
		s = r.replaceRepeated(s, r.machine, RedactHost, func(m []string) string { return m[1] + r.hostPseudonym(m[2]) + m[3] })
	}
	for i, re := range r.literals {
		if has(r.literalWords[i]) {
			s = r.replaceRepeated(s, re, RedactUserName, func(m []string) string { return m[1] + "[user]" + m[3] })
		}
	}
	if has("home/") || has("users") || has("documents and settings") {
		s = r.replace(s, reUserPath, RedactUserPath, func(m []string) string { return m[1] + "[user]" })
	}
	s = r.replaceIf(s, reIPv6, RedactIP, r.ipv6)
	s = r.replaceIf(s, reIPv4, RedactIP, r.ipv4)
	s = r.replace(s, reMAC, RedactMAC, func([]string) string { return "[mac]" })
	s = r.replaceIf(s, reHost, RedactHost, r.host)
	return s
}

// replace substitutes every match of re; each counts once as kind.
func (r *Redactor) replace(s string, re *regexp.Regexp, kind string, repl func(m []string) string) string {
	return r.replaceIf(s, re, kind, func(m []string) (string, bool) { return repl(m), true })
}

// replaceRepeated is replace for patterns that consume the separator around a word, so that
// two occurrences next to each other ("matti matti") both go.
func (r *Redactor) replaceRepeated(s string, re *regexp.Regexp, kind string, repl func(m []string) string) string {
	return r.replaceRepeatedIf(s, re, kind, func(m []string) (string, bool) { return repl(m), true })
}

// replaceRepeatedIf is replaceIf for patterns that consume the separator around a word. Each
// round leaves at most every other neighbour, so two rounds reach all; a third costs little.
func (r *Redactor) replaceRepeatedIf(s string, re *regexp.Regexp, kind string, repl func(m []string) (string, bool)) string {
	for i := 0; i < 3; i++ {
		before := r.counts[kind]
		s = r.replaceIf(s, re, kind, repl)
		if r.counts[kind] == before {
			break
		}
	}
	return s
}

// opaque says whether a long run of token characters looks like a key or a secret: upper-
// and lower-case letters and digits mixed, as base64 is. Hex digests and words stay.
func opaque(s string) bool {
	var upper, lower, digit bool
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '0' && c <= '9':
			digit = true
		}
	}
	return upper && lower && digit
}

// replaceIf substitutes the matches that repl accepts; the others stay.
func (r *Redactor) replaceIf(s string, re *regexp.Regexp, kind string, repl func(m []string) (string, bool)) string {
	locs := re.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		out, ok := repl(m)
		if !ok {
			continue
		}
		b.WriteString(s[last:loc[0]])
		b.WriteString(out)
		last = loc[1]
		r.counts[kind]++
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func (r *Redactor) pseudonym(table map[string]string, key, format string) string {
	if p, ok := table[key]; ok {
		return p
	}
	p := fmt.Sprintf(format, len(table)+1)
	table[key] = p
	return p
}

func (r *Redactor) hostPseudonym(name string) string {
	return r.pseudonym(r.hosts, strings.ToLower(name), "host-%d")
}

// ipv4 pseudonymises an address unless it says nothing about the user: loopback, unspecified,
// multicast, broadcast, a netmask, link-local (self-assigned: "DHCP gave no address" is the
// finding) or one the profile names.
func (r *Redactor) ipv4(m []string) (string, bool) {
	a, err := netip.ParseAddr(m[0])
	if err != nil || r.keepAddr(a) || isNetmask(a) || a.IsLinkLocalUnicast() {
		return "", false
	}
	return r.addrPseudonym(a), true
}

func (r *Redactor) ipv6(m []string) (string, bool) {
	text := m[0]
	zone := ""
	if i := strings.IndexByte(text, '%'); i >= 0 {
		text, zone = text[:i], text[i:]
	}
	a, err := netip.ParseAddr(text)
	for err != nil && strings.HasSuffix(text, ":") && !strings.HasSuffix(text, "::") {
		// "fe80::1:" at the end of a sentence, or host:port written without brackets.
		text = strings.TrimSuffix(text, ":")
		a, err = netip.ParseAddr(text)
		zone = m[0][len(text):]
	}
	if err != nil || !a.Is6() {
		return "", false
	}
	if a.Is4In6() {
		v4 := a.Unmap()
		if r.keepAddr(v4) {
			return "", false
		}
		return r.addrPseudonym(v4) + zone, true
	}
	if r.keepAddr(a) {
		return "", false
	}
	return r.addrPseudonym(a) + zone, true
}

func (r *Redactor) keepAddr(a netip.Addr) bool {
	return a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() || r.keep[a.String()] ||
		a == netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

func (r *Redactor) addrPseudonym(a netip.Addr) string {
	if p, ok := r.ips[a]; ok {
		return p
	}
	var p string
	if a.Is4() {
		r.nIP4++
		p = fmt.Sprintf("ip-%d", r.nIP4)
	} else {
		r.nIP6++
		p = fmt.Sprintf("ipv6-%d", r.nIP6)
	}
	r.ips[a] = p
	return p
}

// isNetmask reports whether a is a run of ones followed by zeros (255.255.255.0).
func isNetmask(a netip.Addr) bool {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if v == 0 || v>>24 != 0xff {
		return false
	}
	inv := ^v
	return inv&(inv+1) == 0
}

// internalTLDs are suffixes of private networks that the public suffix list does not know.
var internalTLDs = map[string]bool{"local": true, "lan": true, "internal": true, "intranet": true,
	"corp": true, "home": true, "localdomain": true, "intra": true, "private": true, "test": true,
	"example": true, "invalid": true, "arpa": true}

// fileTLDs are top-level domains that are far more often file extensions ("bundle.zip").
var fileTLDs = map[string]bool{"zip": true, "mov": true, "sh": true, "py": true, "md": true,
	"pl": true, "rs": true, "so": true, "ps": true, "pm": true, "cc": true, "mp": true, "gz": true}

// host pseudonymises a host name: a dotted name whose suffix is a real top-level domain (by
// the public suffix list) or a private one, unless the profile names it.
func (r *Redactor) host(m []string) (string, bool) {
	name := strings.ToLower(m[0])
	if r.keep[name] {
		return "", false
	}
	tld := name[strings.LastIndexByte(name, '.')+1:]
	if fileTLDs[tld] {
		return "", false
	}
	if !internalTLDs[tld] {
		ps, icann := publicsuffix.PublicSuffix(name)
		if !icann && !strings.Contains(ps, ".") {
			return "", false // not a domain anyone registered: a file name, a key, a version
		}
		if ps == name {
			return "", false // a bare suffix ("co.uk") names no one
		}
	}
	return r.hostPseudonym(name), true
}

// Keyed fields of JSON documents whose values are Apuri's own identifiers (check IDs,
// translation keys, causes): never personal, and the report is unreadable without them.
var codeFields = map[string]bool{"id": true, "key": true, "schema": true, "cause": true,
	"status": true, "group": true, "reason": true, "evidence": true, "advice_keys": true,
	"kind": true, "event": true}

// secretField says whether a JSON key holds a secret whatever its value looks like.
var secretField = regexp.MustCompile(`(?i)(password|passwd|passphrase|secret|token|api[_-]?key|apikey|private[_-]?key|credential|cookie|authorization)`)

// JSON redacts every string (keys included) of a JSON document and returns it indented. Field
// order is kept, so the redacted report reads like the original.
func (r *Redactor) JSON(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out bytes.Buffer
	var stack []*jsonFrame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read JSON: %w", err)
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			out.WriteRune(rune(d))
			stack = stack[:len(stack)-1]
			continue
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
			if top.n > 0 {
				if top.object && top.n%2 == 1 {
					out.WriteByte(':')
				} else {
					out.WriteByte(',')
				}
			}
			top.n++
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteRune(rune(v))
			stack = append(stack, &jsonFrame{object: v == '{', code: top.valueIsCode()})
		case string:
			switch {
			case top != nil && top.object && top.n%2 == 1: // a key
				top.key = v
				v = r.String(v)
			case top != nil && top.object && secretField.MatchString(top.key) && v != "":
				r.counts[RedactSecret]++
				v = "[secret]"
			case !top.valueIsCode():
				v = r.String(v)
			}
			enc, _ := json.Marshal(v)
			out.Write(enc)
		case json.Number:
			out.WriteString(v.String())
		case bool:
			fmt.Fprint(&out, v)
		case nil:
			out.WriteString("null")
		}
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, out.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("indent redacted JSON: %w", err)
	}
	pretty.WriteByte('\n')
	return pretty.Bytes(), nil
}

// jsonFrame is an open object or array of the document being redacted.
type jsonFrame struct {
	object bool
	n      int    // tokens written: values of an array; keys and values of an object
	key    string // an object's current key
	code   bool   // an array that is the value of a code field
}

// valueIsCode says whether the next value in f is one of Apuri's identifiers.
func (f *jsonFrame) valueIsCode() bool {
	if f == nil {
		return false
	}
	if f.object {
		return codeFields[f.key]
	}
	return f.code
}
