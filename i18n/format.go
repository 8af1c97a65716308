package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Dates, times, durations and numbers for people, written the way each language writes them.
// The windows, the tray, the command line and the support request all format through these,
// so that a time reads the same wherever it appears:
//
//	          time     with seconds  date        in a sentence (not today)
//	suomi     8.02     8.02.07       3.12.2026   3.12.2026 klo 8.02
//	svenska   8.02     8.02.07       3.12.2026   3.12.2026 kl. 8.02
//	English   08:02    08:02:07      3 Dec 2026  08:02 on 3 Dec 2026
//
// Finnish and Finland-Swedish write the hour without a leading zero and a full stop before the
// minutes; English uses the 24-hour clock, as people in Finland read it, with a colon. Times are
// written in the location of t: callers convert with t.In or t.Local first.

// nbsp joins what must not be split across lines: a number and its unit, "klo" and the time.
const nbsp = "\u00a0"

// FormatTime writes a time of day: "8.02" in Finnish and Swedish, "08:02" in English.
func FormatTime(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("15:04")
	}
	return fmt.Sprintf("%d.%02d", t.Hour(), t.Minute())
}

// FormatTimeSeconds writes a time of day to the second, for lines that follow events as they
// happen: "8.02.07", "08:02:07".
func FormatTimeSeconds(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("15:04:05")
	}
	return fmt.Sprintf("%d.%02d.%02d", t.Hour(), t.Minute(), t.Second())
}

// FormatDate writes a date: "3.12.2026" in Finnish and Swedish, "3 Dec 2026" in English.
func FormatDate(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2" + nbsp + "Jan" + nbsp + "2006")
	}
	return fmt.Sprintf("%d.%d.%d", t.Day(), int(t.Month()), t.Year())
}

// FormatDateTime writes a moment with its date, as a sentence or a list says it:
// "3.12.2026 klo 8.02", "3.12.2026 kl. 8.02", "08:02 on 3 Dec 2026".
func FormatDateTime(lang string, t time.Time) string {
	switch lang {
	case "fi":
		return FormatDate(lang, t) + " klo" + nbsp + FormatTime(lang, t)
	case "sv":
		return FormatDate(lang, t) + " kl." + nbsp + FormatTime(lang, t)
	}
	return FormatTime(lang, t) + " on " + FormatDate(lang, t)
}

// FormatWhen writes a moment for a sentence, with its date only when it is not on now's day:
// "klo 8.02" today, "2.12.2026 klo 21.33" before (English "08:02", "21:33 on 2 Dec 2026").
// The translations leave "klo" and "kl." to it ("Tarkistettu {{.time}}").
func FormatWhen(lang string, t, now time.Time) string {
	if !sameDay(t, now) {
		return FormatDateTime(lang, t)
	}
	switch lang {
	case "fi":
		return "klo" + nbsp + FormatTime(lang, t)
	case "sv":
		return "kl." + nbsp + FormatTime(lang, t)
	}
	return FormatTime(lang, t)
}

// FormatClock writes a moment for a list, a chart or a table, where no "klo" is wanted: the
// time alone on now's day, the date and the time before ("2.12.2026 21.33", "2 Dec 2026 21:33").
func FormatClock(lang string, t, now time.Time) string {
	if sameDay(t, now) {
		return FormatTime(lang, t)
	}
	return FormatDate(lang, t) + " " + FormatTime(lang, t)
}

// sameDay reports whether t falls on now's calendar day, in t's location.
func sameDay(t, now time.Time) bool {
	now = now.In(t.Location())
	y, m, d := t.Date()
	ny, nm, nd := now.Date()
	return y == ny && m == nm && d == nd
}

// FormatDuration writes how long something took or lasted, the unit joined to the number:
// "45 ms", "1,5 s" (English "1.5 s"), "45 s", "3 min", "2 h 5 min". Under ten seconds it keeps a
// tenth; above, it rounds to whole seconds, then to minutes.
func FormatDuration(lang string, d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatInt(max(d.Milliseconds(), 0), 10) + nbsp + "ms"
	case d < 10*time.Second:
		tenths := d.Round(100 * time.Millisecond)
		if tenths%time.Second == 0 {
			return strconv.Itoa(int(tenths/time.Second)) + nbsp + "s"
		}
		return FormatNumber(lang, tenths.Seconds(), 1) + nbsp + "s"
	case d < time.Minute-time.Second/2:
		return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + nbsp + "s"
	case d < time.Hour-time.Minute/2:
		return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + nbsp + "min"
	}
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + nbsp + "h"
	}
	return strconv.Itoa(h) + nbsp + "h " + strconv.Itoa(m) + nbsp + "min"
}

// FormatNumber writes x with the given number of decimals and the language's decimal mark:
// "1,5" in Finnish and Swedish, "1.5" in English.
func FormatNumber(lang string, x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// byteUnits are the SI units of size, from bytes up, per language: Finnish writes tavu (t).
var byteUnits = map[string][]string{
	"fi": {"t", "kt", "Mt", "Gt", "Tt"},
	"sv": {"B", "kB", "MB", "GB", "TB"},
	"en": {"B", "kB", "MB", "GB", "TB"},
}

// FormatBytes writes a size in SI units (1 kB = 1000 bytes), the unit joined to the number:
// "1,2 Gt" in Finnish, "1,2 GB" in Swedish, "1.2 GB" in English; one decimal under ten, whole
// numbers above.
func FormatBytes(lang string, n int64) string {
	units, ok := byteUnits[lang]
	if !ok {
		units = byteUnits["en"]
	}
	x, i := float64(max(n, 0)), 0
	for x >= 999.5 && i < len(units)-1 {
		x /= 1000
		i++
	}
	if i == 0 || x >= 9.95 {
		return strconv.FormatFloat(x, 'f', 0, 64) + nbsp + units[i]
	}
	return FormatNumber(lang, x, 1) + nbsp + units[i]
}
