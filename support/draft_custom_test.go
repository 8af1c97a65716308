package support

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// TestDraftOfACustomCheck: the subject names the check by its title in the user's language,
// and the request is filed under the computer when the check looked at the computer itself.
func TestDraftOfACustomCheck(t *testing.T) {
	report := func(kind string) *diagnostics.Report {
		checks := []diagnostics.Result{{ID: "custom.antivirus", Group: diagnostics.GroupCustom, Status: diagnostics.StatusFail,
			Title:   map[string]string{"fi": "Virusmääritykset", "sv": "Virusdefinitionerna", "en": "Virus definitions"},
			Message: i18n.Msg("check.custom.file_missing", "title", map[string]string{"fi": "Virusmääritykset", "sv": "Virusdefinitionerna", "en": "Virus definitions"}),
			Details: map[string]any{diagnostics.DetailKind: kind}}}
		return &diagnostics.Report{Checks: checks, Verdict: diagnostics.Decide(checks)}
	}
	d := NewDraft(DraftOptions{Report: report("file"), Lang: "sv", Identity: &Identity{RealName: "Maija"}})
	if !strings.HasPrefix(d.Summary, "Virusdefinitionerna:") || d.Category != CategoryComputer {
		t.Errorf("summary %q, category %s", d.Summary, d.Category)
	}
	if !strings.Contains(d.Description, "”Virusdefinitionerna”") {
		t.Errorf("the description lacks the verdict:\n%s", d.Description)
	}
	if d := NewDraft(DraftOptions{Report: report("http"), Lang: "fi", Identity: &Identity{RealName: "Maija"}}); d.Category != CategoryService ||
		!strings.HasPrefix(d.Summary, "Virusmääritykset:") {
		t.Errorf("summary %q, category %s", d.Summary, d.Category)
	}
}
