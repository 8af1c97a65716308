package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// reURL finds URLs of any scheme (https, smb, ldap, postgres, file…). Characters no URL may
// hold end one; trailing punctuation of the sentence is cut off afterwards.
var reURL = regexp.MustCompile(`(?i)\b[a-z][a-z0-9+.-]{1,15}://[^\s"'<>\x60\\{}|^]*`)

// minOpaqueInURL is the shortest unnamed token taken from a URL's path segment or value: a
// segment is a unit of its own, so a shorter random one is still a key (webhook paths).
const minOpaqueInURL = 20

// detectURLs takes each URL whole and rebuilds it part by part: credentials removed, the host
// pseudonymised unless the organisation's, path segments and query values judged one by one
// after percent-decoding. An unchanged URL is kept as it is, so no later detector reads its
// path as a token or its file name as a host.
func detectURLs(sc *scan) {
	if !strings.Contains(sc.text, "://") {
		return
	}
	for _, m := range reURL.FindAllStringIndex(sc.text, -1) {
		end := m[0] + len(trimURL(sc.text[m[0]:m[1]]))
		sc.claim(m[0], end, "", func(raw string) (string, bool) { return sc.url(raw), true })
	}
}

// trimURL drops what ends the sentence rather than the URL: a full stop, a comma, a closing
// bracket the URL did not open.
func trimURL(u string) string {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*", c) >= 0:
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// url redacts one URL.
func (sc *scan) url(raw string) string {
	scheme, rest, _ := strings.Cut(raw, "://")
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, rest = rest[:i], rest[i:]
	} else {
		rest = ""
	}
	var b strings.Builder
	b.WriteString(scheme + "://")
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		b.WriteString(sc.r.userInfo(authority[:i]) + "@")
		authority = authority[i+1:]
	}
	host, port := splitHostPort(authority)
	kept := host == "" || sc.r.keep.host(strings.ToLower(strings.Trim(host, "[]")))
	if !kept {
		if p, ok := sc.r.host(strings.Trim(host, "[]")); ok {
			if strings.HasPrefix(host, "[") {
				p = "[" + p + "]"
			}
			host = p
		}
	}
	b.WriteString(host + port)

	path, query, fragment := rest, "", ""
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path, fragment = path[:i], path[i+1:]
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}
	b.WriteString(sc.urlPath(path, kept))
	if strings.Contains(rest, "?") {
		b.WriteString("?" + sc.query(query))
	}
	if strings.Contains(rest, "#") {
		if strings.Contains(fragment, "=") {
			b.WriteString("#" + sc.query(fragment)) // #access_token=… of an OAuth sign-in
		} else {
			b.WriteString("#" + sc.segment(fragment, "", textDetectors))
		}
	}
	return b.String()
}

// userInfo replaces the user and password before a URL's host.
func (r *Redactor) userInfo(info string) string {
	if onlyMarkers(info) || info == "" {
		return info
	}
	r.counts[KindURLCreds]++
	user, _, hasPassword := strings.Cut(info, ":")
	switch {
	case !hasPassword:
		return "[user]"
	case user == "":
		return ":[password]"
	}
	return "[user]:[password]"
}

// splitHostPort splits "host:443" and "[::1]:443"; the port keeps its colon.
func splitHostPort(hp string) (host, port string) {
	if strings.HasPrefix(hp, "[") {
		if i := strings.IndexByte(hp, ']'); i > 0 {
			return hp[:i+1], hp[i+1:]
		}
		return hp, ""
	}
	if i := strings.LastIndexByte(hp, ':'); i >= 0 && allDigits(hp[i+1:]) {
		return hp[:i], hp[i:]
	}
	return hp, ""
}

// urlPath judges each segment of a path. The organisation's own paths stay readable: only
// the user (a name after /home/, an e-mail, an identity code) is taken out of them.
func (sc *scan) urlPath(path string, kept bool) string {
	if path == "" || path == "/" {
		return path
	}
	set := textDetectors
	if kept {
		set = personalDetectors
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		segs[i] = sc.segment(seg, prev, set)
	}
	return strings.Join(segs, "/")
}

// segment redacts one path segment (or a fragment) percent-decoded, and encodes it again only
// if something changed, so an untouched URL stays byte for byte.
func (sc *scan) segment(seg, prev string, set []detector) string {
	if seg == "" || onlyMarkers(seg) {
		return seg
	}
	if userFolder(prev) && !systemUser(seg) {
		sc.r.counts[KindUserPath]++
		return "[user]"
	}
	decoded, err := url.PathUnescape(seg)
	if err != nil {
		decoded = seg
	}
	out := sc.sub(decoded, set, minOpaqueInURL)
	if out == decoded {
		return seg
	}
	return escapeKeepingMarkers(url.PathEscape(out))
}

// query judges each parameter: by its key (a password, a signature, a MAC address, a Wi-Fi
// name), else by the shape of its decoded value.
func (sc *scan) query(q string) string {
	params := strings.Split(q, "&")
	for i, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" {
			continue
		}
		dn, err := url.QueryUnescape(name)
		if err != nil {
			dn = name
		}
		dv, err := url.QueryUnescape(value)
		if err != nil {
			dv = value
		}
		if onlyMarkers(dv) {
			continue
		}
		if out, changed := sc.queryValue(dn, dv); changed {
			params[i] = name + "=" + escapeKeepingMarkers(url.QueryEscape(out))
		}
	}
	return strings.Join(params, "&")
}

// queryValue is what one decoded query value becomes, and whether it changed.
func (sc *scan) queryValue(name, value string) (string, bool) {
	r := sc.r
	if classifyKey(name) != keyPlain {
		r.counts[KindSecret]++
		return "[secret]", true
	}
	switch fieldKind(name) {
	case KindMAC:
		r.counts[KindMAC]++
		return "[mac]", true
	case KindSSID:
		r.counts[KindSSID]++
		return "[ssid]", true
	case KindUserName:
		if !strings.Contains(value, "@") {
			r.counts[KindUserName]++
			return "[user]", true
		}
	case KindHost, KindIP:
		if p, ok := r.host(value); ok {
			return p, true
		}
	}
	out := sc.sub(value, textDetectors, minOpaqueInURL)
	return out, out != value
}

// escapeKeepingMarkers undoes the escaping of the brackets around markers, for readability.
func escapeKeepingMarkers(s string) string {
	return strings.NewReplacer("%5B", "[", "%5D", "]").Replace(s)
}

// userFolder says whether a path's next segment is a user's name: /home/NAME, /Users/NAME.
func userFolder(seg string) bool {
	switch strings.ToLower(seg) {
	case "home", "users", "homes", "profiles", "koti", "hem", "documents and settings":
		return true
	}
	return false
}

// systemUser is an account that names no person: /home/root is no one's privacy.
func systemUser(name string) bool {
	switch strings.ToLower(name) {
	case "root", "nobody", "public", "shared", "default", "all users", "default user", "www-data", "daemon":
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
