package words

import "testing"

func TestIndex(t *testing.T) {
	tests := []struct {
		name, text, word string
		want             int
	}{
		{"whole word", "TOP is down", "top", 0},
		{"inside another word", "please stop", "top", -1},
		{"later whole occurrence", "stop: TOP down", "top", 6},
		{"punctuation around", "(Tokka), slow", "tokka", 1},
		{"letters with diacritics bound words", "häiriöTOP", "top", -1},
		{"phrase", "Work in progress now", "in progress", 5},
		{"empty word", "anything", "", -1},
		{"not found", "all good", "vpn", -1},
		{"word at the end", "broken VPN", "vpn", 7},
		{"case ignored", "Resolved - fixed", "RESOLVED", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Index(tt.text, tt.word); got != tt.want {
				t.Errorf("Index(%q, %q) = %d, want %d", tt.text, tt.word, got, tt.want)
			}
		})
	}
}
