//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ProxyMode is how the lab's forward proxy answers.
type ProxyMode int32

// The ways the proxy can answer.
const (
	// ProxyForward passes plain requests on and opens tunnels (CONNECT), as a working proxy does.
	ProxyForward ProxyMode = iota
	// ProxyAuthRequired answers 407 to everything, as a proxy that wants a password does.
	ProxyAuthRequired
	// ProxyForbidden answers 403 to everything, as a proxy whose rules refuse this user does.
	ProxyForbidden
)

// PACScript is the auto-configuration script the lab serves beside the proxy: the intranet
// (by name or by its addresses, looked up through dnsResolve) goes direct, the rest through
// the proxy. It uses the helpers a real office script does.
const PACScript = `function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, "` + InternalName + `") ||
      isInNet(dnsResolve(host), "203.0.113.0", "255.255.255.0"))
    return "DIRECT";
  return "PROXY ` + ProxyName + `:3128; DIRECT";
}
`

// PACPath is where the script is served on ProxyAddr port 80; WPADPath is where WPAD looks for
// it (on wpad.<search domain>, which the lab's resolvers point at the same host).
const (
	PACPath  = "/proxy.pac"
	WPADPath = "/wpad.dat"
)

// Proxy is the organisation's forward HTTP proxy, written for the lab: it listens inside a
// namespace and connects onwards from there, resolving names with the lab's resolver.
type Proxy struct {
	// Addr is host:port of the proxy.
	Addr string
	ns   string
	mode atomic.Int32
	hits atomic.Int64
	// resolve looks names up from inside ns.
	resolve  func(ctx context.Context, host string) (string, error)
	srv, pac *http.Server
	done     sync.WaitGroup
	stopOnce sync.Once
}

// StartProxy serves a forward proxy on addr inside ns and the PAC script on port 80 of the same
// host. Names are resolved through the resolver at dns (host:port), asked from inside ns.
func StartProxy(ns, addr, dns string) (*Proxy, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return Dial(ctx, ns, network, dns)
	}}
	p := &Proxy{Addr: addr, ns: ns, resolve: func(ctx context.Context, name string) (string, error) {
		if net.ParseIP(name) != nil {
			return name, nil
		}
		addrs, err := r.LookupHost(ctx, name)
		if err != nil {
			return "", err
		}
		return addrs[0], nil
	}}
	ln, err := Listen(ns, "tcp", addr)
	if err != nil {
		return nil, err
	}
	pacLn, err := Listen(ns, "tcp", net.JoinHostPort(host, "80"))
	if err != nil {
		ln.Close()
		return nil, err
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	p.pac = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PACPath && r.URL.Path != WPADPath {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		_, _ = io.WriteString(w, PACScript)
	}), ReadHeaderTimeout: 5 * time.Second}
	for _, s := range []struct {
		srv *http.Server
		ln  net.Listener
	}{{p.srv, ln}, {p.pac, pacLn}} {
		p.done.Add(1)
		go func() {
			defer p.done.Done()
			_ = s.srv.Serve(s.ln)
		}()
	}
	return p, nil
}

// Set switches how the proxy answers from now on.
func (p *Proxy) Set(m ProxyMode) { p.mode.Store(int32(m)) }

// Hits counts the requests the proxy has had.
func (p *Proxy) Hits() int64 { return p.hits.Load() }

// Stop closes the proxy's port, as a crashed proxy leaves it: every connection is refused. The
// PAC script is still served.
func (p *Proxy) Stop() error {
	var err error
	p.stopOnce.Do(func() { err = p.srv.Close() })
	return err
}

// Close stops the proxy and the script's server.
func (p *Proxy) Close() error {
	err := errors.Join(p.Stop(), p.pac.Close())
	p.done.Wait()
	return err
}

// ServeHTTP answers one request as the current mode says.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.hits.Add(1)
	switch ProxyMode(p.mode.Load()) {
	case ProxyAuthRequired:
		w.Header().Set("Proxy-Authenticate", `Basic realm="lab proxy"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	case ProxyForbidden:
		http.Error(w, "access denied by the proxy's rules", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	if !r.URL.IsAbs() {
		http.Error(w, "not a proxy request", http.StatusBadRequest)
		return
	}
	p.forward(w, r)
}

// dial connects onwards from inside the proxy's namespace.
func (p *Proxy) dial(ctx context.Context, hostport string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	ip, err := p.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	return Dial(ctx, p.ns, "tcp", net.JoinHostPort(ip, port))
}

// forward passes a plain request on and copies the answer back; 502 when the server cannot be
// reached, as real proxies answer.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return p.dial(ctx, addr)
		},
	}
	defer t.CloseIdleConnections()
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	out.Header.Del("Proxy-Authorization")
	resp, err := t.RoundTrip(out)
	if err != nil {
		http.Error(w, "the proxy could not reach the server: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Add("Via", "1.1 lab-proxy")
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// tunnel opens a CONNECT tunnel and copies both ways until either side closes.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	server, err := p.dial(ctx, r.Host)
	if err != nil {
		http.Error(w, "the proxy could not reach the server: "+err.Error(), http.StatusBadGateway)
		return
	}
	h, ok := w.(http.Hijacker)
	if !ok {
		server.Close()
		http.Error(w, "no tunnel", http.StatusInternalServerError)
		return
	}
	client, buf, err := h.Hijack()
	if err != nil {
		server.Close()
		return
	}
	if _, err := fmt.Fprint(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		client.Close()
		server.Close()
		return
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _, _ = io.Copy(server, buf); server.Close() }()
	go func() { defer wg.Done(); _, _ = io.Copy(client, server); client.Close() }()
	wg.Wait()
}
