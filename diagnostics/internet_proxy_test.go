package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// fixedChoice answers every address with one proxy choice.
type fixedChoice netproxy.Choice

func (f fixedChoice) For(context.Context, *url.URL) netproxy.Choice { return netproxy.Choice(f) }

// failingTrip is a way to the web that is closed, as where the firewall lets only the proxy out.
type failingTrip struct{}

func (failingTrip) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("direct web blocked")
}

// proxyServer is a loopback forward proxy that answers every request, and every CONNECT, with
// the given status; 200 passes plain requests on to the page (served by page).
func proxyServer(t *testing.T, status int, page http.Handler) *url.URL {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status != http.StatusOK || r.Method == http.MethodConnect {
			if status == http.StatusProxyAuthRequired {
				w.Header().Set("Proxy-Authenticate", `Basic realm="proxy"`)
			}
			w.WriteHeader(status)
			fmt.Fprint(w, "proxy says no")
			return
		}
		page.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	u, _ := url.Parse(s.URL)
	return u
}

// TestInternetProxyDecision runs the probe through a real loopback proxy that misbehaves in one
// way each, with the direct way open or closed, and holds the verdict to docs/report.md's
// decision table.
func TestInternetProxyDecision(t *testing.T) {
	page := httptest.NewServer(inetAnswer(200, "success"))
	t.Cleanup(page.Close)
	down, _ := url.Parse("http://" + closedport.Addr(t))
	tests := []struct {
		name     string
		proxy    *url.URL
		target   string
		directOK bool
		reason   string
		problem  string
		cause    Cause
	}{
		{"proxy down, direct works", down, page.URL, true, ReasonProxyDown, ProxyDown, CauseProxyFailure},
		{"proxy down, direct blocked", down, page.URL, false, ReasonProxyDown, ProxyDown, CauseProxyFailure},
		{"407, direct blocked", proxyServer(t, 407, nil), page.URL, false, ReasonProxyAuth, ProxyAuth, CauseProxyFailure},
		{"403, direct blocked", proxyServer(t, 403, nil), page.URL, false, ReasonProxyRefused, ProxyRefused, CauseProxyFailure},
		{"CONNECT refused with 403", proxyServer(t, 403, nil), "https://probe.invalid/", false, ReasonProxyRefused, ProxyRefused, CauseProxyFailure},
		{"CONNECT wants a password", proxyServer(t, 407, nil), "https://probe.invalid/", false, ReasonProxyAuth, ProxyAuth, CauseProxyFailure},
		{"proxy cannot reach the page, nor can direct", proxyServer(t, 502, nil), page.URL, false, ReasonUnreachable, "", CauseInternetUnreach},
		{"proxy cannot reach the page, direct can", proxyServer(t, 504, nil), page.URL, true, ReasonProxyRefused, ProxyRefused, CauseProxyFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testInternetCheck(profile.Network{InternetURL: tt.target, InternetExpect: "success"}, proxiedTransport(netproxy.Direct()))
			c.client.Transport.(*http.Transport).Proxy = http.ProxyURL(tt.proxy)
			c.proxies = fixedChoice{Proxy: tt.proxy, Source: netproxy.SourcePAC}
			if tt.directOK {
				c.direct = noRedirectClient(http.DefaultTransport.(*http.Transport).Clone())
				c.url = page.URL // the direct way reaches the real page
			} else {
				c.direct = noRedirectClient(failingTrip{})
			}
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != StatusFail || r.Reason != tt.reason {
				t.Fatalf("got %s %q, want fail %q; details %v", r.Status, r.Reason, tt.reason, r.Details)
			}
			if got, _ := r.Details[DetailProxyProblem].(string); got != tt.problem {
				t.Errorf("proxy_problem = %q, want %q", got, tt.problem)
			}
			if r.Details[DetailDirectOK] != tt.directOK {
				t.Errorf("direct_ok = %v, want %v", r.Details[DetailDirectOK], tt.directOK)
			}
			if r.Details[DetailProxy] != "http://"+tt.proxy.Host || r.Details[DetailProxySource] != "pac" {
				t.Errorf("proxy details %v %v", r.Details[DetailProxy], r.Details[DetailProxySource])
			}
			r.ID, r.Group = IDInternet, GroupNetwork
			v := Decide([]Result{r})
			if v.Cause != tt.cause {
				t.Errorf("verdict %s, want %s", v.Cause, tt.cause)
			}
			if v.Cause == CauseProxyFailure && v.Message.Args["proxy"] != "http://"+tt.proxy.Host {
				t.Errorf("the verdict does not name the proxy: %v", v.Message.Args)
			}
		})
	}
}

// TestInternetProxyWorks: through a working proxy nothing is tried directly.
func TestInternetProxyWorks(t *testing.T) {
	page := httptest.NewServer(inetAnswer(200, "success"))
	t.Cleanup(page.Close)
	pu := proxyServer(t, 200, inetAnswer(200, "success"))
	c := testInternetCheck(profile.Network{InternetURL: "http://probe.invalid/", InternetExpect: "success"}, proxiedTransport(netproxy.Direct()))
	c.client.Transport.(*http.Transport).Proxy = http.ProxyURL(pu)
	c.proxies = fixedChoice{Proxy: pu, Source: netproxy.SourceEnv}
	c.direct = noRedirectClient(failingTrip{})
	r := c.Run(context.Background())
	if r.Status != StatusOK || r.Details[DetailProxySource] != "env" {
		t.Fatalf("got %s %v", r.Status, r.Details)
	}
	if _, tried := r.Details[DetailDirectOK]; tried {
		t.Error("the direct way was tried though the proxy worked")
	}
}

// TestDecideProxied holds the decision table itself: what the proxied attempt showed, and
// whether the direct one worked.
func TestDecideProxied(t *testing.T) {
	choice := netproxy.Choice{Proxy: &url.URL{Scheme: "http", Host: "proxy.example:3128"}, Source: netproxy.SourceGNOME}
	unreachable := Fail(i18n.Msg("check.internet.unreachable", "error", "x")).Because(ReasonUnreachable)
	gateway := unreachable.Detail(DetailStatus, 502)
	tls := Fail(i18n.Msg("check.internet.tls", "error", "x")).Because(ReasonUnreachable).Detail(DetailErrorKind, ErrorKindTLS)
	down := proxyFailed(Result{}, ProxyDown, choice)
	auth := proxyFailed(Result{}, ProxyAuth, choice)
	tests := []struct {
		name     string
		proxied  Result
		directOK bool
		reason   string
	}{
		{"target unreachable both ways", unreachable, false, ReasonUnreachable},
		{"proxy 502, direct fails", gateway, false, ReasonUnreachable},
		{"no answer through the proxy, direct works", unreachable, true, ReasonProxyDown},
		{"proxy 502, direct works", gateway, true, ReasonProxyRefused},
		{"certificate refused through the proxy, direct works", tls, true, ReasonProxyRefused},
		{"proxy down, direct fails", down, false, ReasonProxyDown},
		{"proxy down, direct works", down, true, ReasonProxyDown},
		{"proxy wants a password, direct works", auth, true, ReasonProxyAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decideProxied(tt.proxied, choice, tt.directOK)
			if r.Reason != tt.reason || r.Details[DetailDirectOK] != tt.directOK {
				t.Errorf("got %q direct_ok=%v, want %q", r.Reason, r.Details[DetailDirectOK], tt.reason)
			}
			if isProxyReason(r.Reason) && r.Message.Args["proxy"] != "http://proxy.example:3128" {
				t.Errorf("message %v does not name the proxy", r.Message)
			}
		})
	}
}
