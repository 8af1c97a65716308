package selfhelp

import (
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// A disruption the organisation's monitoring detected answers "is it only me?" with how many
// others at the site and since when, when its cause is the verdict's; another cause does not.
func TestDetectedDisruptionAnswersTheColleaguesStep(t *testing.T) {
	started := time.Date(2026, 3, 2, 9, 3, 0, 0, time.Local)
	detected := func(cause diagnostics.Cause, affected int) []diagnostics.Disruption {
		return []diagnostics.Disruption{{Title: "ApuriSiteDisruption", Started: started,
			Detected: &diagnostics.Detection{Site: "turku-office", Cause: cause, Affected: affected}}}
	}
	vpnReport := func() *diagnostics.Report {
		return &diagnostics.Report{Verdict: diagnostics.Verdict{Cause: diagnostics.CauseVPNBroken,
			Status: diagnostics.StatusFail, Evidence: []string{diagnostics.IDVPNInternal}}}
	}

	r := vpnReport()
	r.NoteDisruptions(detected(diagnostics.CauseVPNBroken, 15), nil)
	if r.Verdict.Disruption == nil {
		t.Fatal("a detected disruption of the verdict's cause does not explain it")
	}
	s := find(t, Ladder(r, nil), StepColleagues)
	want := map[string]string{
		"en": "14 others at your site have lost the VPN connection since 09:03. It was detected automatically; no one had to report it.",
		"fi": "Toimipisteessäsi VPN-yhteys on katkennut 14 muulta 9.03 lähtien. Se havaittiin automaattisesti, eikä kenenkään tarvinnut ilmoittaa siitä.",
		"sv": "14 andra på din arbetsplats har förlorat VPN-anslutningen sedan 9.03. Det upptäcktes automatiskt; ingen behövde anmäla det.",
	}
	for lang, w := range want {
		if got := i18n.New(lang).Message(s.Why); got != w {
			t.Errorf("%s: %q, want %q", lang, got, w)
		}
	}
	if s.Title.Key != "selfhelp.step.known_disruption" || !s.Recommended {
		t.Errorf("the colleagues step is %s, recommended %v", s.Title.Key, s.Recommended)
	}

	r = vpnReport()
	r.NoteDisruptions(detected(diagnostics.CauseVPNBroken, 2), nil)
	if got := find(t, Ladder(r, nil), StepColleagues).Why.Key; got != "selfhelp.why.colleagues_detected_vpn_one" {
		t.Errorf("with one other: %s", got)
	}

	r = vpnReport()
	r.NoteDisruptions(detected(diagnostics.CauseDNSFailure, 15), nil)
	if r.Verdict.Disruption != nil {
		t.Error("a detected disruption of another cause explains the verdict")
	}
	if got := find(t, Ladder(r, nil), StepColleagues).Why.Key; got == "selfhelp.why.colleagues_detected_vpn" {
		t.Errorf("another cause's detection answers the step: %s", got)
	}
}
