package diagnostics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
)

// hostile is what a server, a certificate or a feed may put in text that Apuri quotes: a
// terminal title change, a colour, a right-to-left override and a bell.
const hostile = "evil\x1b]0;pwned\x07 \x1b[31mred\x1b[0m \u202Efdp.exe\a"

// Whatever a check quotes from outside, its result carries no control, escape or bidi
// characters: not in the message arguments, the details (however nested) or the log.
func TestRunnerCleansWhatChecksQuote(t *testing.T) {
	servers := []string{hostile} // the check's own list, which the runner must not change
	check := funcCheck{id: "quoting", run: func(ctx context.Context) Result {
		Logf(ctx, "server said %s", hostile)
		return Fail(i18n.Msg("check.service.unreachable", "service", "top", "error", hostile)).
			Detail("error", hostile).
			Detail("servers", servers).
			Detail("nested", map[string]any{"list": []any{hostile, 3}}).
			Detail("count", 3)
	}}
	res := Runner{CheckTimeout: time.Second, Total: time.Second}.Run(context.Background(), []Check{check}, nil)[0]
	texts := []string{res.Message.Args["error"].(string), res.Details["error"].(string),
		res.Details["servers"].([]string)[0], res.Details["nested"].(map[string]any)["list"].([]any)[0].(string)}
	texts = append(texts, res.Log...)
	for _, s := range texts {
		if !safetext.Clean(s) || !strings.Contains(s, "evil red fdp.exe") {
			t.Errorf("not cleaned, or cleaned away: %q", s)
		}
	}
	if servers[0] != hostile {
		t.Error("the runner changed the check's own list")
	}
	if res.Details["count"] != 3 {
		t.Errorf("a number changed: %v", res.Details["count"])
	}
}

// The report's text is what meets the terminal: a disruption or a summary from elsewhere
// (the agent, a file) is cleaned there again.
func TestTextCleansQuotedText(t *testing.T) {
	results := with(res(ServicePrefix+"mail", GroupService, StatusFail, ""))
	r := &Report{Checks: results, Verdict: Decide(results)}
	r.NoteDisruptions([]Disruption{{Title: "Mail " + hostile, URL: "https://status.example.org/1"}}, nil)
	r.Localize(fakeTranslator{})
	r.Checks[0].Summary = "summary " + hostile
	text := r.Text(fakeTranslator{})
	if !safetext.Clean(text) || strings.ContainsAny(text, "\x1b\a\u202E") {
		t.Errorf("unsafe text:\n%q", text)
	}
	if !strings.Contains(text, "• Mail evil red fdp.exe") {
		t.Errorf("the title was lost:\n%s", text)
	}
}
