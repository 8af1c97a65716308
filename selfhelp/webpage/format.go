package webpage

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// nbsp keeps a number and its unit on one line.
const nbsp = "\u00a0"

// dateText writes a date as the language does: 25.11.2026 in Finnish and Swedish, 25 November
// 2026 in English (a month in words reads unambiguously aloud).
func dateText(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2" + nbsp + "January" + nbsp + "2006")
	}
	return t.Format("2.1.2006")
}

// clockText writes a time of day as the language does: 8.02 in Finnish and Swedish (Finland's
// convention), 08:02 in English.
func clockText(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("15:04")
	}
	return fmt.Sprintf("%d.%02d", t.Hour(), t.Minute())
}

// decimal writes x with one decimal and the language's decimal separator.
func decimal(lang string, x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
