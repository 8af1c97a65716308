// Package safetext makes text that comes from outside — a feed of disruptions, a server's
// answer, a certificate, a profile — safe to put in front of a person. A terminal obeys escape
// sequences, and bidirectional overrides make a window or a ticket show something other than
// what is there ("exe.pdf" that is "fdp.exe"); neither may reach the user from text Apuri did
// not write. Everything such text passes goes through one of the two functions here.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text cleans text that may span lines: newlines and tabs stay; a carriage return becomes a
// newline (a lone one would let a line overwrite itself in a terminal); every other control
// character, every escape sequence (whole, with its parameters and payload), every format
// character (bidi controls, zero-width characters) goes; invalid UTF-8 becomes U+FFFD.
func Text(s string) string {
	return clean(s)
}

// Line cleans text meant for one line, as Text does, and also turns every run of breaking
// white space (newlines and tabs included) into one space and trims it. No-break spaces stay:
// the translations put them between a number and its unit so that the two never part.
// With max > 0, a longer result is cut to max characters, the last of them an ellipsis.
func Line(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(clean(s), breaksLine), " ")
	if max > 0 && utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

// breaksLine says whether r is white space a line may break at: every kind but the no-break
// spaces.
func breaksLine(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' && r != '\u2007'
}

// Clean reports whether s passes Text unchanged: it holds nothing that Text would remove.
func Clean(s string) bool { return Text(s) == s }

const (
	esc = 0x1b
	bel = 0x07
	// The C1 introducers of the sequences that carry a string: DCS, SOS, OSC, PM, APC.
	c1DCS, c1SOS, c1CSI, c1ST, c1OSC, c1PM, c1APC = 0x90, 0x98, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f
)

// clean does the work of Text; Line folds the newlines and tabs it keeps.
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == esc:
			i = skipEscape(s, i+size)
			continue
		case r == c1CSI:
			i = skipCSI(s, i+size)
			continue
		case r == c1OSC || r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
			i = skipString(s, i+size)
			continue
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			if !strings.HasPrefix(s[i+size:], "\n") {
				b.WriteByte('\n')
			}
		case r == '\u2028' || r == '\u2029': // line and paragraph separators
			b.WriteByte('\n')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			// other C0 and C1 controls: dropped
		case unicode.Is(unicode.Cf, r):
			// format characters: bidi embeddings, overrides and isolates, zero-width ones
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain is the fast path: printable ASCII, newlines and tabs need no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// skipEscape returns the index after the escape sequence whose ESC ended just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediates 0x20–0x2F, then one final byte 0x30–0x7E.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips a control sequence's parameters (0x30–0x3F), intermediates (0x20–0x2F) and
// final byte (0x40–0x7E). A sequence cut short ends where its bytes stop fitting.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips the payload of an OSC, DCS, SOS, PM or APC sequence up to and including
// its terminator: BEL, ESC \ or the C1 string terminator. An unterminated one runs to the end
// of the text, as a terminal would take it: its payload (a window title, a link target) was
// never meant to be read as text.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == bel:
			return i + 1
		case s[i] == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // an ESC aborts the string and starts a sequence of its own
		case strings.HasPrefix(s[i:], string(rune(c1ST))):
			return i + len(string(rune(c1ST)))
		}
		i++
	}
	return i
}
