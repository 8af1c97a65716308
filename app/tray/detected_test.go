package tray

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/i18n"
)

// A disruption the organisation's Alertmanager detected shows in the tray, in the user's
// language, as detected automatically.
func TestTheTrayShowsADetectedDisruption(t *testing.T) {
	st := agent.State{Disruptions: &disruptions.State{Disruptions: []diagnostics.Disruption{{
		Title:    "ApuriSiteDisruption turku-office vpn_broken",
		Detected: &diagnostics.Detection{Site: "turku-office", Cause: diagnostics.CauseVPNBroken, Affected: 14}}}}}
	it, ok := disruptionsItem(st, i18n.New("fi"))
	if !ok {
		t.Fatal("no known-disruption item")
	}
	want := "havaittu automaattisesti 14 tietokoneelta toimipisteessäsi"
	if !strings.Contains(it.Tooltip, want) || strings.Contains(it.Tooltip, "ApuriSiteDisruption") {
		t.Errorf("tooltip %q, want one that says %q", it.Tooltip, want)
	}
}
