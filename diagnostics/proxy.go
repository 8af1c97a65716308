package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/apuri-project/apuri/netproxy"
)

// proxyChooser says which proxy an address goes through and where that choice came from.
type proxyChooser interface {
	For(ctx context.Context, target *url.URL) netproxy.Choice
}

// The values of DetailProxyProblem: what a proxy did wrong (docs/report.md).
const (
	ProxyDown    = "down"    // nothing answered at the proxy's address
	ProxyRefused = "refused" // it answered but would not pass the request on
	ProxyAuth    = "auth"    // it wants a user name and password (407)
)

// ProxyProblems lists every value of DetailProxyProblem.
var ProxyProblems = []string{ProxyDown, ProxyRefused, ProxyAuth}

// proxyReason is each problem's Result.Reason.
var proxyReason = map[string]string{ProxyDown: ReasonProxyDown, ProxyRefused: ReasonProxyRefused, ProxyAuth: ReasonProxyAuth}

// proxiedTransport is a check's transport going the way the browser would: through the proxy
// the desktop's settings choose for each address. A proxy's refusal of a tunnel (CONNECT)
// comes back as a proxyRefusal with its status, not as bare text.
func proxiedTransport(px *netproxy.Proxies) *http.Transport {
	t := newTransport()
	t.Proxy = px.Func()
	t.OnProxyConnectResponse = func(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
		if resp.StatusCode/100 == 2 {
			return nil
		}
		return &proxyRefusal{proxy: proxy.Host, status: resp.StatusCode}
	}
	return t
}

// proxyRefusal is a proxy's answer other than 2xx to CONNECT.
type proxyRefusal struct {
	proxy  string
	status int
}

func (e *proxyRefusal) Error() string {
	return fmt.Sprintf("proxy %s answered CONNECT with HTTP %d %s", e.proxy, e.status, http.StatusText(e.status))
}

// proxyProblemOf says what the proxy did wrong when a request through it failed with err, and
// the status it answered. "" is not the proxy's fault as far as the error shows: a proxy that
// answered 502, 503 or 504 reached out and found the page's server unreachable.
func proxyProblemOf(err error) (problem string, status int) {
	var refusal *proxyRefusal
	var op *net.OpError
	switch {
	case errors.As(err, &refusal):
		return proxyStatusProblem(refusal.status, true), refusal.status
	case errors.As(err, &op) && op.Op == "proxyconnect":
		// net/http's typed error for dialling the proxy itself (refused, timed out, no such name).
		return ProxyDown, 0
	}
	return "", 0
}

// proxyStatusProblem sorts a proxy's HTTP answer. A plain-HTTP answer may be the page's own,
// so only 403 and 407 count there; a CONNECT answer is always the proxy's.
func proxyStatusProblem(status int, connect bool) string {
	switch {
	case status == http.StatusProxyAuthRequired:
		return ProxyAuth
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return ""
	case status == http.StatusForbidden, connect && status/100 != 2:
		return ProxyRefused
	}
	return ""
}

// withProxy adds which proxy a check went through and where that choice came from.
func withProxy(r Result, c netproxy.Choice) Result {
	return r.Detail(DetailProxy, c.String()).Detail(DetailProxySource, string(c.Source))
}

// proxiedShare is the part of a check's time the proxied attempt may take, so that a direct
// attempt still fits when it fails.
func proxiedShare(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, time.Now().Add(time.Until(deadline)*3/5))
}
