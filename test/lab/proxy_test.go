//go:build linux

package lab_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// desktopEnv is one way the lab's proxy is configured for the apuri process alone.
type desktopEnv struct {
	name   string
	source string // the proxy_source the checks must report
	env    func(t *testing.T, l *lab.Lab) []string
}

var (
	viaEnv  = desktopEnv{"environment", "env", func(*testing.T, *lab.Lab) []string { return lab.ProxyEnv() }}
	viaKDE  = desktopEnv{"KDE kioslaverc", "kde", kde(lab.KDEManual)}
	viaWPAD = desktopEnv{"KDE detecting the script by WPAD", "wpad", func(t *testing.T, l *lab.Lab) []string {
		if err := l.SetSearchDomain("lab.test"); err != nil {
			t.Fatal(err)
		}
		return kde(lab.KDEWPAD)(t, l)
	}}
	viaGNOMEManual = desktopEnv{"GNOME manual", "gnome", gnome(lab.GNOMEManual)}
	viaGNOMEPAC    = desktopEnv{"GNOME auto with a PAC script", "pac", gnome(lab.GNOMEAuto)}
)

// kde writes KDE's kioslaverc with the given proxy settings.
func kde(settings []string) func(t *testing.T, l *lab.Lab) []string {
	return func(t *testing.T, l *lab.Lab) []string {
		dir, err := lab.KDEProxyConfig(l.Dir, settings)
		if err != nil {
			t.Fatal(err)
		}
		return []string{"XDG_CONFIG_HOME=" + dir}
	}
}

// gnome sets GNOME's proxy settings with gsettings in a private D-Bus session with dconf.
func gnome(keys [][3]string) func(t *testing.T, l *lab.Lab) []string {
	return func(t *testing.T, l *lab.Lab) []string {
		if m := lab.MissingGNOME(); m != "" {
			if os.Getenv("CI") == "true" {
				t.Fatalf("GNOME settings need %s", m)
			}
			t.Skipf("GNOME settings need %s", m)
		}
		dir, err := lab.GNOMEProxyConfig(l.Dir, keys)
		if err != nil {
			t.Fatal(err)
		}
		return []string{"XDG_CONFIG_HOME=" + dir}
	}
}

// TestProxyHealthy: where the router lets the web out only through the proxy, a desktop that
// names the proxy (in any of the ways a browser reads) keeps every check healthy, and each
// check that went to the web says it went through the proxy and who chose it.
func TestProxyHealthy(t *testing.T) {
	need(t)
	for _, d := range []desktopEnv{viaEnv, viaGNOMEManual, viaGNOMEPAC, viaKDE, viaWPAD} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if err := l.BlockDirectWeb(); err != nil {
				t.Fatal(err)
			}
			env := d.env(t, l)
			r := diagnoseEnv(t, l, lab.ProfileOptions{}, env)
			checkCause(t, r, causeCase{
				cause: "healthy", exit: 0,
				okBelow: append(slices.Clone(belowService), idService, idIntranet, idClock),
			})
			for _, id := range []string{idInternet, idService, idClock} {
				c, _ := r.Report.Check(id)
				if c.Details["proxy"] != lab.ProxyURL || c.Details["proxy_source"] != d.source {
					t.Errorf("%s went through %v chosen by %v, want %s by %s", id, c.Details["proxy"], c.Details["proxy_source"], lab.ProxyURL, d.source)
				}
			}
			if c, _ := r.Report.Check(idIntranet); c.Details["proxy"] != "none" {
				t.Errorf("the intranet went through %v, want direct", c.Details["proxy"])
			}
			if l.Proxy.Hits() == 0 {
				t.Error("the proxy saw no request")
			}
		})
	}
}

// TestProxyFaults breaks the proxy (or what is behind it) in one real way each, with the proxy
// named in the environment.
func TestProxyFaults(t *testing.T) {
	need(t)
	for _, tt := range lab.ProxyFaults {
		t.Run(tt.Name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if tt.BlockDirect {
				if err := l.BlockDirectWeb(); err != nil {
					t.Fatal(err)
				}
			}
			if err := tt.Fault(l); err != nil {
				t.Fatal(err)
			}
			r := diagnoseEnv(t, l, lab.ProfileOptions{}, lab.ProxyEnv())
			checkCause(t, r, causeCase{
				cause: tt.Cause, exit: 1,
				evidence: []evidence{{id: idInternet, status: "fail", reason: tt.Reason}},
				okBelow:  belowInternet,
			})
			c, _ := r.Report.Check(idInternet)
			t.Logf("verdict: %s; %s: %s %v", r.Report.Verdict.Summary, c.ID, c.Summary, c.Log)
			if c.Details["direct_ok"] != tt.DirectOK {
				t.Errorf("direct_ok = %v, want %v", c.Details["direct_ok"], tt.DirectOK)
			}
			for _, w := range tt.Words {
				if !strings.Contains(r.Report.Verdict.Summary, w) {
					t.Errorf("the verdict %q does not say %q", r.Report.Verdict.Summary, w)
				}
			}
			verdictSays(t, r.Report, tt.WordsIn)
		})
	}
}

// TestProxyNotConfigured is the other side of TestProxyHealthy: with the web open only through
// the proxy and no setting naming it, the internet is unreachable and no proxy was chosen.
func TestProxyNotConfigured(t *testing.T) {
	l := newLab(t)
	if err := l.BlockDirectWeb(); err != nil {
		t.Fatal(err)
	}
	r := diagnoseEnv(t, l, lab.ProfileOptions{}, nil)
	checkCause(t, r, causeCase{
		cause: "internet_unreachable", exit: 1,
		evidence: []evidence{{id: idInternet, status: "fail", reason: "unreachable", detail: `"proxy_source":"none"`}},
		okBelow:  belowInternet,
	})
	if l.Proxy.Hits() != 0 {
		t.Errorf("the proxy saw %d requests though nothing names it", l.Proxy.Hits())
	}
}
