//go:build linux

package winlab_test

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

const (
	serviceTitle = "Lab portal"
	day          = 24 * time.Hour
)

// trustRoot makes the machine trust ca for this test: on Windows Go verifies certificates with
// CryptoAPI against the system's stores, so the CA goes into the prefix's machine ROOT store,
// where an administrator's deployment puts an organisation's CA. The prefix is the test run's
// own; the host's trust store is never touched.
func trustRoot(t *testing.T, ca *lab.CA) {
	t.Cleanup(wine.TrustRoot(ca.Cert))
}

// TestWindowsCertificates is test/lab's TestCertificateVerdicts for Windows: the service over
// HTTPS with a certificate from a lab CA the machine trusts, made for each fault. CryptoAPI
// (Wine's crypt32) judges the chain, Go maps its answer to the same errors as on Linux, and the
// verdict must name the same cause and problem.
func TestWindowsCertificates(t *testing.T) {
	need(t)
	issue := func(names []string, from, to time.Duration) func(*lab.CA, string) (tls.Certificate, error) {
		return func(ca *lab.CA, _ string) (tls.Certificate, error) {
			now := time.Now()
			return ca.Issue(names, now.Add(from), now.Add(to))
		}
	}
	tests := []struct {
		name    string
		cert    func(trusted *lab.CA, dir string) (tls.Certificate, error)
		skew    time.Duration // every server's Date this far from this computer's clock
		cause   string
		status  string
		problem string
		words   []string
	}{
		{name: "expiring in 4 days", cert: issue([]string{lab.ServiceName}, -day, 4*day),
			cause: "degraded", status: "warn", words: []string{"security certificate", serviceTitle, "4\u00a0days"}},
		{name: "expired", cert: issue([]string{lab.ServiceName}, -30*day, -day),
			cause: "service_down", status: "fail", problem: "expired", words: []string{serviceTitle, "has expired", "clock is right"}},
		{name: "not valid yet", cert: issue([]string{lab.ServiceName}, day, 30*day),
			cause: "service_down", status: "fail", problem: "not_yet_valid", words: []string{serviceTitle, "not valid yet"}},
		{name: "another host's certificate", cert: issue([]string{"other.lab.test"}, -day, 90*day),
			cause: "service_down", status: "fail", problem: "wrong_name", words: []string{serviceTitle, "another address"}},
		{name: "issued by an unknown CA",
			cert: func(_ *lab.CA, dir string) (tls.Certificate, error) {
				stranger, err := lab.NewCA(dir, "Stranger CA")
				if err != nil {
					return tls.Certificate{}, err
				}
				return stranger.IssueValid([]string{lab.ServiceName}, 90*day)
			},
			cause: "service_down", status: "fail", problem: "unknown_authority", words: []string{serviceTitle, "not from a trusted issuer"}},
		// As in test/lab: servers two days behind and a certificate that ran out yesterday are,
		// to the client, its own clock two days fast with a certificate still valid.
		{name: "expired only by this computer's wrong clock", cert: issue([]string{lab.ServiceName}, -30*day, -day), skew: -2 * day,
			cause: "service_down", status: "fail", problem: "expired", words: []string{serviceTitle, "looks expired", "clock is wrong"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t)
			ca, site, err := l.ServeServiceCert(tt.cert, tt.skew)
			if err != nil {
				t.Fatal(err)
			}
			trustRoot(t, ca)
			o := winProfile(lab.ProfileOptions{ServiceHTTPS: true, ServiceTitle: serviceTitle})
			rep := diagnose(t, l, o).Report
			ev := []evidence{{id: idService, status: tt.status}}
			if tt.skew != 0 {
				ev = append(ev, evidence{id: idClock, status: "fail"})
			}
			checkVerdict(t, rep, tt.cause, ev)
			svc, _ := rep.Check(idService)
			if got, _ := svc.Details["tls_problem"].(string); got != tt.problem {
				t.Errorf("%s tls_problem = %q, want %q (%s)", idService, got, tt.problem, details(svc))
			}
			for _, w := range tt.words {
				if !strings.Contains(rep.Verdict.Summary, w) {
					t.Errorf("verdict %q does not say %q", rep.Verdict.Summary, w)
				}
			}
			if tt.problem == "" && site.Hits() == 0 {
				t.Error("the HTTPS service was never asked")
			}
		})
	}
}

// TestWindowsCertificateOfAnInspectingNetwork is test/lab's TestCertificateOfAnInspectingNetwork
// for Windows: the probe's certificate comes from the lab CA, which the machine trusts as a
// managed computer trusts its organisation's inspecting proxy. The internet works, and no
// public root vouches for the certificate.
func TestWindowsCertificateOfAnInspectingNetwork(t *testing.T) {
	l := newLab(t)
	ca, probe, err := l.ServeProbeInspected()
	if err != nil {
		t.Fatal(err)
	}
	trustRoot(t, ca)
	rep := diagnose(t, l, winProfile(lab.ProfileOptions{ProbeHTTPS: true})).Report
	checkVerdict(t, rep, "healthy", nil)
	inet, _ := rep.Check(idInternet)
	if v, _ := inet.Details["tls_inspection"].(bool); !v {
		t.Errorf("tls_inspection = %v, want true", inet.Details["tls_inspection"])
	}
	if issuer, _ := inet.Details["tls_issuer"].(string); issuer != "Apuri Lab CA" {
		t.Errorf("tls_issuer = %q, want the lab CA", issuer)
	}
	if probe.Hits() == 0 {
		t.Error("the HTTPS probe was never asked")
	}
}
