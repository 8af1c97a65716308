//go:build linux

package lab_test

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// verdictSays holds the verdict's sentence in each language of words to those words, each
// sentence rendered from the run's report as every view renders it (lab.Report.VerdictIn).
func verdictSays(t *testing.T, rep *lab.Report, words map[string][]string) {
	t.Helper()
	for lang, want := range words {
		sentence := rep.VerdictIn(lang)
		if strings.HasPrefix(sentence, "verdict.") || strings.Contains(sentence, "{{") || strings.Contains(sentence, "<no value>") {
			t.Errorf("%s: the verdict did not render: %q", lang, sentence)
			continue
		}
		for _, w := range want {
			if !strings.Contains(sentence, w) {
				t.Errorf("%s verdict %q does not say %q", lang, sentence, w)
			}
		}
	}
}
