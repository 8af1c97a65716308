package diagnostics

import (
	"net/url"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/netproxy"
)

// TestProxyVerdictSaysWhatTheProxyDid: the verdict names the proxy and what it did, in every
// language, whichever check found it; and it sits between DNS and the captive portal.
func TestProxyVerdictSaysWhatTheProxyDid(t *testing.T) {
	choice := netproxy.Choice{Proxy: &url.URL{Scheme: "http", Host: "proxy.example.fi:3128"}, Source: netproxy.SourceWindows}
	says := map[string]map[string]string{
		ProxyDown:    {"en": "doesn't answer", "fi": "ei vastaa", "sv": "svarar inte"},
		ProxyRefused: {"en": "refuses", "fi": "ei välitä", "sv": "vägrar"},
		ProxyAuth:    {"en": "sign in", "fi": "kirjautumisen", "sv": "inloggning"},
	}
	for _, problem := range ProxyProblems {
		inet := proxyFailed(Result{}, problem, choice)
		inet.ID, inet.Group = IDInternet, GroupNetwork
		r := &Report{Checks: with(inet)}
		r.Verdict = Decide(r.Checks)
		if r.Verdict.Cause != CauseProxyFailure || r.Verdict.Status != StatusFail {
			t.Fatalf("%s: verdict %s %s", problem, r.Verdict.Cause, r.Verdict.Status)
		}
		for lang, word := range says[problem] {
			r.Localize(i18n.New(lang))
			if !strings.Contains(r.Verdict.Summary, "http://proxy.example.fi:3128") || !strings.Contains(r.Verdict.Summary, word) {
				t.Errorf("%s in %s: %q does not name the proxy and say %q", problem, lang, r.Verdict.Summary, word)
			}
			if len(r.Verdict.Advice) == 0 || strings.HasPrefix(r.Verdict.Advice[0], "advice.") {
				t.Errorf("%s in %s: advice %q", problem, lang, r.Verdict.Advice)
			}
		}
	}
	svc := Fail(i18n.Msg("check.service.proxy", "service", "Intra", "proxy", "http://p:1")).Because(ReasonProxyDown)
	svc.ID, svc.Group = ServicePrefix+"intra", GroupService
	if v := Decide([]Result{svc}); v.Cause != CauseProxyFailure || v.Message.Args["proxy"] != "http://p:1" {
		t.Errorf("a service behind a broken proxy: %s %v", v.Cause, v.Message.Args)
	}
	dns := res(IDDNS, GroupNetwork, StatusFail, ReasonNoAnswer)
	if v := Decide([]Result{svc, dns}); v.Cause != CauseDNSFailure {
		t.Errorf("DNS below the proxy: got %s", v.Cause)
	}
	portal := res(IDInternet, GroupNetwork, StatusFail, ReasonCaptivePortal)
	if v := Decide([]Result{portal, svc}); v.Cause != CauseProxyFailure {
		t.Errorf("the proxy below the captive portal: got %s", v.Cause)
	}
}
