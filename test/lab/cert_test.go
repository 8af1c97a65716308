//go:build linux

package lab_test

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// serviceTitle is the lab service's title in the certificate tests: the sentences must name the
// service as people do.
const serviceTitle = "Lab portal"

const day = 24 * time.Hour

// certCase is one certificate fault: the service served over HTTPS with the certificate made
// by cert, and what the verdict must say about it in each language.
type certCase struct {
	name string
	// cert makes the service's certificate; trusted is the CA the apuri process trusts.
	cert  func(trusted *lab.CA, dir string) (tls.Certificate, error)
	skew  time.Duration // every server's Date this far from this computer's clock
	cause string
	// problem is the service check's tls_problem ("" for a certificate that is still valid).
	problem string
	status  string // the service check's status
	words   map[string][]string
}

func validFor(lasts time.Duration) func(*lab.CA, string) (tls.Certificate, error) {
	return func(ca *lab.CA, _ string) (tls.Certificate, error) {
		return ca.IssueValid([]string{lab.ServiceName}, lasts)
	}
}

func validBetween(from, to time.Duration) func(*lab.CA, string) (tls.Certificate, error) {
	return func(ca *lab.CA, _ string) (tls.Certificate, error) {
		now := time.Now()
		return ca.Issue([]string{lab.ServiceName}, now.Add(from), now.Add(to))
	}
}

// TestCertificateVerdicts serves the service over HTTPS with a certificate made for each
// fault by a lab CA that only the apuri process trusts, and checks that the verdict names the
// cause, says *certificate*, names the service by its title, and says which problem it is, in
// English, Finnish and Swedish.
func TestCertificateVerdicts(t *testing.T) {
	need(t)
	tests := []certCase{
		{
			name: "expiring in 4 days", cert: validFor(4 * day), cause: "degraded", status: "warn",
			words: map[string][]string{
				"en": {"security certificate", serviceTitle, "4\u00a0days"},
				"fi": {"varmenne", serviceTitle, "4\u00a0päivän"},
				"sv": {"Säkerhetscertifikatet", serviceTitle, "4\u00a0dagar"},
			},
		},
		{
			name: "expired", cert: validBetween(-30*day, -day), cause: "service_down", status: "fail", problem: "expired",
			words: map[string][]string{
				"en": {"security certificate", serviceTitle, "has expired", "clock is right"},
				"fi": {"varmenne", serviceTitle, "vanhentunut", "kello on oikeassa ajassa"},
				"sv": {"Säkerhetscertifikatet", serviceTitle, "har gått ut", "klocka går rätt"},
			},
		},
		{
			name: "not valid yet", cert: validBetween(day, 30*day), cause: "service_down", status: "fail", problem: "not_yet_valid",
			words: map[string][]string{
				"en": {"security certificate", serviceTitle, "not valid yet", "clock is right"},
				"fi": {"varmenne", serviceTitle, "ei ole vielä voimassa", "kello on oikeassa ajassa"},
				"sv": {"Säkerhetscertifikatet", serviceTitle, "gäller inte ännu", "klocka går rätt"},
			},
		},
		{
			name: "another host's certificate",
			cert: func(ca *lab.CA, _ string) (tls.Certificate, error) {
				return ca.IssueValid([]string{"other.lab.test"}, 90*day)
			},
			cause: "service_down", status: "fail", problem: "wrong_name",
			words: map[string][]string{
				"en": {"security certificate", serviceTitle, "another address"},
				"fi": {"varmenne", serviceTitle, "toiselle osoitteelle"},
				"sv": {"Säkerhetscertifikatet", serviceTitle, "en annan adress"},
			},
		},
		{
			name: "issued by an unknown CA",
			cert: func(_ *lab.CA, dir string) (tls.Certificate, error) {
				stranger, err := lab.NewCA(dir, "Stranger CA")
				if err != nil {
					return tls.Certificate{}, err
				}
				return stranger.IssueValid([]string{lab.ServiceName}, 90*day)
			},
			cause: "service_down", status: "fail", problem: "unknown_authority",
			words: map[string][]string{
				"en": {"security certificate", serviceTitle, "not from a trusted issuer"},
				"fi": {"varmenne", serviceTitle, "ei ole luotetulta myöntäjältä"},
				"sv": {"Säkerhetscertifikatet", serviceTitle, "betrodd utfärdare"},
			},
		},
		{
			// This computer's clock cannot be set from inside a test, and a network namespace
			// has no clock of its own. The client sees nothing but the servers' Date headers
			// and the certificate's dates, so servers whose clocks say two days ago, and a
			// certificate that ran out yesterday, are to the client exactly its own clock two
			// days fast while the certificate is still valid.
			name: "expired only by this computer's wrong clock", cert: validBetween(-30*day, -day), skew: -2 * day,
			cause: "service_down", status: "fail", problem: "expired",
			words: map[string][]string{
				"en": {"security certificate", serviceTitle, "looks expired", "clock is wrong"},
				"fi": {"varmenne", serviceTitle, "vanhentuneelta", "kello on väärässä"},
				"sv": {"Säkerhetscertifikatet", serviceTitle, "ser ut att ha gått ut", "klocka går fel"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			ca, tlsSite, err := l.ServeServiceCert(tt.cert, tt.skew)
			if err != nil {
				t.Fatal(err)
			}
			o := lab.ProfileOptions{ServiceHTTPS: true, ServiceTitle: serviceTitle}
			for _, lang := range []string{"en", "fi", "sv"} {
				r := diagnoseEnv(t, l, o, append(ca.Env(), langEnv(lang)...))
				rep := r.Report
				if rep.Verdict.Cause != tt.cause {
					t.Errorf("%s: verdict.cause = %q, want %q (%s)", lang, rep.Verdict.Cause, tt.cause, rep.Verdict.Summary)
				}
				for _, w := range tt.words[lang] {
					if !strings.Contains(rep.Verdict.Summary, w) {
						t.Errorf("%s: verdict %q does not say %q", lang, rep.Verdict.Summary, w)
					}
				}
				svc, _ := rep.Check(idService)
				if svc.Status != tt.status {
					t.Errorf("%s = %q (%s), want %q", idService, svc.Status, svc.Summary, tt.status)
				}
				if got, _ := svc.Details["tls_problem"].(string); got != tt.problem {
					t.Errorf("%s tls_problem = %q, want %q", idService, got, tt.problem)
				}
				if tt.skew != 0 {
					if c, _ := rep.Check(idClock); c.Status != "fail" {
						t.Errorf("%s = %q (%s), want fail: the servers' clocks are %v off", idClock, c.Status, c.Summary, tt.skew)
					}
				}
			}
			if tlsSite.Hits() == 0 && tt.problem == "" {
				t.Errorf("the HTTPS service was never asked")
			}
		})
	}
}

// langEnv makes the apuri process read and write in lang, as a user's locale would.
func langEnv(lang string) []string {
	loc := map[string]string{"en": "en_GB.UTF-8", "fi": "fi_FI.UTF-8", "sv": "sv_FI.UTF-8"}[lang]
	return []string{"LANG=" + loc, "LANGUAGE=" + lang}
}

// TestCertificateOfAnInspectingNetwork serves the internet probe over HTTPS with a certificate
// from the lab CA, which the apuri process trusts as a managed computer trusts its
// organisation's inspecting proxy: the internet works, and the probe's details say that no
// public CA issued the certificate, and who did.
func TestCertificateOfAnInspectingNetwork(t *testing.T) {
	l := newLab(t)
	ca, probe, err := l.ServeProbeInspected()
	if err != nil {
		t.Fatal(err)
	}
	r := diagnoseEnv(t, l, lab.ProfileOptions{ProbeHTTPS: true}, ca.Env())
	rep := r.Report
	if rep.Verdict.Cause != "healthy" {
		t.Errorf("verdict.cause = %q (%s), want healthy: inspection is normal on a managed network", rep.Verdict.Cause, rep.Verdict.Summary)
	}
	inet, _ := rep.Check(idInternet)
	if inet.Status != "ok" {
		t.Errorf("%s = %q (%s), want ok", idInternet, inet.Status, inet.Summary)
	}
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
