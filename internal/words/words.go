// Package words finds whole words in text: "TOP" is a service's name in "TOP is down" but not
// in "stop". Feeds of known disruptions are matched with it.
package words

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Index returns the byte index, in strings.ToLower(text), of the first whole-word occurrence
// of word, ignoring case, or -1. Whole means no letter or digit right before or after it.
func Index(text, word string) int {
	if word == "" {
		return -1
	}
	lt, lw := strings.ToLower(text), strings.ToLower(word)
	for from := 0; from <= len(lt); {
		i := strings.Index(lt[from:], lw)
		if i < 0 {
			return -1
		}
		start, end := from+i, from+i+len(lw)
		before, _ := utf8.DecodeLastRuneInString(lt[:start])
		after, _ := utf8.DecodeRuneInString(lt[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return start
		}
		_, size := utf8.DecodeRuneInString(lt[start:])
		from = start + size
	}
	return -1
}

// Contains reports whether word occurs in text as a whole word, ignoring case.
func Contains(text, word string) bool { return Index(text, word) >= 0 }

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
