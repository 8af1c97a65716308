package diagnostics

import (
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

func TestNoteDisruptions(t *testing.T) {
	p := &profile.Profile{Services: []profile.Service{
		{Name: "mail", Title: profile.Title{FI: "Sähköposti", SV: "E-post"}, URL: "https://posti.example.org/owa"},
		{Name: "intra", URL: "https://intra.example.org", ViaVPN: true},
	}}
	mailDown := with(res(ServicePrefix+"mail", GroupService, StatusFail, ""))
	vpnBroken := with(res(IDVPNInternal, GroupVPN, StatusFail, ""))
	noLink := with(res(IDInterfaces, GroupNetwork, StatusFail, ReasonNoLink))
	tests := []struct {
		name    string
		results []Result
		feed    []Disruption
		match   string // title of the disruption the verdict names, "" for none
	}{
		{"service named in the components", mailDown,
			[]Disruption{{Title: "Printing"}, {Title: "Delays", Components: []string{"Mail"}}}, "Delays"},
		{"service named in the title", mailDown, []Disruption{{Title: "MAIL is slow to load"}}, "MAIL is slow to load"},
		{"service's host in the text", mailDown,
			[]Disruption{{Title: "Web mail", Body: "posti.example.org answers with errors"}}, "Web mail"},
		{"service named by its title", mailDown, []Disruption{{Title: "Sähköposti ei toimi"}}, "Sähköposti ei toimi"},
		{"name only inside another word", mailDown, []Disruption{{Title: "Voicemail outage"}}, ""},
		{"VPN fault and a VPN bulletin", vpnBroken, []Disruption{{Title: "VPN-yhteydet katkeilevat"}}, "VPN-yhteydet katkeilevat"},
		{"a lower layer is not explained by a service bulletin", noLink, []Disruption{{Title: "mail down"}}, ""},
		{"healthy: nothing to explain", healthyResults(), []Disruption{{Title: "mail down"}}, ""},
		{"no feed", mailDown, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Checks: tt.results, Verdict: Decide(tt.results)}
			r.NoteDisruptions(tt.feed, p)
			if len(r.Disruptions) != len(tt.feed) {
				t.Errorf("report keeps %d disruptions, want %d", len(r.Disruptions), len(tt.feed))
			}
			got := ""
			if r.Verdict.Disruption != nil {
				got = r.Verdict.Disruption.Title
			}
			if got != tt.match {
				t.Fatalf("verdict's disruption = %q, want %q", got, tt.match)
			}
			known := slices.Contains(r.Verdict.AdviceKeys, adviceKnownDisruption)
			asks := slices.Contains(r.Verdict.AdviceKeys, "advice.ask_colleagues")
			if tt.match != "" && (!known || asks || r.Verdict.AdviceKeys[0] != adviceKnownDisruption) {
				t.Errorf("advice with a known disruption = %v", r.Verdict.AdviceKeys)
			}
			if tt.match == "" && known {
				t.Errorf("advice names a disruption that does not match: %v", r.Verdict.AdviceKeys)
			}
		})
	}
}

// A new reading of the feed replaces the old one, and a bulletin that ended takes its advice with it.
func TestNoteDisruptionsAgain(t *testing.T) {
	results := with(res(ServicePrefix+"mail", GroupService, StatusFail, ""))
	r := &Report{Checks: results, Verdict: Decide(results)}
	r.NoteDisruptions([]Disruption{{Title: "mail down", URL: "https://status.example.org/1"}}, nil)
	r.NoteDisruptions(nil, nil)
	if r.Verdict.Disruption != nil || len(r.Disruptions) != 0 ||
		!slices.Equal(r.Verdict.AdviceKeys, Advice(CauseServiceDown)) {
		t.Errorf("after the feed emptied: %+v", r.Verdict)
	}
}

func TestTextShowsDisruptions(t *testing.T) {
	results := with(res(ServicePrefix+"mail", GroupService, StatusFail, ""))
	r := &Report{Checks: results, Verdict: Decide(results)}
	r.NoteDisruptions([]Disruption{
		{Title: "Mail delays", URL: "https://status.example.org/1"},
		{Title: "Printing"},
	}, nil)
	r.Localize(fakeTranslator{})
	text := r.Text(fakeTranslator{})
	for _, want := range []string{"report.known_disruptionmap[title:Mail delays]", "report.bulletinmap[url:https://status.example.org/1]",
		"report.disruptionsmap[count:2]", "• Mail delays — https://status.example.org/1", "• Printing\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}
