package redact

import (
	"encoding/base64"
	"regexp"
	"strings"
	"unicode"
)

var (
	rePrivateKey = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----`)
	// An unterminated block (a truncated log line): everything that can belong to one.
	rePrivateKeyOpen = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[A-Za-z0-9+/=\s\\:,.-]*`)
	reJWT            = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
)

func detectPrivateKeys(sc *scan) {
	if !sc.has("private key") {
		return
	}
	for _, re := range []*regexp.Regexp{rePrivateKey, rePrivateKeyOpen} {
		for _, m := range re.FindAllStringIndex(sc.text, -1) {
			sc.replace(m[0], m[1], KindPrivateKey, "[private-key]")
		}
	}
}

func detectJWTs(sc *scan) {
	if !strings.Contains(sc.text, "eyJ") {
		return
	}
	for _, m := range reJWT.FindAllStringIndex(sc.text, -1) {
		sc.replace(m[0], m[1], KindJWT, "[jwt]")
	}
}

// rePrefixed finds tokens that announce themselves by their prefix: GitHub, GitLab, Slack,
// AWS access key IDs, Google API keys, Stripe, npm, PyPI, SendGrid, Hugging Face, DigitalOcean.
var rePrefixed = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|` +
	`gl(?:pat|dt|rt|ptt|oas|cbt|imt|ft|soat|agent)-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|` +
	`(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}|AIza[0-9A-Za-z_-]{35}|` +
	`(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|npm_[A-Za-z0-9]{36}|` +
	`pypi-[A-Za-z0-9_-]{40,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|hf_[A-Za-z0-9]{30,}|dop_v1_[a-f0-9]{64}|` +
	`shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32})\b`)

func detectPrefixedTokens(sc *scan) {
	for _, m := range rePrefixed.FindAllStringIndex(sc.text, -1) {
		sc.replace(m[0], m[1], KindToken, "[token]")
	}
}

var (
	reBearer = regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{12,})`)
	reBasic  = regexp.MustCompile(`(?i)\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})`)
)

// detectLoneCredentials finds a bearer token or basic credentials outside a header: "sent
// bearer …", "proxy said Basic …". A Basic value counts only if it decodes to user:password,
// so "basic connectivity" stays.
func detectLoneCredentials(sc *scan) {
	if sc.has("bearer") {
		for _, m := range reBearer.FindAllStringSubmatchIndex(sc.text, -1) {
			// "token_type=Bearer expires_in=3600" names the scheme; no token follows it.
			if tok := strings.TrimRight(sc.text[m[2]:m[3]], "="); !strings.Contains(tok, "=") {
				sc.replace(m[2], m[3], KindToken, "[token]")
			}
		}
	}
	if sc.has("basic") {
		for _, m := range reBasic.FindAllStringSubmatchIndex(sc.text, -1) {
			raw, err := base64.StdEncoding.DecodeString(sc.text[m[2]:m[3]])
			if err == nil && strings.Contains(string(raw), ":") {
				sc.replace(m[2], m[3], KindToken, "[token]")
			}
		}
	}
}

// reKeyedHex finds a long hexadecimal key next to a word that names it ("API key 0f3a…",
// "token (9b1e…)"). Without such a word, hex is a hash or a fingerprint and stays.
var reKeyedHex = regexp.MustCompile(`(?i)\b(?:api[ _-]?key|access[ _-]?key|secret(?:[ _-]?key)?|token|auth[ _-]?key|license[ _-]?key|key)\b[^\w\n]{1,4}(?:(?:is|on|är|ist)\s+)?([0-9a-f]{32,})\b`)

func detectKeyedHex(sc *scan) {
	if !sc.has("key") && !sc.has("token") && !sc.has("secret") {
		return
	}
	for _, m := range reKeyedHex.FindAllStringSubmatchIndex(sc.text, -1) {
		sc.replace(m[2], m[3], KindToken, "[token]")
	}
}

// reOpaque finds long runs of the characters keys are written in. A slash is not one of
// them unless the run is base64 by its + or = padding: paths are made of slashes.
var reOpaque = regexp.MustCompile(`[A-Za-z0-9+/_-]{20,}={0,2}`)

// detectOpaqueTokens takes what looks like a random key, named by nothing: upper- and
// lower-case letters and digits mixed as randomness mixes them. Hex digests, words, paths and
// identifiers (TestRedactJSONKeepsCodes, x86_64-linux-gnu) stay.
func detectOpaqueTokens(sc *scan) {
	for _, m := range reOpaque.FindAllStringIndex(sc.text, -1) {
		run := sc.text[m[0]:m[1]]
		if !strings.Contains(run, "/") || strings.ContainsAny(run, "+=") {
			if opaque(strings.ReplaceAll(run, "/", ""), sc.minOpaque) {
				sc.replace(m[0], m[1], KindToken, "[token]")
			}
			continue
		}
		for off, seg := range splitIndex(run, '/') {
			if opaque(seg, sc.minOpaque) {
				sc.replace(m[0]+off, m[0]+off+len(seg), KindToken, "[token]")
			}
		}
	}
}

// splitIndex splits s at sep, keyed by each part's offset.
func splitIndex(s string, sep byte) map[int]string {
	out := map[int]string{}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == sep {
			if i > start {
				out[start] = s[start:i]
			}
			start = i + 1
		}
	}
	return out
}

// opaque says whether s looks random: long enough, letters of both cases and digits, and
// not made of words the way identifiers are.
func opaque(s string, min int) bool {
	if len(s) < min {
		return false
	}
	var upper, lower, digits int
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= '0' && c <= '9':
			digits++
		}
	}
	if upper == 0 || lower == 0 || digits < 2 {
		return false
	}
	return wordiness(s) < 0.5
}

// wordiness is the share of letters that stand in word-like runs: a capital and three or more
// small letters, or four or more small letters. Identifiers score high, random keys low.
func wordiness(s string) float64 {
	letters, inWords := 0, 0
	runes := []rune(s)
	for i := 0; i < len(runes); {
		if !unicode.IsLetter(runes[i]) {
			i++
			continue
		}
		j := i
		if unicode.IsUpper(runes[j]) {
			j++
		}
		k := j
		for k < len(runes) && unicode.IsLower(runes[k]) {
			k++
		}
		if k == j { // a run of capitals, or a lone one
			for k < len(runes) && unicode.IsUpper(runes[k]) {
				k++
			}
			letters += k - i
			i = k
			continue
		}
		n := k - i
		letters += n
		if k-j >= 3 && (j > i || k-j >= 4) {
			inWords += n
		}
		i = k
	}
	if letters == 0 {
		return 0
	}
	return float64(inWords) / float64(letters)
}
