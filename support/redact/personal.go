package redact

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// reEmail finds e-mail addresses, Finnish and Swedish letters included, also percent-encoded
// (matti%40valtori.fi) as forms and redirects write them.
var reEmail = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+(?:@|%40)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,}`)

func detectEmails(sc *scan) {
	if !strings.Contains(sc.text, "@") && !sc.has("%40") {
		return
	}
	for _, m := range reEmail.FindAllStringIndex(sc.text, -1) {
		start := m[0]
		for start < m[1] && strings.IndexByte(".'%-", sc.text[start]) >= 0 {
			start++
		}
		sc.claim(start, m[1], KindEmail, func(addr string) (string, bool) {
			if decoded, err := url.QueryUnescape(addr); err == nil {
				addr = decoded
			}
			addr = strings.ToLower(addr)
			if sc.r.keep.emails[addr] {
				return "", false // the organisation's own support address
			}
			return sc.r.pseudonym(sc.r.emails, addr, "[email-%d]"), true
		})
	}
}

// reHetu finds candidates for a Finnish personal identity code; ValidHetu decides.
var reHetu = regexp.MustCompile(`(?i)[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]`)

// detectHetus removes checksum-valid personal identity codes, also glued to letters
// ("hetu:131052-308T", "ID131052-308Tx"); only digits around one make it something longer.
func detectHetus(sc *scan) {
	for _, m := range reHetu.FindAllStringIndex(sc.text, -1) {
		if unicode.IsDigit(runeBefore(sc.text, m[0])) || unicode.IsDigit(runeAfter(sc.text, m[1])) ||
			!ValidHetu(sc.text[m[0]:m[1]]) {
			continue
		}
		sc.replace(m[0], m[1], KindPersonalID, "[personal-id]")
	}
}

// reIBAN finds candidates for an IBAN, printed in groups of four or not; ValidIBAN decides.
var reIBAN = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`)

func detectIBANs(sc *scan) {
	for _, m := range reIBAN.FindAllStringIndex(sc.text, -1) {
		// The pattern may have taken a following word in capitals ("… 85 OK"): shorten to the
		// longest prefix that is a valid IBAN.
		for end := m[1]; end > m[0]+14; {
			if ValidIBAN(sc.text[m[0]:end]) {
				sc.replace(m[0], end, KindIBAN, "[iban]")
				break
			}
			i := strings.LastIndexByte(sc.text[m[0]:end], ' ')
			if i < 0 {
				break
			}
			end = m[0] + i
		}
	}
}

// ValidIBAN reports whether s (spaces allowed) is an IBAN with a correct mod-97 checksum.
func ValidIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	// Country and check digits move to the end, letters become 10–35, and the number
	// must leave 1 when divided by 97; the remainder is taken digit by digit.
	rem := 0
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

var (
	// +358 40 123 4567, +358 (0)9 1234 5678, +46 70 123 45 67.
	rePhoneIntl = regexp.MustCompile(`\+[1-9][0-9]{0,2}(?:[ -]?\(?[0-9]{1,5}\)?){1,6}`)
	// 040 123 4567, 050-1234567, 0401234567 (Finnish mobiles) and 070-123 45 67 (Swedish).
	rePhoneMobile = regexp.MustCompile(`\b0(?:4[0-9]|50|7[0-9])(?:[ -]?[0-9]){6,8}\b`)
	// 09 1234 5678, (09) 123 4567, 029 123 4567: a landline needs its separators to count.
	rePhoneLand = regexp.MustCompile(`(?:\(0[1-9][0-9]?\)|\b0[1-9][0-9]?)[ -][0-9]{3,4}[ -]?[0-9]{3,4}\b`)
)

// detectPhones removes telephone numbers; the organisation's own support number stays.
func detectPhones(sc *scan) {
	for _, re := range []*regexp.Regexp{rePhoneIntl, rePhoneMobile, rePhoneLand} {
		for _, m := range re.FindAllStringIndex(sc.text, -1) {
			start, end := m[0], m[1]
			for end > start && strings.IndexByte(" -(", sc.text[end-1]) >= 0 {
				end--
			}
			before, after := runeBefore(sc.text, start), runeAfter(sc.text, end)
			if nameRune(before) || before == '.' || before == '+' || before == '/' || before == ':' ||
				unicode.IsDigit(after) || after == '.' && unicode.IsDigit(runeAfter(sc.text, end+1)) {
				continue
			}
			digits := phoneDigits(sc.text[start:end])
			if len(digits) < 8 || len(digits) > 15 || sc.r.keep.phones[digits] {
				continue
			}
			sc.replace(start, end, KindPhone, "[phone]")
		}
	}
}

// looksLikePhone says whether a kept item is a phone number rather than a host name.
func looksLikePhone(s string) bool {
	digits := phoneDigits(s)
	return len(digits) >= 6 && strings.Trim(s, "+0123456789 -()") == ""
}

// phoneDigits is a number's digits in its national form, so +358 40 and 040 are one number.
func phoneDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	d := b.String()
	if strings.HasPrefix(strings.TrimSpace(s), "+") {
		for _, cc := range []string{"358", "46"} {
			if rest, ok := strings.CutPrefix(d, cc); ok {
				return "0" + strings.TrimPrefix(rest, "0") // +358 (0)9 … is 09 …
			}
		}
	}
	return d
}
