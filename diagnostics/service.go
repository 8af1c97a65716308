package diagnostics

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// Fall-backs for thresholds a profile leaves at zero.
const (
	defaultLatencyMS = 300
	maxRedirects     = 5
	// maxServiceBody is how much of a page the check loads: enough to need full-size packets
	// (a path that drops them stalls here), little enough to stay light on the server.
	maxServiceBody = 256 << 10
)

// thresholdOr returns v, or fallback when the profile left v unset (zero or negative).
func thresholdOr[T int | float64](v, fallback T) T {
	if v > 0 {
		return v
	}
	return fallback
}

// latencyThreshold is the round-trip time above which a probe counts as degraded.
func latencyThreshold(p *profile.Profile) time.Duration {
	return time.Duration(thresholdOr(p.Thresholds.LatencyMS, defaultLatencyMS)) * time.Millisecond
}

// userAgent names Apuri in server logs, so an administrator can tell its probes apart.
const userAgent = "Apuri-diagnostics/1"

// serviceCheck asks one of the organisation's services whether it answers, as a browser would.
type serviceCheck struct {
	svc       profile.Service
	slow      time.Duration
	certWarn  time.Duration
	transport http.RoundTripper
	// proxies is asked again only to report the choice the transport makes.
	proxies    proxyChooser
	now        func() time.Time
	maxBodyLen int64
	// tunnels are the VPN interface patterns: a stalled page's probe says whether it went that way.
	tunnels []string
	// mss and echo are how a stalled page's path is probed (mtuProber).
	mss  bool
	echo echoer
}

func newServiceCheck(p *profile.Profile, s profile.Service) Check {
	return &serviceCheck{
		svc:  s,
		slow: latencyThreshold(p),
		// Zero is a valid setting: the organisation does not want expiry warnings.
		certWarn:   time.Duration(p.Thresholds.CertExpiryDays) * 24 * time.Hour,
		transport:  proxiedTransport(netproxy.Shared()),
		proxies:    netproxy.Shared(),
		now:        time.Now,
		maxBodyLen: maxServiceBody,
		tunnels:    vpnPatterns(p),
		mss:        mssSupported,
		echo:       systemEchoer(),
	}
}

// newTransport gives a check its own connections, so no keep-alive from an earlier run hides a
// broken network. It goes direct; proxiedTransport goes the way the browser would.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DisableKeepAlives = true
	t.DialContext = defaultHostDialer().DialContext
	return t
}

func (c *serviceCheck) ID() string   { return ServicePrefix + c.svc.Name }
func (c *serviceCheck) Group() Group { return GroupService }

// Title is what people call the service, per language; its sentences say it instead of the ID.
func (c *serviceCheck) Title() map[string]string { return c.svc.Titles() }

// hop records the certificate of one response on the way to the final page.
type hop struct {
	host string
	cert *x509.Certificate
}

func (c *serviceCheck) Run(ctx context.Context) Result {
	r := c.run(ctx)
	if u, err := url.Parse(c.svc.URL); err == nil && c.proxies != nil {
		r = withProxy(r, c.proxies.For(ctx, u))
	}
	// The verdict blames the tunnel for a service that lives behind it, so this is always set.
	return r.Detail(DetailViaVPN, c.svc.ViaVPN)
}

func (c *serviceCheck) run(ctx context.Context) Result {
	name := c.svc.Titles()
	u, err := url.Parse(c.svc.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		Logf(ctx, "bad service address %q", safeURLString(c.svc.URL))
		return Fail(i18n.Msg("check.service.bad_url", "service", name)).Because(ReasonBadURL)
	}
	ctx, cancel := withMargin(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Fail(i18n.Msg("check.service.bad_url", "service", name)).Because(ReasonBadURL)
	}
	req.Header.Set("User-Agent", userAgent)

	var hops []hop
	jar, _ := cookiejar.New(nil) // single sign-on pages set a cookie and redirect; keep it for this run
	watch := newStallWatch(ctx, c.prober(jar), u)
	defer watch.stop()
	req = req.WithContext(httptrace.WithClientTrace(ctx, watch.trace()))
	client := &http.Client{
		Transport: c.transport,
		Jar:       jar,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if resp := next.Response; resp != nil {
				hops = append(hops, hopOf(resp))
			}
			Logf(ctx, "redirected to %s", safeURL(next.URL))
			watch.at(next.URL)
			if len(via) >= maxRedirects {
				// A login wall that keeps redirecting still answers; judge the last response.
				return http.ErrUseLastResponse
			}
			return nil
		},
	}

	Logf(ctx, "GET %s (via VPN: %v)", safeURL(u), c.svc.ViaVPN)
	start := c.now()
	resp, err := client.Do(req)
	latency := c.now().Sub(start)
	ms := latency.Milliseconds()
	if err != nil {
		return c.failure(ctx, err, ms, watch)
	}
	defer resp.Body.Close()
	// Load the page, not just its headers: a path that drops full-size packets lets the headers
	// through and stalls the body. Reading stops at the bound, which is not an error.
	n, readErr := io.Copy(io.Discard, io.LimitReader(watch.body(resp.Body), c.maxBodyLen))
	if readErr == nil {
		watch.stop() // loaded: a probe under way has nothing to explain
	}
	bodyMS := (c.now().Sub(start) - latency).Milliseconds()
	hops = append(hops, hopOf(resp))

	Logf(ctx, "HTTP %d from %s in %d ms, %d bytes of the page in %d ms", resp.StatusCode, safeURL(resp.Request.URL), ms, n, bodyMS)
	details := map[string]any{
		DetailStatus:    resp.StatusCode,
		DetailLatencyMS: ms,
		DetailFinalURL:  safeURL(resp.Request.URL),
		DetailBodyBytes: n,
		DetailBodyMS:    bodyMS,
	}
	cert, certHost := soonestExpiry(hops)
	var daysLeft int
	if cert != nil {
		details[DetailTLSExpires] = cert.NotAfter.UTC().Format(time.RFC3339)
		details[DetailTLSIssuer] = issuerName(cert)
		details[DetailTLSHost] = certHost
		// Rounded: a certificate made to last four days still "expires in 4 days" a minute later.
		daysLeft = int(math.Round(cert.NotAfter.Sub(c.now()).Hours() / 24))
	}

	var r Result
	switch {
	case readErr != nil:
		Logf(ctx, "the page stopped loading after %d bytes: %v", n, readErr)
		r = c.stalled(watch, Fail(i18n.Msg("check.service.body_stalled", "service", name)).Because(ReasonBodyStalled).
			Detail(DetailError, readErr.Error()))
	case resp.StatusCode == http.StatusProxyAuthRequired:
		r = Fail(i18n.Msg("check.service.proxy", "service", name, "proxy", c.proxyName(ctx))).Because(ReasonProxyAuth).
			Detail(DetailProxyProblem, ProxyAuth)
	case resp.StatusCode >= 500:
		r = Fail(i18n.Msg("check.service.http_status", "service", name, "status", resp.StatusCode)).Because(ReasonHTTPStatus)
	case cert != nil && cert.NotAfter.Sub(c.now()) < c.certWarn:
		Logf(ctx, "certificate of %s expires %s", certHost, cert.NotAfter.UTC().Format(time.RFC3339))
		r = Warn(i18n.Msg("check.service.cert_expiring", "service", name, "days", max(daysLeft, 0))).Because(ReasonCertExpiring)
	case latency > c.slow:
		r = Warn(i18n.Msg("check.service.slow", "service", name, "latency_ms", ms)).Because(ReasonSlow)
	default:
		r = OK(i18n.Msg("check.service.ok", "service", name, "status", resp.StatusCode, "latency_ms", ms))
	}
	for k, v := range details {
		r = r.Detail(k, v)
	}
	return r
}

// failure explains a request that got no HTTP answer at all.
func (c *serviceCheck) failure(ctx context.Context, err error, ms int64, watch *stallWatch) Result {
	name := c.svc.Titles()
	Logf(ctx, "no answer after %d ms: %v", ms, err)
	if problem, status := proxyProblemOf(err); problem != "" {
		r := Fail(i18n.Msg("check.service.proxy", "service", name, "proxy", c.proxyName(ctx))).Because(proxyReason[problem]).
			Detail(DetailProxyProblem, problem).Detail(DetailError, err.Error()).Detail(DetailLatencyMS, ms)
		if status > 0 {
			r = r.Detail(DetailStatus, status)
		}
		return r
	}
	if problem := tlsProblem(err, c.now()); problem != "" {
		watch.stop()
		return Fail(i18n.Msg("check.service.tls_"+problem, "service", name)).Because(ReasonTLS).
			Detail(DetailTLSProblem, problem).Detail(DetailError, err.Error()).Detail(DetailLatencyMS, ms)
	}
	key := "check.service.unreachable"
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		key = "check.service.timeout"
	}
	return c.stalled(watch, Fail(i18n.Msg(key, "service", name)).Because(ReasonUnreachable).
		Detail(DetailError, err.Error()).Detail(DetailLatencyMS, ms).Detail(DetailErrorKind, internetErrorKind(err)))
}

// stalled completes the failure of a fetch with what probing its path found, when its
// connection stalled: a path that drops large packets is named, with the largest size that
// passed; otherwise the failure stands, with the sizes tried as its evidence.
func (c *serviceCheck) stalled(watch *stallWatch, failed Result) Result {
	f, ok := watch.finish()
	if !ok {
		return failed
	}
	r := failed
	if f.blackHole() {
		r = Fail(i18n.Msg("check.service.path_mtu", "service", c.svc.Titles(), "bytes", f.largest())).Because(ReasonPathMTU)
		for k, v := range failed.Details {
			r = r.Detail(k, v)
		}
	}
	for k, v := range f.details() {
		r = r.Detail(k, v)
	}
	return r
}

// prober is how a stalled page's path is probed: with the check's own transport (its proxy and
// certificate settings), or not at all when the check was given another kind of round tripper.
func (c *serviceCheck) prober(jar http.CookieJar) *mtuProber {
	t, ok := c.transport.(*http.Transport)
	if !ok {
		return nil
	}
	return &mtuProber{transport: t, jar: jar, dialer: defaultHostDialer(), tunnels: c.tunnels, mss: c.mss, echo: c.echo}
}

// proxyName is the proxy the service's address goes through, as the report names it.
func (c *serviceCheck) proxyName(ctx context.Context) string {
	u, err := url.Parse(c.svc.URL)
	if err != nil || c.proxies == nil {
		return "none"
	}
	return c.proxies.For(ctx, u).String()
}

// stopMargin is how long before its deadline the check gives up waiting, so that a stalled page
// is reported by the check itself, with what it loaded, rather than abandoned by the runner.
const stopMargin = 100 * time.Millisecond

// withMargin ends ctx stopMargin before its deadline, when there is room for that.
func withMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok || time.Until(deadline) <= 2*stopMargin {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, deadline.Add(-stopMargin))
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// tlsProblem names why certificate verification failed, or "" if it did not. Go reports a
// certificate that is not valid yet as expired; its start date, against now, tells them apart.
// Either may also mean the computer's own clock is wrong; system.clock tells which.
func tlsProblem(err error, now time.Time) string {
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert != nil && now.Before(invalid.Cert.NotBefore):
		return TLSNotYetValid
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return TLSExpired
	case errors.As(err, &unknown):
		return TLSUnknownAuthority
	case errors.As(err, &hostname):
		return TLSWrongName
	case errors.As(err, &verify), errors.As(err, &invalid):
		return TLSInvalid
	}
	return ""
}

func hopOf(resp *http.Response) hop {
	h := hop{host: resp.Request.URL.Hostname()}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		h.cert = resp.TLS.PeerCertificates[0]
	}
	return h
}

// soonestExpiry picks the certificate that runs out first along the redirect chain: an expiring
// sign-in server breaks the service just as surely as the service's own certificate.
func soonestExpiry(hops []hop) (*x509.Certificate, string) {
	var best *x509.Certificate
	var host string
	for _, h := range hops {
		if h.cert != nil && (best == nil || h.cert.NotAfter.Before(best.NotAfter)) {
			best, host = h.cert, h.host
		}
	}
	return best, host
}

// issuerName is who issued the certificate, as one short clean line: a certificate's names
// are whatever its maker wrote, escape sequences and bidi overrides included.
func issuerName(cert *x509.Certificate) string {
	name := cert.Issuer.CommonName
	if name == "" {
		name = cert.Issuer.String()
	}
	return safetext.Line(name, maxQuoted)
}

// safeURL drops credentials, query and fragment: sign-in redirects carry tokens there, and the
// result travels into reports and support requests.
func safeURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	v := *u
	v.User, v.RawQuery, v.ForceQuery, v.Fragment, v.RawFragment = nil, "", false, "", ""
	return v.String()
}

// safeURLString is safeURL for a string that may not even parse.
func safeURLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Sprintf("<unparsable URL, %d characters>", len(s))
	}
	return safeURL(u)
}
