package redact

import (
	"net/netip"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"
)

var (
	// aa:bb:cc:dd:ee:ff and AA-BB-…: taken whole with any further groups, so that a
	// certificate fingerprint (32 groups) is seen as one and left alone.
	reMACGroups = regexp.MustCompile(`(?i)[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5,}`)
	reMACDots   = regexp.MustCompile(`(?i)\b[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}\b`)
	// Percent-encoded in a captive portal's address that was logged without its scheme.
	reMACEncoded = regexp.MustCompile(`(?i)[0-9a-f]{2}(?:%3a[0-9a-f]{2}){5}|[0-9a-f]{2}(?:%2d[0-9a-f]{2}){5}`)
	// Without separators, only where a label says it is one.
	reMACBare = regexp.MustCompile(`(?i)(?:mac|bssid|hwaddr|lladdr|ether|physical address|hardware address|fyysinen osoite|fysisk adress)[^0-9a-z\n]{0,4}(?:address|addr|osoite|adress)?[^0-9a-z\n]{0,4}([0-9a-f]{12})\b`)
)

// detectMACs removes hardware addresses in every notation; the all-zero and broadcast
// addresses identify no one and stay.
func detectMACs(sc *scan) {
	if strings.Count(sc.text, ":") >= 5 || strings.Count(sc.text, "-") >= 5 {
		for _, m := range reMACGroups.FindAllStringIndex(sc.text, -1) {
			run := sc.text[m[0]:m[1]]
			if len(run) != 17 || strings.Count(run, run[2:3]) != 5 {
				continue // a fingerprint, or separators mixed
			}
			if b := runeBefore(sc.text, m[0]); nameRune(b) || b == ':' || b == '-' || nameRune(runeAfter(sc.text, m[1])) {
				continue
			}
			sc.mac(m[0], m[1])
		}
	}
	if strings.Count(sc.text, ".") >= 2 {
		for _, m := range reMACDots.FindAllStringIndex(sc.text, -1) {
			sc.mac(m[0], m[1])
		}
	}
	if sc.has("%3a") || sc.has("%2d") {
		for _, m := range reMACEncoded.FindAllStringIndex(sc.text, -1) {
			sc.mac(m[0], m[1])
		}
	}
	for _, w := range []string{"mac", "bssid", "hwaddr", "lladdr", "ether", "physical", "hardware", "fyysinen", "fysisk"} {
		if sc.has(w) {
			for _, m := range reMACBare.FindAllStringSubmatchIndex(sc.text, -1) {
				sc.mac(m[2], m[3])
			}
			return
		}
	}
}

// mac claims one hardware address, unless it is the all-zero or the broadcast one.
func (sc *scan) mac(start, end int) {
	hex := strings.NewReplacer(":", "", "-", "", ".", "", "%3a", "", "%2d", "").Replace(sc.lower[start:end])
	if hex == "000000000000" || hex == "ffffffffffff" {
		return
	}
	sc.replace(start, end, KindMAC, "[mac]")
}

var (
	reIPv4 = regexp.MustCompile(`\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b`)
	// Anything with two colons between hex digits; netip decides what is an address.
	reIPv6 = regexp.MustCompile(`(?i)[0-9a-f:.]*:[0-9a-f.]*:[0-9a-f:.]*(?:%[0-9a-z_.-]+)?`)
)

// detectIPs pseudonymises IP addresses (or drops them, as the profile says), except those
// that say nothing about the user: loopback, unspecified, multicast, broadcast, netmasks,
// IPv4 link-local (a self-assigned address is the finding) and the organisation's own.
func detectIPs(sc *scan) {
	if strings.Contains(sc.text, "::") || strings.Count(sc.text, ":") >= 2 {
		for _, m := range reIPv6.FindAllStringIndex(sc.text, -1) {
			start, end := m[0], m[1]
			if b := runeBefore(sc.text, start); nameRune(b) || b == '.' {
				continue // std::string, Token::Parse
			}
			text := sc.text[start:end]
			zone := ""
			if i := strings.IndexByte(text, '%'); i >= 0 {
				text, zone = text[:i], text[i:]
			}
			a, err := netip.ParseAddr(text)
			for err != nil && (strings.HasSuffix(text, ":") || strings.HasSuffix(text, ".")) && !strings.HasSuffix(text, "::") {
				// "fe80::1:" at the end of a sentence, or host:port written without brackets.
				text = text[:len(text)-1]
				a, err = netip.ParseAddr(text)
				zone = ""
			}
			if err != nil || !a.Is6() || nameRune(runeAfter(sc.text, start+len(text)+len(zone))) {
				continue
			}
			end = start + len(text)
			sc.claim(start, end, "", func(string) (string, bool) { return sc.r.addr(a) })
		}
	}
	if strings.Count(sc.text, ".") < 3 {
		return
	}
	for _, m := range reIPv4.FindAllStringIndex(sc.text, -1) {
		if b := runeBefore(sc.text, m[0]); b == '.' || unicode.IsLetter(b) {
			continue
		}
		if runeAfter(sc.text, m[1]) == '.' && unicode.IsDigit(runeAfter(sc.text, m[1]+1)) {
			continue // an OID or a longer version: 1.3.6.1.4.1
		}
		a, err := netip.ParseAddr(sc.text[m[0]:m[1]])
		if err != nil || isNetmask(a) || a.IsLinkLocalUnicast() {
			continue
		}
		sc.claim(m[0], m[1], "", func(string) (string, bool) { return sc.r.addr(a) })
	}
}

// addr is the pseudonym of an address (counted), or false when it stays.
func (r *Redactor) addr(a netip.Addr) (string, bool) {
	a = a.Unmap()
	if a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) ||
		r.keep.hosts[a.String()] {
		return "", false
	}
	r.counts[KindIP]++
	if r.dropIPs {
		return "[ip]", true
	}
	key := a.String()
	if p, ok := r.ips[key]; ok {
		return p, true
	}
	var p string
	if a.Is4() {
		r.nIP4++
		p = "ip-" + itoa(r.nIP4)
	} else {
		r.nIP6++
		p = "ipv6-" + itoa(r.nIP6)
	}
	r.ips[key] = p
	return p, true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// parseIP normalises an address written in a keep list.
func parseIP(s string) (string, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", false
	}
	return a.Unmap().String(), true
}

// isNetmask reports whether a is a run of ones followed by zeros (255.255.255.0).
func isNetmask(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if v == 0 || v>>24 != 0xff {
		return false
	}
	inv := ^v
	return inv&(inv+1) == 0
}

// host is the pseudonym of something known to be a host name or address by where it
// stands (a URL, a lookup, a share): any name, single-label ones too. False when it stays.
func (r *Redactor) host(name string) (string, bool) {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if name == "" || onlyMarkers(name) {
		return "", false
	}
	if a, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil {
		return r.addr(a)
	}
	lower := strings.ToLower(name)
	if r.keep.host(lower) {
		return "", false
	}
	r.counts[KindHost]++
	return r.pseudonym(r.hosts, lower, "host-%d"), true
}

// reHostName finds dotted names; hostName decides which are hosts.
var reHostName = regexp.MustCompile(`(?:[\p{L}\p{N}](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}])?\.)+\p{L}[\p{L}\p{N}-]{0,62}`)

// reLoneHost finds single-label names where the resolver's messages and headers name a host:
// "lookup fileserver on 127.0.0.53", "fileserver: no such host", "Host: intranet".
var reLoneHost = regexp.MustCompile(`(?i)(?:\blookup |\bhost:[ \t]*|can't find )([\p{L}\p{N}][\p{L}\p{N}-]{0,62})\b|\b([\p{L}\p{N}][\p{L}\p{N}-]{0,62}): no such host`)

// detectHosts pseudonymises host names: dotted names under a real or a private top-level
// domain, and single-label names where their place says they are hosts.
func detectHosts(sc *scan) {
	if sc.has("lookup") || sc.has("host") || sc.has("can't find") {
		for _, m := range reLoneHost.FindAllStringSubmatchIndex(sc.text, -1) {
			start, end := m[2], m[3]
			if start < 0 {
				start, end = m[4], m[5]
			}
			if b := runeBefore(sc.text, start); b == '.' || b == '-' || b == ':' || nameRune(b) {
				continue // the end of a dotted name, or a port
			}
			if runeAfter(sc.text, end) == '.' && nameRune(runeAfter(sc.text, end+1)) {
				continue // a dotted name: judged below
			}
			if !strings.ContainsFunc(sc.text[start:end], unicode.IsLetter) {
				continue
			}
			sc.claim(start, end, "", func(name string) (string, bool) { return sc.r.host(name) })
		}
	}
	if !strings.Contains(sc.text, ".") {
		return
	}
	for _, m := range reHostName.FindAllStringIndex(sc.text, -1) {
		start, end := m[0], m[1]
		b := runeBefore(sc.text, start)
		if b == '.' || b == '-' || b == '@' || b == '\\' || b == '/' && !strings.HasSuffix(sc.text[:start], "//") {
			continue // the end of something longer, an address, a path component
		}
		if a := runeAfter(sc.text, end); a == '-' || a == '.' && nameRune(runeAfter(sc.text, end+1)) {
			continue // libGL.so.1, setup.cab.bak
		}
		sc.claim(start, end, "", func(name string) (string, bool) {
			if !hostName(name) {
				return "", false
			}
			return sc.r.host(name)
		})
	}
}

// internalTLDs are suffixes of private networks that the public suffix list does not know.
var internalTLDs = map[string]bool{"local": true, "lan": true, "internal": true, "intranet": true,
	"corp": true, "home": true, "localdomain": true, "intra": true, "private": true, "test": true,
	"example": true, "invalid": true, "arpa": true, "ad": true, "domain": true}

// apuriKeys begin the translation keys a report may quote.
var apuriKeys = map[string]bool{"check": true, "advice": true, "verdict": true, "report": true, "outbox": true}

// fileTLDs are top-level domains that are far more often file extensions ("report.zip").
var fileTLDs = map[string]bool{"zip": true, "mov": true, "sh": true, "py": true, "md": true,
	"pl": true, "rs": true, "so": true, "ps": true, "pm": true, "cc": true, "mp": true, "gz": true,
	"cab": true, "app": true, "pub": true, "exe": true, "msi": true, "dmg": true, "ts": true, "cs": true,
	"js": true, "go": true, "rb": true, "java": true, "sys": true, "dll": true, "log": true, "bak": true}

// hostName says whether a dotted name is a host's: its suffix is a real top-level domain
// (by the public suffix list) or a private one, and it is no file name or code identifier.
func hostName(name string) bool {
	labels := strings.Split(name, ".")
	if apuriKeys[strings.ToLower(labels[0])] {
		return false // check.dns.fail, advice.reconnect_network: Apuri's translation keys
	}
	tld := labels[len(labels)-1]
	lowerTLD := strings.ToLower(tld)
	if len(labels) == 2 && fileTLDs[lowerTLD] {
		return false
	}
	// p.Support, fmt.Println, resp.Body, os.readFile: code reads like a name under a
	// top-level domain, but no one writes a domain's suffix capitalised, or a label in camel case.
	if capitalised(tld) {
		return false
	}
	for _, l := range labels {
		if innerCapital(l) {
			return false
		}
	}
	if internalTLDs[lowerTLD] {
		return true
	}
	lower := strings.ToLower(name)
	ps, icann := publicsuffix.PublicSuffix(lower)
	if !icann && !strings.Contains(ps, ".") {
		return false // not a domain anyone registered: a file name, a key, a version
	}
	return ps != lower // a bare suffix ("co.uk") names no one
}

// capitalised is a word with a capital first and small letters after: "Println", "Support".
func capitalised(l string) bool {
	r := []rune(l)
	if len(r) < 2 || !unicode.IsUpper(r[0]) {
		return false
	}
	for _, c := range r[1:] {
		if unicode.IsLower(c) {
			return true
		}
	}
	return false
}

// innerCapital is camel case: a capital after the first letter, among small ones ("readFile").
func innerCapital(l string) bool {
	var upper, lower bool
	for i, c := range l {
		switch {
		case unicode.IsUpper(c) && i > 0:
			upper = true
		case unicode.IsLower(c):
			lower = true
		}
	}
	return upper && lower
}
