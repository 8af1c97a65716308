package selfhelp

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// answerWords open a sentence that answers a yes-or-no question.
var answerWords = []string{"yes", "no", "kyllä", "ei", "ja", "nej"}

// TestStepsAnswerOnlyWhatTheyAsk reads every step as the help window shows it, in every language:
// a step's text never opens with a yes or a no, which answers a question nobody asked, and a
// step whose title asks a question ("Not urgent? Make a request") is never followed by a text
// that says the opposite. A known disruption answers "is it only me?" in the title itself.
func TestStepsAnswerOnlyWhatTheyAsk(t *testing.T) {
	reports := []struct {
		name string
		r    *diagnostics.Report
		opts []Option
	}{
		{"healthy", report(), nil},
		{"server error", report(service("mail", diagnostics.StatusFail, 502, "http_status")), nil},
		{"no answer", report(service("mail", diagnostics.StatusFail, 0, "timeout")), nil},
		{"known disruption", knownDisruption(report(service("mail", diagnostics.StatusFail, 502, "http_status"))), nil},
		{"known, answers here", knownDisruption(report()), []Option{ForService("mail")}},
	}
	for _, lang := range i18n.Languages {
		tr := i18n.New(lang)
		for _, rep := range reports {
			name := rep.name
			for _, s := range Ladder(rep.r, profile.Default(), rep.opts...) {
				title, why := tr.Message(s.Title), tr.Message(s.Why)
				first := strings.ToLower(strings.TrimRight(strings.Fields(why + " x")[0], ",.:!"))
				for _, w := range answerWords {
					if first == w {
						t.Errorf("%s, %s: step %q answers a question it did not ask: %q", lang, name, title, why)
					}
				}
				if strings.HasPrefix(name, "known") {
					switch s.ID {
					case StepColleagues:
						if s.Why.Key != "selfhelp.why.known_disruption" {
							t.Errorf("%s, %s: the colleagues step does not tell of the bulletin: %q", lang, name, why)
						}
						if s.Title.Key == "selfhelp.step.colleagues" {
							t.Errorf("%s, %s: the step asks to check with colleagues although the bulletin already answers it", lang, name)
						}
					case StepRequest:
						if s.Why.Key != "selfhelp.why.request_known" {
							t.Errorf("%s, %s: the request step does not say support knows: %q", lang, name, why)
						}
						if strings.Contains(title, "?") {
							t.Errorf("%s, %s: the request step asks %q, then says no request is needed: %q", lang, name, title, why)
						}
					}
				}
			}
		}
	}
}
