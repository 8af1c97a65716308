package tray

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/selfhelp"
	"github.com/apuri-project/apuri/support"
)

// Services are IDs in lower case ("tokka", "m365-mail"); people read their titles. This test
// checks every sentence the tray, the verdict, the self-help ladder and the support request
// make about real service checks, in every language: each begins with a capital letter and
// none shows a check ID.

// servedBy starts a loopback server that answers with status, or hangs when status is 0.
func servedBy(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status == 0 {
			<-r.Context().Done()
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// closedURL is a loopback address nothing listens on.
func closedURL(t *testing.T) string { return "http://" + closedport.Addr(t) + "/" }

// serviceResults runs the profile's service checks, for real, against its loopback servers.
func serviceResults(t *testing.T, p *profile.Profile) []diagnostics.Result {
	t.Helper()
	var checks []diagnostics.Check
	for _, c := range diagnostics.Checks(p) {
		if strings.HasPrefix(c.ID(), diagnostics.ServicePrefix) {
			checks = append(checks, c)
		}
	}
	if len(checks) != len(p.Services) {
		t.Fatalf("%d service checks for %d services", len(checks), len(p.Services))
	}
	var events []diagnostics.Event
	runner := diagnostics.Runner{CheckTimeout: 500 * time.Millisecond, Total: 5 * time.Second}
	results := runner.Run(context.Background(), checks, func(e diagnostics.Event) { events = append(events, e) })
	for _, e := range events {
		if len(e.Title) == 0 {
			t.Errorf("the %s event of %s carries no title for its row", e.Kind, e.ID)
		}
	}
	return results
}

// lowerIDs are the service IDs that are not also ordinary words; none may show in a text.
var lowerIDs = regexp.MustCompile(`(?:^|[^\p{L}\p{N}-])(tokka|m365-mail|sap|hr-portal)(?:$|[^\p{L}\p{N}-])`)

// checkSentence fails a text that begins with a small letter or shows a check ID.
func checkSentence(t *testing.T, lang, what, text string) {
	t.Helper()
	if text == "" {
		return
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				t.Errorf("%s %s begins with a small letter: %q", lang, what, text)
			}
			break
		}
	}
	if strings.Contains(text, diagnostics.ServicePrefix) || lowerIDs.MatchString(text) {
		t.Errorf("%s %s shows a service's ID: %q", lang, what, text)
	}
}

func TestEverySentenceCallsServicesByTheirTitles(t *testing.T) {
	p := profile.Default()
	p.Services = []profile.Service{
		{Name: "tokka", URL: servedBy(t, http.StatusServiceUnavailable), LogoutURL: "https://tokka.example.org/logout"},
		{Name: "intranet", URL: servedBy(t, http.StatusUnauthorized), InstructionsURL: "https://top.example.org/intranet"},
		{Name: "m365-mail", URL: closedURL(t)},
		{Name: "sap", URL: servedBy(t, http.StatusOK), LogoutURL: "https://sap.example.org/logout"},
		{Name: "hr-portal", URL: servedBy(t, 0)},
		{Name: "pay", Title: profile.Title{FI: "Palkkapalvelu", SV: "Lönetjänsten", EN: "Payroll"}, URL: servedBy(t, http.StatusBadGateway)},
	}
	results := serviceResults(t, p)
	browsers := []selfhelp.Browser{{ID: "a.desktop", Name: "Firefox", Default: true}, {ID: "b.desktop", Name: "Chromium"}}

	for _, focus := range results {
		// One report per service: this service as it is, the others working.
		var checks []diagnostics.Result
		for _, r := range results {
			if r.ID != focus.ID {
				r.Status, r.Reason = diagnostics.StatusOK, ""
				r.Message = i18n.Msg("check.service.ok", "service", r.Title, "latency_ms", 12)
			}
			checks = append(checks, r)
		}
		name := strings.TrimPrefix(focus.ID, diagnostics.ServicePrefix)
		for _, lang := range i18n.Languages {
			tr := i18n.New(lang)
			rep := &diagnostics.Report{StartedAt: time.Now(), Checks: checks, Verdict: diagnostics.Decide(checks)}
			rep.Localize(tr)
			what := func(s string) string { return name + ": " + s }

			checkSentence(t, lang, what("verdict"), rep.Verdict.Summary)
			for i, a := range rep.Verdict.Advice {
				checkSentence(t, lang, what("advice "+strconv.Itoa(i+1)), a)
			}
			for _, c := range rep.Checks {
				checkSentence(t, lang, what("summary of "+c.ID), c.Summary)
				checkSentence(t, lang, what("row name of "+c.ID), diagnostics.CheckName(tr, c.ID, c.Title))
			}
			n := alertFor(rep, tr)
			checkSentence(t, lang, what("notification title"), n.Summary)
			for _, line := range strings.Split(n.Body, "\n") {
				checkSentence(t, lang, what("notification"), line)
			}
			checkSentence(t, lang, what("tray status"), StatusLine(agent.State{Report: rep}, tr))
			d := support.NewDraft(support.DraftOptions{Report: rep, Lang: lang, Identity: &support.Identity{Login: "maija"}})
			checkSentence(t, lang, what("request summary"), d.Summary)

			for _, s := range selfhelp.Ladder(rep, p, selfhelp.ForService(name), selfhelp.WithBrowsers(browsers)) {
				msgs := []*i18n.Message{&s.Title, &s.Why, s.Note, &s.Action.Label, s.Action.Confirm}
				for i := range s.More {
					msgs = append(msgs, &s.More[i].Label)
				}
				for _, m := range msgs {
					if m != nil && m.Key != "" {
						checkSentence(t, lang, what(string(s.ID)+" "+m.Key), tr.T(m.Key, m.Args))
					}
				}
			}
			if name == "pay" && !strings.Contains(rep.Verdict.Summary, map[string]string{"fi": "Palkkapalvelu", "sv": "Lönetjänsten", "en": "Payroll"}[lang]) {
				t.Errorf("%s: the verdict does not use the service's title: %q", lang, rep.Verdict.Summary)
			}
		}
	}
}
