package redact

import (
	"regexp"
	"strings"
)

// reHeader finds an HTTP header that carries credentials, as a log or a curl command line
// writes it: "Cookie: a=1; b=2", `-H "Authorization: Bearer …"`, `"Set-Cookie": "…"`.
var reHeader = regexp.MustCompile(`(?i)(?:^|[^\w-])((?:proxy-)?authorization|set-cookie|cookie|x-api-key|x-auth-token|x-access-token|api-key|x-csrf-token|x-xsrf-token|private-token|x-goog-api-key|ocp-apim-subscription-key|x-functions-key|x-vault-token)(["']?)[ \t]*:[ \t]*`)

// detectHeaders takes each credential header's value whole, so that no cookie after the first,
// no Digest parameter and no token with an unusual scheme is left behind.
func detectHeaders(sc *scan) {
	if !sc.has("auth") && !sc.has("cookie") && !sc.has("key") && !sc.has("token") {
		return
	}
	for _, m := range reHeader.FindAllStringSubmatchIndex(sc.text, -1) {
		name := strings.ToLower(sc.text[m[2]:m[3]])
		quote := byte(0)
		if m[4] < m[5] {
			quote = sc.text[m[4]] // "Authorization": …
		} else if m[2] > 0 && (sc.text[m[2]-1] == '"' || sc.text[m[2]-1] == '\'') {
			quote = sc.text[m[2]-1] // -H "Authorization: …"
		}
		start, end := headerValue(sc.text, m[1], quote)
		// Trailing blanks are not part of the value.
		for end > start && (sc.text[end-1] == ' ' || sc.text[end-1] == '\t' || sc.text[end-1] == '\r') {
			end--
		}
		if start >= end {
			continue
		}
		value := sc.text[start:end]
		var out string
		counts := map[string]int{}
		switch {
		case strings.HasSuffix(name, "authorization"):
			if out = authValue(value); out != value {
				counts[KindToken]++
			}
		case name == "cookie" || name == "set-cookie":
			out = sc.cookies(value, name == "set-cookie", counts)
		case onlyMarkers(value):
			out = value
		default:
			out = "[token]"
			counts[KindToken]++
		}
		// Taken even when nothing changes: a header's value is read as a whole or not at all.
		sc.claim(start, end, "", func(string) (string, bool) {
			for k, n := range counts {
				sc.r.counts[k] += n
			}
			return out, true
		})
	}
}

// headerValue is where a header's value lies after its colon: inside its own quotes, up to
// the quote the header itself stands in, or to the end of the line.
func headerValue(s string, from int, quote byte) (int, int) {
	if from < len(s) && (s[from] == '"' || s[from] == '\'') {
		q := s[from]
		if end := strings.IndexByte(s[from+1:], q); end >= 0 {
			return from + 1, from + 1 + end
		}
	}
	end := strings.IndexAny(s[from:], "\r\n")
	if end < 0 {
		end = len(s) - from
	}
	if quote != 0 {
		if q := strings.IndexByte(s[from:from+end], quote); q >= 0 {
			end = q
		}
	}
	return from, from + end
}

// authValue keeps an Authorization value's scheme and removes its credentials: every
// parameter of Digest, the token of Bearer, Basic, NTLM, Negotiate and any other scheme.
func authValue(v string) string {
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok || strings.TrimSpace(rest) == "" || !isSchemeName(scheme) {
		return "[token]"
	}
	if onlyMarkers(strings.TrimSpace(rest)) {
		return v
	}
	return scheme + " [token]"
}

// authSchemes are the names an Authorization value may begin with; anything else is taken
// for part of the credentials.
var authSchemes = map[string]bool{"basic": true, "bearer": true, "digest": true, "negotiate": true,
	"ntlm": true, "token": true, "ssws": true, "apikey": true, "kerberos": true, "hoba": true,
	"mutual": true, "vapid": true, "dpop": true, "oauth": true, "hawk": true, "aws4-hmac-sha256": true,
	"scram-sha-1": true, "scram-sha-256": true, "googlelogin": true, "sharedkey": true, "sharedkeylite": true}

func isSchemeName(s string) bool { return authSchemes[strings.ToLower(s)] }

// cookies removes the value of every cookie in a Cookie header; in a Set-Cookie header, the
// one cookie's value goes and its attributes (Path, Expires, HttpOnly) stay, the Domain as any
// host name would.
func (sc *scan) cookies(v string, set bool, counts map[string]int) string {
	parts := strings.Split(v, ";")
	for i, part := range parts {
		lead := part[:len(part)-len(strings.TrimLeft(part, " \t"))]
		name, value, hasValue := strings.Cut(strings.TrimLeft(part, " \t"), "=")
		switch {
		case set && i > 0:
			if hasValue && strings.EqualFold(strings.TrimSpace(name), "domain") && !onlyMarkers(value) {
				host := strings.TrimPrefix(strings.TrimSpace(value), ".")
				if !sc.r.keep.host(strings.ToLower(host)) {
					parts[i] = lead + name + "=" + sc.r.pseudonym(sc.r.hosts, strings.ToLower(host), "host-%d")
					counts[KindHost]++
				}
			}
		case !hasValue && strings.TrimSpace(name) != "" && !onlyMarkers(name):
			parts[i] = lead + "[secret]"
			counts[KindCookie]++
		case hasValue && strings.TrimSpace(value) != "" && !onlyMarkers(value):
			parts[i] = lead + name + "=[secret]"
			counts[KindCookie]++
		}
	}
	return strings.Join(parts, ";")
}
