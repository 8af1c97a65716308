package diagnostics

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// internetCheck fetches a page whose answer is known, without following redirects: the real
// internet gives the known answer; a hotel or train network that wants a login (a captive
// portal) redirects, answers 511, or serves its own page instead.
type internetCheck struct {
	url    string
	expect string
	status int
	// client goes the way the browser would (through the desktop's proxy); direct goes
	// without any proxy, to tell a broken proxy from a broken internet. Neither follows
	// redirects: the redirect is the evidence.
	client, direct *http.Client
	// proxies is asked again only to report the choice the transport makes.
	proxies proxyChooser
	latency time.Duration
	maxBody int64
	now     func() time.Time
}

func newInternetCheck(p *profile.Profile) Check {
	// Corporate networks often allow the web only through a proxy, so the probe goes the way
	// the browser goes: through the proxy the environment or the desktop's settings choose.
	px := netproxy.Shared()
	direct := newTransport() // a fresh connection every time, resolved past a dead nameserver
	direct.Proxy = nil
	return &internetCheck{
		url:     p.Network.InternetURL,
		expect:  p.Network.InternetExpect,
		status:  p.Network.InternetStatus,
		client:  noRedirectClient(proxiedTransport(px)),
		direct:  noRedirectClient(direct),
		proxies: px,
		latency: netLatencyLimit(p),
		maxBody: 64 << 10,
		now:     time.Now,
	}
}

// noRedirectClient returns a client that hands back a redirect instead of following it.
func noRedirectClient(t http.RoundTripper) *http.Client {
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func (c *internetCheck) ID() string   { return IDInternet }
func (c *internetCheck) Group() Group { return GroupNetwork }

func (c *internetCheck) Run(ctx context.Context) Result {
	if c.url == "" {
		return Skip(i18n.Msg("check.internet.no_url"))
	}
	target, err := url.Parse(c.url)
	if err != nil {
		Logf(ctx, "bad internet_url %q: %v", c.url, err)
		return Skip(i18n.Msg("check.internet.bad_url", "error", err.Error()))
	}
	choice := netproxy.Choice{Source: netproxy.SourceNone}
	if c.proxies != nil {
		if px, ok := c.proxies.(interface {
			Config(context.Context) netproxy.Config
		}); ok {
			// Support staff ask first where the proxy settings came from and what they say.
			Logf(ctx, "proxy settings: %s", px.Config(ctx).Describe())
		}
		choice = c.proxies.For(ctx, target)
	}
	if choice.Problem != nil {
		Logf(ctx, "the proxy settings could not decide, going direct as a browser does: %v", choice.Problem)
	}
	if choice.Proxy == nil {
		return c.fetch(ctx, c.direct, choice)
	}
	pctx, cancel := proxiedShare(ctx)
	proxied := c.fetch(pctx, c.client, choice)
	cancel()
	if proxied.Status != StatusFail || proxied.Reason == ReasonCaptivePortal || c.direct == nil {
		return proxied
	}
	// Only the way without the proxy tells a broken proxy from a broken internet.
	Logf(ctx, "through the proxy it failed; trying without it")
	// A direct way that hangs must end before the check's deadline, so that the proxy's failure
	// is reported rather than the runner's timeout.
	dctx, cancel := withMargin(ctx)
	direct := c.fetch(dctx, c.direct, netproxy.Choice{Source: netproxy.SourceNone})
	cancel()
	Logf(ctx, "without the proxy: %s (%s)", direct.Status, direct.Reason)
	return decideProxied(proxied, choice, direct.Status != StatusFail)
}

// decideProxied judges a failed fetch through the proxy with what the direct fetch showed
// (docs/report.md, "The proxy"): the proxy is to blame when it did something wrong, or when
// the page loads without it; only when both ways fail and the proxy did its part is the
// internet unreachable.
func decideProxied(proxied Result, choice netproxy.Choice, directOK bool) Result {
	problem, _ := proxied.Details[DetailProxyProblem].(string)
	switch {
	case problem == "" && !directOK:
		return proxied.Detail(DetailDirectOK, false)
	case problem == "":
		// The proxy passed on an error, a page it could not verify, or nothing, for a page that
		// loads without it.
		problem = ProxyDown
		status, _ := proxied.Details[DetailStatus].(int)
		if status > 0 || proxied.Details[DetailErrorKind] == ErrorKindTLS {
			problem = ProxyRefused
		}
		proxied = proxyFailed(proxied, problem, choice)
	}
	return proxied.Detail(DetailDirectOK, directOK)
}

// proxyFailed turns a result into the proxy's failure, keeping its evidence.
func proxyFailed(r Result, problem string, choice netproxy.Choice) Result {
	f := Fail(i18n.Msg("check.internet.proxy_"+problem, "proxy", choice.String())).Because(proxyReason[problem])
	for k, v := range r.Details {
		f = f.Detail(k, v)
	}
	return f.Detail(DetailProxyProblem, problem)
}

// fetch asks for the page once, by client, and judges the answer.
func (c *internetCheck) fetch(ctx context.Context, client *http.Client, choice netproxy.Choice) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return Skip(i18n.Msg("check.internet.bad_url", "error", err.Error()))
	}
	req.Header.Set("User-Agent", "Apuri-diagnostics/1")
	// A caching proxy must not answer for the internet from memory.
	req.Header.Set("Cache-Control", "no-cache")
	proxyUsed := choice.String()
	Logf(ctx, "GET %s (proxy: %s, chosen by: %s)", c.url, proxyUsed, choice.Source)

	t0 := c.now()
	resp, err := client.Do(req)
	took := c.now().Sub(t0)
	base := func(r Result) Result {
		return withProxy(r.Detail(DetailURL, c.url), choice).Detail(DetailLatencyMS, netRound(msOf(took)))
	}
	if err != nil {
		kind := internetErrorKind(err)
		Logf(ctx, "no answer after %v: %v (%s)", took.Round(time.Millisecond), err, kind)
		if problem, status := proxyProblemOf(err); problem != "" && choice.Proxy != nil {
			r := base(Result{}).Detail(DetailError, err.Error()).Detail(DetailErrorKind, kind)
			if status > 0 {
				r = r.Detail(DetailStatus, status)
			}
			return proxyFailed(r, problem, choice)
		}
		msg := i18n.Msg("check.internet.unreachable", "error", netErrorWords(err))
		if kind == ErrorKindTLS {
			msg = i18n.Msg("check.internet.tls", "error", netShortError(err))
		}
		return base(Fail(msg).Because(ReasonUnreachable)).Detail(DetailError, err.Error()).Detail(DetailErrorKind, kind)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, c.maxBody))
	Logf(ctx, "HTTP %d after %v, %d bytes of body", resp.StatusCode, took.Round(time.Millisecond), len(body))

	details := func(r Result) Result {
		r = base(r).Detail(DetailStatus, resp.StatusCode)
		if inspected, issuer, ok := tlsInspection(resp.TLS, c.now()); ok {
			r = r.Detail(DetailTLSInspection, inspected).Detail(DetailTLSIssuer, issuer)
		}
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			r = r.Detail(DetailServerDate, d.UTC().Format(time.RFC3339))
		}
		return r
	}
	captive := func(portal string) Result {
		Logf(ctx, "captive portal: %s", portal)
		return details(Fail(i18n.Msg("check.internet.captive_portal", "portal", portal)).Because(ReasonCaptivePortal)).
			Detail(DetailPortalURL, portal)
	}
	viaProxy := choice.Proxy != nil

	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		loc, err := resp.Location()
		if err != nil {
			return captive(c.url)
		}
		Logf(ctx, "redirected to %s", loc)
		return captive(loc.String()).Detail(DetailLocation, loc.String())
	case resp.StatusCode == http.StatusNetworkAuthenticationRequired:
		return captive(portalLink(body, req.URL))
	case readErr != nil:
		Logf(ctx, "reading the page failed: %v", readErr)
		return details(Fail(i18n.Msg("check.internet.unreachable", "error", netErrorWords(readErr))).Because(ReasonUnreachable)).
			Detail(DetailError, readErr.Error())
	case c.expected(resp.StatusCode, body):
		if c.latency > 0 && took > c.latency {
			return details(Warn(i18n.Msg("check.internet.slow", "latency_ms", netRound(msOf(took))))).Because(ReasonSlow)
		}
		return details(OK(i18n.Msg("check.internet.ok", "latency_ms", netRound(msOf(took)))))
	case resp.StatusCode == http.StatusProxyAuthRequired:
		return proxyFailed(details(Result{}), ProxyAuth, choice)
	case viaProxy && proxyStatusProblem(resp.StatusCode, false) != "":
		return proxyFailed(details(Result{}), proxyStatusProblem(resp.StatusCode, false), choice)
	case resp.StatusCode >= 500:
		// The server, or a proxy on the way, could not deliver the page.
		return details(Fail(i18n.Msg("check.internet.server_error", "status", resp.StatusCode)).Because(ReasonUnreachable))
	default:
		// Someone else's page where the known one should be: a login or terms page.
		return captive(portalLink(body, req.URL))
	}
}

// expected reports whether the answer is the known one. With both a text and a status in the
// profile, both must match: a portal's own 200 page must not pass for the internet.
func (c *internetCheck) expected(status int, body []byte) bool {
	switch {
	case c.expect != "" && c.status != 0:
		return status == c.status && strings.Contains(string(body), c.expect)
	case c.expect != "":
		return status >= 200 && status < 300 && strings.Contains(string(body), c.expect)
	case c.status != 0:
		return status == c.status
	}
	return status == http.StatusOK || status == http.StatusNoContent
}

// portalRefs finds where a portal page points: a meta refresh, a script or form target, a link.
var portalRefs = regexp.MustCompile(`(?i)(?:url\s*=\s*|href\s*=\s*|action\s*=\s*|location(?:\.href)?\s*=\s*)["']?(https?://[^"'\s<>]+)`)

// portalLink is the login page a portal's answer points at, or the probed address itself:
// opening that in a browser brings up the portal too.
func portalLink(body []byte, probed *url.URL) string {
	if m := portalRefs.FindSubmatch(body); m != nil {
		if u, err := url.Parse(string(m[1])); err == nil {
			return safetext.Line(u.String(), maxQuoted)
		}
	}
	return probed.String()
}

// maxQuoted bounds what a check quotes from a server's answer or certificate.
const maxQuoted = 300

// internetErrorKind sorts a failed request into what support staff ask about first.
func internetErrorKind(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &dnsErr) && !dnsErr.IsTimeout:
		// A lookup that timed out is silence, as on a lossy path; it is told as a timeout.
		return ErrorKindDNS
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr):
		return ErrorKindTLS
	case netIsTimeout(err):
		return ErrorKindTimeout
	case connRefused(err):
		return ErrorKindRefused
	}
	return ErrorKindConnect
}
