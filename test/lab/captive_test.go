//go:build linux

package lab_test

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// TestCaptiveDNS: a guest network whose resolvers answer every name with its portal's address
// (dnsmasq address=/#/), and whose portal redirects every request to its login page. The probe
// reaches the portal instead of the internet: captive_portal, with the login page named.
func TestCaptiveDNS(t *testing.T) {
	l := newLab(t)
	portal, err := l.CaptiveDNS()
	if err != nil {
		t.Fatal(err)
	}
	probeHits := l.Probe.Hits() // the lab's own health check asked it once
	rep := diagnose(t, l, lab.ProfileOptions{}).Report
	if rep.Verdict.Cause != "captive_portal" {
		t.Errorf("verdict.cause = %q (%s), want captive_portal", rep.Verdict.Cause, rep.Verdict.Summary)
	}
	inet, _ := rep.Check(idInternet)
	login := "http://" + lab.PortalAddr + ":80" + lab.CaptiveLoginPath
	if got, _ := inet.Details["portal_url"].(string); !strings.HasPrefix(got, login) {
		t.Errorf("portal_url = %q, want the portal's login page %s", got, login)
	}
	if !strings.Contains(inet.Summary, login) {
		t.Errorf("%s says %q, want the login page %s named", idInternet, inet.Summary, login)
	}
	if portal.Hits() == 0 || l.Probe.Hits() != probeHits {
		t.Errorf("portal asked %d times, probe %d: want the portal, never the probe", portal.Hits(), l.Probe.Hits()-probeHits)
	}
	for _, id := range belowDNS {
		if c, _ := rep.Check(id); c.Status != "ok" {
			t.Errorf("%s = %q (%s), want ok", id, c.Status, c.Summary)
		}
	}
}
