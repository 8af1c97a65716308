package diagnostics

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
)

// The network kinds of custom check: a page, a port and a name.

// maxCustomBody is how much of a page an http check reads looking for expect_body.
const maxCustomBody = 256 << 10

// runHTTP fetches the page through the same transport as the service checks (proxy, name
// lookup past a dead nameserver), and holds its status and body to what the profile expects.
func (c *customCheck) runHTTP(ctx context.Context) Result {
	u, err := url.Parse(c.def.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Fail(c.msg("check.custom.unreachable")).Because(ReasonBadURL)
	}
	target := safeURL(u)
	ctx, cancel := withMargin(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Fail(c.msg("check.custom.unreachable")).Because(ReasonBadURL)
	}
	req.Header.Set("User-Agent", userAgent)
	client := &http.Client{Transport: c.http, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	Logf(ctx, "GET %s", target)
	start := c.now()
	resp, err := client.Do(req)
	ms := c.now().Sub(start).Milliseconds()
	if err != nil {
		Logf(ctx, "no answer after %d ms: %v", ms, err)
		return c.unreachable(err).Detail(DetailTarget, target).Detail(DetailLatencyMS, ms)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxCustomBody))
	Logf(ctx, "HTTP %d in %d ms, %d bytes read", resp.StatusCode, ms, len(body))
	want := c.def.ExpectStatus
	if want == 0 {
		want = http.StatusOK
	}
	var r Result
	switch {
	case resp.StatusCode != want:
		r = Fail(c.msg("check.custom.http_status", "status", resp.StatusCode, "want", want)).Because(ReasonHTTPStatus)
	case c.def.ExpectBody != "" && !bytes.Contains(body, []byte(c.def.ExpectBody)):
		if readErr != nil {
			Logf(ctx, "the page stopped loading: %v", readErr)
		}
		r = Fail(c.msg("check.custom.http_body")).Because(ReasonMismatch)
	default:
		r = OK(c.msg("check.custom.http_ok", "status", resp.StatusCode, "latency_ms", ms))
	}
	return r.Detail(DetailTarget, target).Detail(DetailStatus, resp.StatusCode).Detail(DetailLatencyMS, ms)
}

// unreachable is a probe that got no answer: in time or at all.
func (c *customCheck) unreachable(err error) Result {
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return Fail(c.msg("check.custom.timeout")).Because(ReasonTimeout).Detail(DetailError, err.Error())
	}
	return Fail(c.msg("check.custom.unreachable")).Because(ReasonUnreachable).Detail(DetailError, err.Error())
}

// runTCP connects to address, looking its name up as the service checks do.
func (c *customCheck) runTCP(ctx context.Context) Result {
	start := c.now()
	conn, err := c.dial(ctx, "tcp", c.def.Address)
	ms := c.now().Sub(start).Milliseconds()
	if err != nil {
		Logf(ctx, "connecting to %s failed after %d ms: %v", c.def.Address, ms, err)
		return c.unreachable(err).Detail(DetailTarget, c.def.Address).Detail(DetailLatencyMS, ms)
	}
	Logf(ctx, "connected to %s (%s) in %d ms", c.def.Address, conn.RemoteAddr(), ms)
	conn.Close()
	return OK(c.msg("check.custom.tcp_ok", "latency_ms", ms)).
		Detail(DetailTarget, c.def.Address).Detail(DetailLatencyMS, ms)
}

// runDNS looks the name up past a dead nameserver, as the checks above DNS do, and finds
// expect_address among the answers when the profile gives one.
func (c *customCheck) runDNS(ctx context.Context) Result {
	start := c.now()
	addrs, err := c.resolve(ctx, c.def.Name)
	ms := c.now().Sub(start).Milliseconds()
	if err != nil || len(addrs) == 0 {
		Logf(ctx, "%s not found after %d ms: %v", c.def.Name, ms, err)
		r := Fail(c.msg("check.custom.dns_fail")).Because(ReasonNoAnswer).
			Detail(DetailTarget, c.def.Name).Detail(DetailLatencyMS, ms)
		if err != nil {
			r = r.Detail(DetailError, err.Error())
		}
		return r
	}
	texts := make([]string, len(addrs))
	for i, a := range addrs {
		texts[i] = a.Unmap().String()
	}
	Logf(ctx, "%s is %v (%d ms)", c.def.Name, texts, ms)
	r := OK(c.msg("check.custom.dns_ok", "latency_ms", ms))
	if want, err := netip.ParseAddr(c.def.ExpectAddress); err == nil &&
		!slices.ContainsFunc(addrs, func(a netip.Addr) bool { return a.Unmap() == want.Unmap() }) {
		r = Fail(c.msg("check.custom.dns_wrong", "want", want.String())).Because(ReasonMismatch)
	}
	return r.Detail(DetailTarget, c.def.Name).Detail(DetailAddresses, texts).Detail(DetailLatencyMS, ms)
}
