package netproxy

import (
	"strconv"
	"strings"
	"time"
)

// The time helpers of PAC. Scripts on real networks use them rarely, and then simply
// ("office hours go through the proxy"), so the common forms are supported: a day, month or
// year, or a range of one kind; the longer forms compare whole dates.

var weekdays = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
var months = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// clock is now, in UTC when the last argument is "GMT"; it returns the other arguments.
func (s *pacScript) clock(a []string) (time.Time, []string) {
	now := s.env.now()
	if n := len(a); n > 0 && strings.EqualFold(a[n-1], "GMT") {
		return now.UTC(), a[:n-1]
	}
	return now.Local(), a
}

func index(list []string, v string) int {
	for i, x := range list {
		if strings.EqualFold(x, v) {
			return i
		}
	}
	return -1
}

// within reports lo <= v <= hi, wrapping when lo > hi (FRI–MON, NOV–FEB).
func within(v, lo, hi int) bool {
	if lo <= hi {
		return lo <= v && v <= hi
	}
	return v >= lo || v <= hi
}

func (s *pacScript) weekdayRange(a []string) bool {
	now, a := s.clock(a)
	if len(a) == 0 || len(a) > 2 {
		return false
	}
	lo := index(weekdays, a[0])
	hi := lo
	if len(a) == 2 {
		hi = index(weekdays, a[1])
	}
	return lo >= 0 && hi >= 0 && within(int(now.Weekday()), lo, hi)
}

func (s *pacScript) timeRange(a []string) bool {
	now, a := s.clock(a)
	n := make([]int, len(a))
	for i, x := range a {
		v, err := strconv.Atoi(x)
		if err != nil {
			return false
		}
		n[i] = v
	}
	sec := now.Hour()*3600 + now.Minute()*60 + now.Second()
	var lo, hi int
	switch len(n) {
	case 1:
		return now.Hour() == n[0]
	case 2:
		lo, hi = n[0]*3600, n[1]*3600
	case 4:
		lo, hi = n[0]*3600+n[1]*60, n[2]*3600+n[3]*60
	case 6:
		lo, hi = n[0]*3600+n[1]*60+n[2], n[3]*3600+n[4]*60+n[5]
	default:
		return false
	}
	if lo <= hi {
		return lo <= sec && sec < hi
	}
	return sec >= lo || sec < hi
}

// dateField is one dateRange argument: a day of the month, a month or a year.
type dateField struct {
	kind  byte // 'd', 'm' or 'y'
	value int
}

func parseDateField(x string) (dateField, bool) {
	if m := index(months, x); m >= 0 {
		return dateField{'m', m + 1}, true
	}
	v, err := strconv.Atoi(x)
	switch {
	case err != nil || v < 1:
		return dateField{}, false
	case v <= 31:
		return dateField{'d', v}, true
	}
	return dateField{'y', v}, true
}

func (s *pacScript) dateRange(a []string) bool {
	now, a := s.clock(a)
	fields := make([]dateField, len(a))
	for i, x := range a {
		f, ok := parseDateField(x)
		if !ok {
			return false
		}
		fields[i] = f
	}
	of := func(kind byte) int {
		switch kind {
		case 'd':
			return now.Day()
		case 'm':
			return int(now.Month())
		}
		return now.Year()
	}
	switch len(fields) {
	case 1:
		return of(fields[0].kind) == fields[0].value
	case 2:
		if fields[0].kind != fields[1].kind {
			return false
		}
		if fields[0].kind == 'y' {
			return fields[0].value <= now.Year() && now.Year() <= fields[1].value
		}
		return within(of(fields[0].kind), fields[0].value, fields[1].value)
	case 4, 6:
		half := len(fields) / 2
		key := func(fs []dateField) (k int) {
			// Most significant first: year, month, day, as one comparable number.
			weights := map[byte]int{'y': 10000, 'm': 100, 'd': 1}
			for _, f := range fs {
				k += f.value * weights[f.kind]
			}
			return k
		}
		lo, hi := key(fields[:half]), key(fields[half:])
		var cur []dateField
		for _, f := range fields[:half] {
			if f.kind != fields[half+len(cur)].kind {
				return false
			}
			cur = append(cur, dateField{f.kind, of(f.kind)})
		}
		v := key(cur)
		if fields[0].kind == 'y' || lo <= hi {
			return lo <= v && v <= hi
		}
		return v >= lo || v <= hi
	}
	return false
}
