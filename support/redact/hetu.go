package redact

import (
	"strings"
	"time"
)

// hetuCheck maps the remainder of DDMMYYNNN divided by 31 to the control character.
const hetuCheck = "0123456789ABCDEFHJKLMNPRSTUVWXY"

// hetuCentury maps the century sign to the century: + for the 1800s; - and, since 2023, Y X W
// V U for the 1900s; A and, since 2023, B C D E F for the 2000s.
var hetuCentury = map[byte]int{
	'+': 1800,
	'-': 1900, 'Y': 1900, 'X': 1900, 'W': 1900, 'V': 1900, 'U': 1900,
	'A': 2000, 'B': 2000, 'C': 2000, 'D': 2000, 'E': 2000, 'F': 2000,
}

// ValidHetu reports whether s is a Finnish personal identity code (henkilötunnus) with a real
// date and a correct control character. Only valid codes are redacted, so that order and
// invoice numbers of the same shape stay readable.
func ValidHetu(s string) bool {
	if len(s) != 11 {
		return false
	}
	s = strings.ToUpper(s)
	century, ok := hetuCentury[s[6]]
	if !ok {
		return false
	}
	n := 0
	for _, c := range []byte(s[:6] + s[7:10]) {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	day := int(s[0]-'0')*10 + int(s[1]-'0')
	month := int(s[2]-'0')*10 + int(s[3]-'0')
	year := century + int(s[4]-'0')*10 + int(s[5]-'0')
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return false
	}
	return hetuCheck[n%31] == s[10]
}
