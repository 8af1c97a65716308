// Package redact removes secrets and personal data from the texts of a support bundle, and
// keeps what support needs to read them.
//
// It reads its input rather than pattern-matching it blindly: a URL is split into its parts
// and each query value is judged by its key and, percent-decoded, by its shape; a header is
// taken whole (every cookie of a Cookie header, any Authorization scheme); key=value pairs,
// command-line flags and JSON fields are judged by their key whatever their value looks like;
// identity codes and bank accounts are redacted only when their checksum holds. What the
// organisation's profile names (its own hosts, addresses, support e-mail and phone) stays
// readable, and so do paths, versions, fingerprints, file names and code identifiers.
//
// Every detector claims a part of the text; a part once claimed is not looked at again, so a
// URL's path is never read as a token and a redaction's marker ([secret], host-1) is never
// redacted again. A text is scanned until nothing changes, so redacting twice changes nothing.
package redact

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Identity is what identifies the user and the computer, redacted wherever it appears.
type Identity struct {
	Login    string // the account name
	RealName string // "Matti Meikäläinen"
	Home     string // the home directory
	Hostname string // the computer's name
}

// DisplayName is the name to sign a request with: the real name, else the login.
func (id Identity) DisplayName() string {
	if id.RealName != "" {
		return id.RealName
	}
	return id.Login
}

// Options configure a Redactor.
type Options struct {
	Identity Identity
	// Literals are further words to remove as the user's: the contact details of a request.
	Literals []string
	// Keep are what describes the organisation, not the user, and is left as it is: host
	// names ("*.example.fi" for a whole domain), IP addresses, its support e-mail address and
	// phone number. Support needs to recognise its own services in the report.
	Keep []string
	// Patterns are the organisation's own rules: every match is removed; in a pattern with a
	// capture group, only the first group's text is.
	Patterns []*regexp.Regexp
	// DropIPs writes every IP address as [ip] instead of a pseudonym (ip-1).
	DropIPs bool
}

// Redactor removes personal data and secrets from the texts of one bundle. Host names and IP
// addresses become pseudonyms (host-1, ip-1, …) that stay the same across the bundle's files,
// so support can still see that two failures concern the same server. Not safe for concurrent use.
type Redactor struct {
	keep      keepList
	patterns  []*regexp.Regexp
	dropIPs   bool
	literals  []literal // the user's words, longest first
	machine   string    // the computer's name, lower case
	hosts     map[string]string
	ips       map[string]string
	emails    map[string]string
	nIP4      int
	nIP6      int
	counts    map[string]int
	byPattern []int
}

// New returns a redactor with an empty pseudonym table.
func New(opts Options) *Redactor {
	r := &Redactor{
		keep:      newKeepList(opts.Keep),
		patterns:  opts.Patterns,
		dropIPs:   opts.DropIPs,
		hosts:     map[string]string{},
		ips:       map[string]string{},
		emails:    map[string]string{},
		counts:    map[string]int{},
		byPattern: make([]int, len(opts.Patterns)),
	}
	r.literals = identityLiterals(opts.Identity, opts.Literals)
	if h := strings.ToLower(strings.TrimSpace(opts.Identity.Hostname)); len(h) >= minLiteral && !r.keep.host(h) {
		r.machine = h
	}
	return r
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

// PatternCounts says how many times each of Options.Patterns matched, by its index.
func (r *Redactor) PatternCounts() []int { return append([]int(nil), r.byPattern...) }

// maxRounds bounds the scans of one text. A scan only ever turns text into markers, so a
// second one finds something only where a removal joined two pieces into a new secret; a
// third is rare, a fifth unheard of.
const maxRounds = 5

// String redacts one text.
func (r *Redactor) String(s string) string {
	for range maxRounds {
		out := r.round(s)
		if out == s {
			return s
		}
		s = out
	}
	return s
}

// round is one scan: the organisation's patterns first (their matches are theirs whatever
// else they look like), then Apuri's detectors.
func (r *Redactor) round(s string) string {
	if len(r.patterns) > 0 {
		s = r.scan(s, []detector{detectMarkers, r.detectPatterns}, 0)
	}
	return r.scan(s, textDetectors, 0)
}

// detectPatterns applies the organisation's own patterns.
func (r *Redactor) detectPatterns(sc *scan) {
	for i, re := range r.patterns {
		for _, m := range re.FindAllStringSubmatchIndex(sc.text, -1) {
			start, end := m[0], m[1]
			if len(m) >= 4 && m[2] >= 0 {
				start, end = m[2], m[3]
			}
			if start == end {
				continue
			}
			if sc.replace(start, end, KindOrganisation, "[redacted]") {
				r.byPattern[i]++
			}
		}
	}
}

// pseudonym returns the name a value has in this bundle, making one on first sight.
func (r *Redactor) pseudonym(table map[string]string, key, format string) string {
	if p, ok := table[key]; ok {
		return p
	}
	p := fmt.Sprintf(format, len(table)+1)
	table[key] = p
	return p
}

// keepList is what Options.Keep names, sorted by what it is.
type keepList struct {
	hosts    map[string]bool
	suffixes []string // ".example.fi" from "*.example.fi"
	emails   map[string]bool
	phones   map[string]bool // digits only, national form
}

// builtinKeep are public names that say nothing about the user or the organisation, and that
// stack traces and the default probes are full of.
var builtinKeep = []string{"localhost", "*.github.com", "github.com", "*.golang.org", "golang.org",
	"go.dev", "*.go.dev", "gopkg.in", "fyne.io", "*.fyne.io", "detectportal.firefox.com"}

func newKeepList(keep []string) keepList {
	k := keepList{hosts: map[string]bool{}, emails: map[string]bool{}, phones: map[string]bool{}}
	for _, item := range append(append([]string(nil), builtinKeep...), keep...) {
		item = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(item), "."))
		switch {
		case item == "":
		case strings.Contains(item, "@"):
			k.emails[item] = true
			if _, domain, _ := strings.Cut(item, "@"); domain != "" {
				k.hosts[domain] = true
			}
		case strings.HasPrefix(item, "*."):
			k.suffixes = append(k.suffixes, item[1:])
			k.hosts[item[2:]] = true
		case looksLikePhone(item):
			k.phones[phoneDigits(item)] = true
		default:
			if a, ok := parseIP(item); ok {
				item = a
			}
			k.hosts[item] = true
		}
	}
	sort.Strings(k.suffixes)
	return k
}

// host says whether a host name (lower case) or an address is kept.
func (k keepList) host(name string) bool {
	name = strings.TrimSuffix(name, ".")
	if k.hosts[name] {
		return true
	}
	for _, s := range k.suffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}
