package diagnostics

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// certificateWords are the word for a certificate and the service's title, per language.
var certificateWords = map[string][]string{
	"en": {"certificate", "Payroll"},
	"fi": {"varmenne", "Palkkajärjestelmä"},
	"sv": {"certifikat", "Lönesystemet"},
}

// checkCertificate runs a real service check against a loopback server with cert, trusting pool.
func checkCertificate(t *testing.T, cert *tls.Certificate, pool *x509.CertPool) Result {
	t.Helper()
	srv := quietServer(t, status(200), cert)
	svc := profile.Service{Name: "payroll", URL: srv.URL,
		Title: profile.Title{FI: "Palkkajärjestelmä", SV: "Lönesystemet", EN: "Payroll"}}
	c := newServiceCheck(&profile.Profile{Thresholds: profile.Thresholds{CertExpiryDays: 14}}, svc).(*serviceCheck)
	c.transport = trusting(pool)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := c.Run(ctx)
	// The runner names the result; here the test does.
	r.ID, r.Group = c.ID(), c.Group()
	r.Title = c.Title()
	return r
}

func TestCertificateVerdicts(t *testing.T) {
	ca := newTestCA(t, "Test Issuing CA")
	other := newTestCA(t, "Unknown CA")
	now := time.Now()
	lo := net.ParseIP("127.0.0.1")
	year := 365 * 24 * time.Hour
	expiring := ca.leaf(t, now.Add(-time.Hour), now.Add(4*24*time.Hour), nil, lo)
	expired := ca.leaf(t, now.Add(-year), now.Add(-3*24*time.Hour), nil, lo)
	notYet := ca.leaf(t, now.Add(2*24*time.Hour), now.Add(year), nil, lo)
	wrongHost := ca.leaf(t, now.Add(-time.Hour), now.Add(year), []string{"payroll.example"})
	unknown := other.leaf(t, now.Add(-time.Hour), now.Add(year), nil, lo)

	clock := func(s Status, reason string) Result { return res(IDClock, GroupSystem, s, reason) }
	tests := []struct {
		name   string
		cert   *tls.Certificate
		clock  Result
		cause  Cause
		status Status
		key    string
		words  map[string][]string // more words each language's sentence must hold
	}{
		{"expires in 4 days", &expiring, clock(StatusOK, ""), CauseDegraded, StatusWarn, "verdict.degraded.certificate_expiring",
			map[string][]string{"en": {"4\u00a0days", "renew"}, "fi": {"4\u00a0päivän", "uusittava"}, "sv": {"4\u00a0dagar", "förnya"}}},
		{"expired, clock right", &expired, clock(StatusOK, ""), CauseServiceDown, StatusFail, "verdict.service_down.certificate_expired.clock_right",
			map[string][]string{"en": {"expired", "clock is right"}, "fi": {"vanhentunut", "kello on oikeassa"}, "sv": {"gått ut", "klocka går rätt"}}},
		{"expired, clock wrong", &expired, clock(StatusFail, ReasonClockSkew), CauseServiceDown, StatusFail, "verdict.service_down.certificate_expired.clock_wrong",
			map[string][]string{"en": {"expired", "clock is wrong"}, "fi": {"vanhentuneelta", "kello on väärässä"}, "sv": {"gått ut", "klocka går fel"}}},
		{"expired, clock not checked", &expired, clock(StatusSkip, ReasonNoReference), CauseServiceDown, StatusFail, "verdict.service_down.certificate_expired.clock_unknown",
			map[string][]string{"en": {"expired", "could not be checked"}, "fi": {"vanhentunut", "ei voitu tarkistaa"}, "sv": {"gått ut", "kunde inte kontrolleras"}}},
		{"not valid yet, clock right", &notYet, clock(StatusOK, ""), CauseServiceDown, StatusFail, "verdict.service_down.certificate_not_yet_valid.clock_right",
			map[string][]string{"en": {"not valid yet"}, "fi": {"ei ole vielä voimassa"}, "sv": {"gäller inte ännu"}}},
		{"wrong host", &wrongHost, clock(StatusOK, ""), CauseServiceDown, StatusFail, "verdict.service_down.certificate_wrong_name",
			map[string][]string{"en": {"another address"}, "fi": {"toiselle osoitteelle"}, "sv": {"annan adress"}}},
		{"unknown issuer", &unknown, clock(StatusOK, ""), CauseServiceDown, StatusFail, "verdict.service_down.certificate_unknown_authority",
			map[string][]string{"en": {"trusted issuer"}, "fi": {"luotetulta myöntäjältä"}, "sv": {"betrodd utfärdare"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := checkCertificate(t, tt.cert, ca.pool)
			v := Decide(append(with(tt.clock), svc))
			if v.Cause != tt.cause || v.Status != tt.status || v.Message.Key != tt.key {
				t.Fatalf("verdict %s/%s/%s, want %s/%s/%s (check %s/%s %v)", v.Cause, v.Status, v.Message.Key,
					tt.cause, tt.status, tt.key, svc.Status, svc.Reason, svc.Details)
			}
			if want := !strings.HasSuffix(tt.key, ".clock_wrong"); v.AboutCertificate() != want {
				t.Errorf("AboutCertificate = %v, want %v", v.AboutCertificate(), want)
			}
			if len(v.Evidence) != 1 || v.Evidence[0] != svc.ID {
				t.Errorf("evidence = %v", v.Evidence)
			}
			for lang, words := range certificateWords {
				sentence := i18n.New(lang).Message(v.Message)
				for _, w := range append(words, tt.words[lang]...) {
					if !strings.Contains(sentence, w) {
						t.Errorf("%s sentence %q lacks %q", lang, sentence, w)
					}
				}
			}
			for _, a := range v.AdviceKeys {
				if a == "advice.relogin_service" || a == "advice.other_browser" {
					t.Errorf("advice %v sends the user after a certificate problem that is not theirs", v.AdviceKeys)
				}
			}
		})
	}
}

// A warning about the connection still says the connection, even beside an expiring certificate
// further up: the lower layer explains more.
func TestConnectionWarningComesBeforeTheCertificate(t *testing.T) {
	cert := res(ServicePrefix+"payroll", GroupService, StatusWarn, ReasonCertExpiring)
	v := Decide(append(with(res(IDGateway, GroupNetwork, StatusWarn, ReasonLoss)), cert))
	if v.Cause != CauseDegraded || v.Message.Key != "verdict.degraded.path_loss_local" || v.AboutCertificate() {
		t.Fatalf("verdict %s/%s", v.Cause, v.Message.Key)
	}
}

func TestEveryCertificateVerdictIsTranslated(t *testing.T) {
	for _, lang := range []string{"en", "fi", "sv"} {
		tr := i18n.New(lang)
		for _, key := range CertificateVerdictKeys {
			if got := tr.T(key, map[string]any{"service": "S", "days": 4}); got == key {
				t.Errorf("%s: %s is not translated", lang, key)
			}
		}
	}
}
