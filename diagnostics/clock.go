package diagnostics

import (
	"context"
	"crypto/tls"
	"errors"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

const (
	defaultClockSkewS = 60
	// clockBrokenS is where Kerberos (5 minutes by default) and TLS sign-ins stop working.
	clockBrokenS = 300
)

// clockCheck compares the local clock with a web server's: a wrong clock breaks sign-in and
// secure connections in ways that look like a network fault.
type clockCheck struct {
	skewWarn   float64
	references []string
	transport  http.RoundTripper
	// proxies is asked again only to report the choice the transport makes.
	proxies proxyChooser
	now     func() time.Time
}

func newClockCheck(p *profile.Profile) Check {
	var refs []string
	if p.Network.InternetURL != "" {
		refs = append(refs, p.Network.InternetURL)
	}
	for _, s := range p.Services {
		if s.URL != "" {
			refs = append(refs, s.URL)
		}
	}
	t := proxiedTransport(netproxy.Shared())
	// Only the Date header is read, and a skewed clock is exactly what makes certificates look
	// expired or not yet valid: verifying them here would hide the very fault being looked for.
	t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	return &clockCheck{
		skewWarn:   thresholdOr(p.Thresholds.ClockSkewS, defaultClockSkewS),
		references: refs,
		transport:  t,
		proxies:    netproxy.Shared(),
		now:        time.Now,
	}
}

func (c *clockCheck) ID() string   { return IDClock }
func (c *clockCheck) Group() Group { return GroupSystem }

// maxClockReferences bounds how many servers are asked before giving up.
const maxClockReferences = 3

func (c *clockCheck) Run(ctx context.Context) Result {
	tried := 0
	for _, ref := range c.references {
		if tried == maxClockReferences || ctx.Err() != nil {
			break
		}
		u, err := url.Parse(ref)
		if err != nil || u.Host == "" {
			continue
		}
		tried++
		skew, ok := c.measure(ctx, u)
		if !ok {
			continue
		}
		r := c.judge(ctx, skew, u.Hostname())
		if c.proxies != nil {
			r = withProxy(r, c.proxies.For(ctx, u))
		}
		return r
	}
	Logf(ctx, "no reference server answered with a date")
	return Skip(i18n.Msg("check.clock.no_reference")).Because(ReasonNoReference)
}

// judge turns a measured skew (server minus local) into a result.
func (c *clockCheck) judge(ctx context.Context, skew time.Duration, host string) Result {
	s := skew.Seconds()
	abs := math.Abs(s)
	Logf(ctx, "clock is %+.1f s off from %s (warn above %.0f s)", -s, host, c.skewWarn)
	var r Result
	switch {
	case abs > clockBrokenS:
		r = Fail(i18n.Msg("check.clock.wrong", "minutes", int(math.Round(abs/60)))).Because(ReasonClockSkew)
	case abs > c.skewWarn:
		r = Warn(i18n.Msg("check.clock.skewed", "seconds", int(math.Round(abs)))).Because(ReasonClockSkew)
	default:
		r = OK(i18n.Msg("check.clock.ok"))
	}
	// skew_s is positive when the local clock is ahead.
	return r.Detail(DetailSkewS, oneDecimal(-s)).Detail(DetailReference, host)
}

// measure asks one server for its Date, by HEAD and then GET for servers that refuse HEAD or
// leave the header out, and returns server time minus local time.
func (c *clockCheck) measure(ctx context.Context, u *url.URL) (time.Duration, bool) {
	for _, method := range []string{http.MethodHead, http.MethodGet} {
		skew, err := c.ask(ctx, method, u)
		if err == nil {
			return skew, true
		}
		Logf(ctx, "%s %s: %v", method, safeURL(u), err)
		if ctx.Err() != nil {
			break
		}
	}
	return 0, false
}

func (c *clockCheck) ask(ctx context.Context, method string, u *url.URL) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", userAgent)
	client := &http.Client{
		Transport: c.transport,
		// Any answer carries a Date; following redirects would only add round trips.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	sent := c.now()
	resp, err := client.Do(req)
	received := c.now()
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return 0, errNoDate
	}
	// The server stamped Date somewhere in the round trip (assume the middle), and truncated it
	// to the whole second (assume the middle of that second too).
	rtt := received.Sub(sent)
	local := sent.Add(rtt / 2)
	server := date.Add(500 * time.Millisecond)
	Logf(ctx, "%s %s: HTTP %d, Date %s, round trip %d ms", method, safeURL(u), resp.StatusCode,
		date.UTC().Format(time.RFC3339), rtt.Milliseconds())
	return server.Sub(local), nil
}

var errNoDate = errors.New("no valid date header")
