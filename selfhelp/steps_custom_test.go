package selfhelp

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

var (
	newsTitle  = profile.Title{FI: "Intran uutiset", SV: "Intranätets nyheter", EN: "Intranet news"}
	newsAdvice = profile.Title{FI: "Kysy tiimisi vetäjältä, näkyvätkö uutiset hänelle.",
		SV: "Fråga din teamledare om nyheterna syns för hen.", EN: "Ask your team lead whether the news shows for them."}
)

// customProfile is the organisation's profile with two checks of its own.
func customProfile() *profile.Profile {
	p := orgProfile()
	p.Checks = []profile.CustomCheck{
		{ID: "news", Title: newsTitle, Kind: profile.CheckHTTP, URL: "https://intra.example.fi/news", Severity: profile.SeverityFail,
			Advice: newsAdvice, Fix: []string{"/usr/bin/apuri-news-cache", "--clear"}},
		{ID: "quiet", Title: profile.Title{Text: "Quiet"}, Kind: profile.CheckTCP, Address: "intra.example.fi:443", Severity: profile.SeverityFail},
	}
	return p
}

func customResult(id string, st diagnostics.Status) diagnostics.Result {
	return check(diagnostics.CustomPrefix+id, st, "check.custom.http_body", "title", newsTitle.Value()).
		Because(diagnostics.ReasonMismatch)
}

func TestACustomCheckLeadsWithItsAdviceAndFix(t *testing.T) {
	r := report(customResult("news", diagnostics.StatusFail), customResult("quiet", diagnostics.StatusFail))
	if r.Verdict.Cause != diagnostics.CauseCustomCheck {
		t.Fatalf("verdict %s", r.Verdict.Cause)
	}
	steps := Ladder(r, customProfile())
	first := steps[0]
	if first.ID != StepCustomCheck || first.Check != "news" || first.Key() != "custom_check:news" || !first.Recommended {
		t.Fatalf("the first step is %+v", first)
	}
	for lang, want := range map[string]string{"fi": newsAdvice.FI, "sv": newsAdvice.SV, "en": newsAdvice.EN} {
		tr := i18n.New(lang)
		if got := tr.Message(first.Title); got != want {
			t.Errorf("%s: step %q, want the advice %q", lang, got, want)
		}
		if why := tr.Message(first.Why); !strings.Contains(why, newsTitle.In(lang)) {
			t.Errorf("%s: why %q does not name the check", lang, why)
		}
	}
	a := first.Action
	if a.Kind != ActionCustomFix || a.Check != "news" || !slices.Equal(a.Command, []string{"/usr/bin/apuri-news-cache", "--clear"}) || a.Confirm == nil {
		t.Fatalf("action %+v", a)
	}
	if q := i18n.New("fi").Message(*a.Confirm); !strings.Contains(q, "/usr/bin/apuri-news-cache --clear") || !strings.Contains(q, "Intran uutiset") {
		t.Errorf("the confirmation does not show the command and the check: %q", q)
	}
	// A check without advice or fix adds nothing of its own: the general steps cover it.
	for _, s := range steps {
		if s.ID == StepCustomCheck && s.Check == "quiet" {
			t.Errorf("a step for a check with nothing to say: %+v", s)
		}
	}
}

// TestACustomCheckFollowsABrokenLayerBelow: with no network at all, the news page fails too;
// connecting comes first, the organisation's advice after it.
func TestACustomCheckFollowsABrokenLayerBelow(t *testing.T) {
	noLink := check(diagnostics.IDInterfaces, diagnostics.StatusFail, "check.interfaces.no_link").Because(diagnostics.ReasonNoLink)
	steps := Ladder(report(noLink, customResult("news", diagnostics.StatusFail)), customProfile())
	i := slices.IndexFunc(steps, func(s Step) bool { return s.ID == StepCustomCheck })
	if steps[0].ID != StepConnectNetwork || i <= 0 {
		t.Errorf("steps start %s, the custom check's at %d", steps[0].ID, i)
	}
	if steps := Ladder(report(), customProfile()); slices.ContainsFunc(steps, func(s Step) bool { return s.ID == StepCustomCheck }) {
		t.Error("a healthy report has a custom check's step")
	}
}

func TestRunFix(t *testing.T) {
	var ran [][]string
	r := &Remedies{Run: func(_ context.Context, name string, args ...string) error {
		ran = append(ran, append([]string{name}, args...))
		return nil
	}}
	a := fixAction("news", newsTitle.Value().(map[string]string), []string{"/usr/bin/apuri-news-cache", "--clear"})
	if err := r.Do(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 1 || !slices.Equal(ran[0], []string{"/usr/bin/apuri-news-cache", "--clear"}) {
		t.Errorf("ran %q", ran)
	}
	for _, argv := range [][]string{{"sudo", "systemctl", "restart", "x"}, {"pkexec", "x"}, {"sh", "-c", "rm -rf ~"}, nil} {
		a.Command = argv
		err := r.Do(context.Background(), a)
		if !errors.Is(err, ErrRefusedCommand) {
			t.Errorf("%q: err %v", argv, err)
		}
		if msg := ErrorMessage(err); msg.Key != "selfhelp.error.refused_command" {
			t.Errorf("%q: message %s", argv, msg.Key)
		}
	}
	if len(ran) != 1 {
		t.Errorf("a refused fix ran: %q", ran)
	}
}
