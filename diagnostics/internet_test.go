package diagnostics

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

const inetDate = "Wed, 25 Nov 2026 10:00:00 GMT"

// inetServer is the internet test page, or whatever a network puts in its place.
func inetServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", inetDate)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s.URL + "/canonical.html"
}

func inetAnswer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func testInternetCheck(nw profile.Network, rt http.RoundTripper) *internetCheck {
	c := newInternetCheck(&profile.Profile{Network: nw, Thresholds: profile.Thresholds{LatencyMS: 300}}).(*internetCheck)
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = nil
		rt = t
	}
	c.client = noRedirectClient(rt)
	c.direct = noRedirectClient(rt)
	c.proxies = nil
	return c
}

func TestInternet(t *testing.T) {
	expect := func(u string) profile.Network { return profile.Network{InternetURL: u, InternetExpect: "success"} }
	byStatus := func(u string) profile.Network { return profile.Network{InternetURL: u, InternetStatus: 204} }
	closed := fmt.Sprintf("http://127.0.0.1:%s/canonical.html", netClosedPort(t))
	tests := []struct {
		name    string
		network profile.Network
		status  Status
		reason  string
		key     string
		portal  string // wanted Details[portal_url]; "probe" means the probed URL
	}{
		{
			name:    "the known page",
			network: expect(inetServer(t, inetAnswer(200, "<html>success</html>"))),
			status:  StatusOK, key: "check.internet.ok",
		},
		{
			name: "a portal redirects to its login page",
			network: expect(inetServer(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://login.portal.example/start?orig=x", http.StatusFound)
			})),
			status: StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "http://login.portal.example/start?orig=x",
		},
		{
			name:    "a portal answers 511 with a link",
			network: expect(inetServer(t, inetAnswer(511, `<html><meta http-equiv="refresh" content="0; url=https://wifi.hotel.example/login"></html>`))),
			status:  StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "https://wifi.hotel.example/login",
		},
		{
			name:    "a portal answers 511 without a link",
			network: expect(inetServer(t, inetAnswer(511, "log in first"))),
			status:  StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "probe",
		},
		{
			name:    "a portal serves its own page in place of the known one",
			network: expect(inetServer(t, inetAnswer(200, `<form action="https://wifi.example/accept">Accept the terms</form>`))),
			status:  StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "https://wifi.example/accept",
		},
		{
			name:    "a block page without a link",
			network: expect(inetServer(t, inetAnswer(403, "blocked by policy"))),
			status:  StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "probe",
		},
		{
			name:    "the test server has an error",
			network: expect(inetServer(t, inetAnswer(500, "oops"))),
			status:  StatusFail, reason: "unreachable", key: "check.internet.server_error",
		},
		{
			name:    "a proxy wants credentials",
			network: expect(inetServer(t, inetAnswer(407, ""))),
			status:  StatusFail, reason: "proxy_auth", key: "check.internet.proxy_auth",
		},
		{
			name:    "known status",
			network: byStatus(inetServer(t, inetAnswer(204, ""))),
			status:  StatusOK, key: "check.internet.ok",
		},
		{
			name:    "a 200 where 204 is known is a portal",
			network: byStatus(inetServer(t, inetAnswer(200, "welcome"))),
			status:  StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "probe",
		},
		{
			name:    "text and status must both match",
			network: profile.Network{InternetURL: inetServer(t, inetAnswer(200, "success")), InternetExpect: "success", InternetStatus: 204},
			status:  StatusFail, reason: ReasonCaptivePortal, key: "check.internet.captive_portal", portal: "probe",
		},
		{
			name:    "nothing listens",
			network: expect(closed),
			status:  StatusFail, reason: "unreachable", key: "check.internet.unreachable",
		},
		{
			name:    "no test address in the profile",
			network: profile.Network{},
			status:  StatusSkip, key: "check.internet.no_url",
		},
		{
			name:    "an address that cannot be requested",
			network: expect("http://[::1"),
			status:  StatusSkip, key: "check.internet.bad_url",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testInternetCheck(tt.network, nil).Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s\n%v", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key, r.Details)
			}
			want := tt.portal
			if want == "probe" {
				want = tt.network.InternetURL
			}
			if got, _ := r.Details[DetailPortalURL].(string); got != want {
				t.Errorf("portal_url = %q, want %q", got, want)
			}
			if want != "" && r.Message.Args["portal"] != want {
				t.Errorf("message portal = %v", r.Message.Args["portal"])
			}
			if _, answered := r.Details["status"]; answered && r.Details["server_date"] != "2026-11-25T10:00:00Z" {
				t.Errorf("server_date = %v", r.Details["server_date"])
			}
		})
	}
}

func TestInternetDoesNotFollowRedirects(t *testing.T) {
	hits := make(chan string, 10)
	u := inetServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits <- r.URL.Path
		if r.URL.Path == "/canonical.html" {
			http.Redirect(w, r, "/login", http.StatusTemporaryRedirect)
			return
		}
		fmt.Fprint(w, "success")
	})
	r := testInternetCheck(profile.Network{InternetURL: u, InternetExpect: "success"}, nil).Run(context.Background())
	assertContract(t, r)
	if r.Reason != ReasonCaptivePortal || r.Details["location"] != strings.TrimSuffix(u, "/canonical.html")+"/login" {
		t.Errorf("got %s %v", r.Reason, r.Details)
	}
	if len(hits) != 1 {
		t.Errorf("%d requests: the redirect was followed", len(hits))
	}
}

func TestInternetSlowServerAndShortDeadline(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	u := inetServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	r := testInternetCheck(profile.Network{InternetURL: u, InternetExpect: "success"}, nil).Run(ctx)
	assertContract(t, r)
	if r.Status != StatusFail || r.Reason != "unreachable" || r.Details["error_kind"] != "timeout" {
		t.Errorf("got %s/%s %v", r.Status, r.Reason, r.Details)
	}
}

func TestInternetSlowAnswerWarns(t *testing.T) {
	c := testInternetCheck(profile.Network{InternetURL: inetServer(t, inetAnswer(200, "success")), InternetExpect: "success"}, nil)
	c.now = dnsStepClock(450 * time.Millisecond)
	r := c.Run(context.Background())
	assertContract(t, r)
	if r.Status != StatusWarn || r.Reason != "slow" || r.Message.Args["latency_ms"] != 450.0 {
		t.Errorf("got %s/%s %v", r.Status, r.Reason, r.Message.Args)
	}
}

// TestInternetThroughProxy sends the probe through a loopback proxy, as ProxyFromEnvironment
// would on a corporate network; the probed host itself is never contacted.
func TestInternetThroughProxy(t *testing.T) {
	seen := make(chan string, 1)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.URL.String()
		fmt.Fprint(w, "success")
	}))
	t.Cleanup(proxy.Close)
	pu, _ := url.Parse(proxy.URL)
	withCreds := *pu
	withCreds.User = url.UserPassword("matti", "secret")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = func(*http.Request) (*url.URL, error) { return pu, nil }

	c := testInternetCheck(profile.Network{InternetURL: "http://probe.invalid/canonical.html", InternetExpect: "success"}, tr)
	c.proxies = fixedChoice{Proxy: &withCreds, Source: netproxy.SourceGNOME}
	r := c.Run(context.Background())
	assertContract(t, r)
	if r.Status != StatusOK {
		t.Fatalf("got %s %v", r.Status, r.Details)
	}
	if got := <-seen; got != "http://probe.invalid/canonical.html" {
		t.Errorf("proxy saw %q", got)
	}
	if r.Details["proxy"] != proxy.URL {
		t.Errorf("proxy detail = %v, want %s without credentials", r.Details["proxy"], proxy.URL)
	}
	if r.Details["proxy_source"] != "gnome" {
		t.Errorf("proxy_source = %v, want gnome", r.Details["proxy_source"])
	}
}

func TestInternetDefaultTransportUsesDesktopProxy(t *testing.T) {
	c := newInternetCheck(&profile.Profile{Network: profile.Network{InternetURL: "http://probe.invalid/"}}).(*internetCheck)
	tr, ok := c.client.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil || c.proxies == nil || !tr.DisableKeepAlives || tr.OnProxyConnectResponse == nil {
		t.Fatalf("transport %#v", c.client.Transport)
	}
	if d, ok := c.direct.Transport.(*http.Transport); !ok || d.Proxy != nil {
		t.Fatalf("the direct transport %#v goes through a proxy", c.direct.Transport)
	}
	if c.client.CheckRedirect == nil {
		t.Error("the client follows redirects")
	}
}

func TestPortalLink(t *testing.T) {
	probe, _ := url.Parse("http://probe.example/canonical.html")
	tests := []struct {
		name, body, want string
	}{
		{"meta refresh", `<meta http-equiv="refresh" content="0;URL='http://portal.example/login'">`, "http://portal.example/login"},
		{"link", `<a href="https://portal.example/terms">terms</a>`, "https://portal.example/terms"},
		{"script", `<script>window.location.href = "https://portal.example/"</script>`, "https://portal.example/"},
		{"relative links only", `<a href="/login">log in</a>`, "http://probe.example/canonical.html"},
		{"nothing", `hello`, "http://probe.example/canonical.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := portalLink([]byte(tt.body), probe); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInternetUntrustedCertificate(t *testing.T) {
	s := httptest.NewUnstartedServer(inetAnswer(200, "success"))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	s.StartTLS()
	t.Cleanup(s.Close)
	r := testInternetCheck(profile.Network{InternetURL: s.URL, InternetExpect: "success"}, nil).Run(context.Background())
	assertContract(t, r)
	if r.Status != StatusFail || r.Message.Key != "check.internet.tls" || r.Details["error_kind"] != "tls" {
		t.Errorf("got %s/%s %v", r.Status, r.Message.Key, r.Details)
	}
}

func TestInternetErrorKind(t *testing.T) {
	_, refused := net.Dial("tcp", "127.0.0.1:"+netClosedPort(t))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"dns", &url.Error{Op: "Get", URL: "http://x", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}, "dns"},
		{"timeout", &url.Error{Op: "Get", URL: "http://x", Err: context.DeadlineExceeded}, "timeout"},
		{"refused", &url.Error{Op: "Get", URL: "http://x", Err: refused}, "refused"},
		{"other", fmt.Errorf("boom"), "connect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := internetErrorKind(tt.err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// BenchmarkInternetHealthy measures one probe of a loopback test page on a fresh connection.
func BenchmarkInternetHealthy(b *testing.B) {
	s := httptest.NewServer(inetAnswer(200, "success"))
	b.Cleanup(s.Close)
	c := newInternetCheck(&profile.Profile{Network: profile.Network{InternetURL: s.URL, InternetExpect: "success"}}).(*internetCheck)
	for b.Loop() {
		if r := c.Run(context.Background()); r.Status != StatusOK {
			b.Fatalf("%s %v", r.Status, r.Details)
		}
	}
}
