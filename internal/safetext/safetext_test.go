package safetext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text stays", "Palvelu TOP ei toimi.\n\tKorjataan.", "Palvelu TOP ei toimi.\n\tKorjataan."},
		{"letters of every language stay", "Lösenord för Åbo – häiriö, 東京 😀", "Lösenord för Åbo – häiriö, 東京 😀"},
		{"colour sequence goes whole", "\x1b[1;31mRED\x1b[0m text", "RED text"},
		{"cursor movement goes", "ok\x1b[2K\x1b[1Ghidden", "okhidden"},
		{"window title (OSC with BEL) goes with its payload", "a\x1b]0;pwned\x07b", "ab"},
		{"hyperlink (OSC 8 with ST) keeps only its text", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"unterminated OSC runs to the end", "title\x1b]2;rest of it", "title"},
		{"two-byte escape goes", "a\x1bcb\x1b(Bc", "abc"},
		{"ESC at the end goes", "end\x1b", "end"},
		{"C1 CSI goes whole", "a\u009b31mb", "ab"},
		{"C1 OSC goes up to its terminator", "a\u009d0;x\u009cb", "ab"},
		{"C0 controls go", "bell\x07 null\x00 bs\x08 del\x7f", "bell null bs del"},
		{"carriage return turns into a newline", "shown\rhidden", "shown\nhidden"},
		{"CRLF is one newline", "a\r\nb", "a\nb"},
		{"right-to-left override goes", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"isolates and marks go", "\u2066a\u2067b\u2068c\u2069\u200E\u200F\u061Cd", "abcd"},
		{"embeddings go", "\u202Aa\u202Bb\u202Cc\u202Dd", "abcd"},
		{"zero-width and other format characters go", "pay\u200Bpal\u200D\uFEFF\u00AD!", "paypal!"},
		{"tag characters go", "x\U000E0041\U000E007Fy", "xy"},
		{"line separators become newlines", "a\u2028b\u2029c", "a\nb\nc"},
		{"invalid UTF-8 is replaced", "bad \xff\xfe byte", "bad \uFFFD byte"},
		{"a lone C1 byte is invalid UTF-8", "x\x9by", "x\uFFFDy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"white space folds", "  TOP\n\tdown \r\n again ", 0, "TOP down again"},
		{"escape and bidi go", "\x1b[31mVPN\x1b[0m \u202Edown", 0, "VPN down"},
		{"short enough stays", "Häiriö", 6, "Häiriö"},
		{"too long is cut with an ellipsis", "Häiriöilmoitus", 7, "Häiriö…"},
		{"no limit", strings.Repeat("a", 500), 0, strings.Repeat("a", 500)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in, tc.max); got != tc.want {
				t.Errorf("Line(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	if !Clean("Tokka ei vastaa.\n") || Clean("a\u202Eb") || Clean("\x1b[0m") {
		t.Error("Clean disagrees with Text")
	}
}

// unsafeRune is what neither function may ever let through.
func unsafeRune(r rune, multiLine bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !multiLine
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == '\u2028' || r == '\u2029':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// FuzzSafeText: whatever comes in, what goes out is valid UTF-8 without controls, escapes or
// format characters, and cleaning it again changes nothing.
func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"\x1b[31mred", "\x1b]0;t\x07", "\u202Eabc", "a\rb", "\xff", "\u009b1m", "\x1bP q\x1b\\", "plain"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max % 200
		text := Text(s)
		line := Line(s, max)
		for name, out := range map[string]string{"Text": text, "Line": line} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q is not valid UTF-8", name, s, out)
			}
			for _, r := range out {
				if unsafeRune(r, name == "Text") {
					t.Fatalf("%s(%q) = %q keeps %U", name, s, out, r)
				}
			}
		}
		if strings.ContainsRune(text, 0x1b) {
			t.Fatalf("an escape survived: %q", text)
		}
		if again := Text(text); again != text {
			t.Fatalf("Text is not idempotent: %q → %q → %q", s, text, again)
		}
		if again := Line(line, max); again != line {
			t.Fatalf("Line is not idempotent: %q → %q → %q", s, line, again)
		}
		if max > 0 && utf8.RuneCountInString(line) > max {
			t.Fatalf("Line(%q, %d) = %q is longer than %d", s, max, line, max)
		}
	})
}

// A no-break space keeps a number with its unit in every line Apuri shows; Line must not turn
// it into a space a line may break at, while ordinary white space still folds.
func TestLineKeepsNoBreakSpaces(t *testing.T) {
	in := "Vastaus 12\u00a0ms,\tkuorma 7\u202f%\n seuraava"
	want := "Vastaus 12\u00a0ms, kuorma 7\u202f% seuraava"
	if got := Line(in, 0); got != want {
		t.Errorf("Line(%q) = %q, want %q", in, got, want)
	}
}
