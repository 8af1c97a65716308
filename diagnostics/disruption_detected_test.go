package diagnostics

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

// A detected disruption is headed by its problem and how many computers have it; a cause whose
// words would name a service, which a detection cannot, gets the general words instead.
func TestDetectedDisruptionHeading(t *testing.T) {
	tr := i18n.New("en")
	written := Disruption{Title: "Mail is down"}
	if got := written.Heading(tr); got != "Mail is down" {
		t.Errorf("a written disruption's heading = %q", got)
	}
	cases := map[Cause]string{
		CauseVPNBroken:   "Internal services can't be reached through the VPN: detected automatically from 7 computers at your site",
		CauseServiceDown: "Connection problems: detected automatically from 7 computers at your site",
		"no_such_cause":  "Connection problems: detected automatically from 7 computers at your site",
	}
	for cause, want := range cases {
		d := Disruption{Title: "ApuriSiteDisruption", Detected: &Detection{Site: "turku-office", Cause: cause, Affected: 7}}
		if got := d.Heading(tr); got != want {
			t.Errorf("%s: %q, want %q", cause, got, want)
		}
	}
	for _, lang := range []string{"fi", "sv"} {
		d := Disruption{Detected: &Detection{Cause: CauseNoLink, Affected: 7}}
		if got := d.Heading(i18n.New(lang)); !strings.Contains(got, "7") || strings.Contains(got, "disruption.") {
			t.Errorf("%s: %q", lang, got)
		}
	}
}
