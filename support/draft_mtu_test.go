package support

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// mtuReport: only packets of at most 1240 bytes get through to the intranet.
func mtuReport(viaVPN bool) *diagnostics.Report {
	checks := []diagnostics.Result{{ID: diagnostics.ServicePrefix + "intra", Group: diagnostics.GroupService,
		Status: diagnostics.StatusFail, Reason: diagnostics.ReasonPathMTU, Title: map[string]string{"fi": "Intranet", "sv": "Intranet", "en": "Intranet"},
		Message: i18n.Msg("check.service.path_mtu", "service", "Intranet", "bytes", 1240),
		Details: map[string]any{diagnostics.DetailViaVPN: viaVPN, diagnostics.DetailPathMTUBytes: 1240}}}
	return &diagnostics.Report{Checks: checks, Verdict: diagnostics.Decide(checks)}
}

// Support reads "MTU / fragmentation" and where, in the subject and the text, with the largest
// packet that passed; the user's own sentence says it is not their fault.
func TestDraftTellsSupportAboutMTU(t *testing.T) {
	for _, tt := range []struct {
		lang     string
		viaVPN   bool
		category string
		summary  string
		contains []string
	}{
		{"en", false, CategoryNetwork, "MTU / fragmentation on the path to Intranet",
			[]string{"not your fault", "MTU / fragmentation on the network path to Intranet", "largest packet that passed was 1240\u00a0bytes"}},
		{"en", true, CategoryVPN, "MTU / fragmentation in the VPN",
			[]string{"MTU / fragmentation in the VPN on the way to Intranet", "1240\u00a0bytes"}},
		{"fi", true, CategoryVPN, "MTU / fragmentointi VPN-yhteydessä",
			[]string{"Vika ei ole sinun", "Suurin läpi mennyt paketti oli 1240\u00a0tavua"}},
		{"sv", false, CategoryNetwork, "MTU / fragmentering på vägen till Intranet",
			[]string{"Det största paketet som gick fram var 1240\u00a0byte"}},
	} {
		id := testIdentity()
		d := NewDraft(DraftOptions{Report: mtuReport(tt.viaVPN), Lang: tt.lang, Identity: &id})
		if !strings.Contains(d.Summary, tt.summary) || d.Category != tt.category {
			t.Errorf("%s via VPN %v: summary %q, category %s", tt.lang, tt.viaVPN, d.Summary, d.Category)
		}
		for _, s := range tt.contains {
			if !strings.Contains(d.Description, s) {
				t.Errorf("%s via VPN %v: description lacks %q:\n%s", tt.lang, tt.viaVPN, s, d.Description)
			}
		}
	}
	// Another verdict gets no such line.
	if d := NewDraft(DraftOptions{Report: normalReport(), Lang: "en"}); strings.Contains(d.Description, "MTU") {
		t.Errorf("a service_down draft speaks of MTU:\n%s", d.Description)
	}
}
