//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// The lab's fixed addresses and names (documentation ranges only).
const (
	ClientAddr    = "192.0.2.10"
	GatewayAddr   = "192.0.2.1"
	RouterWANAddr = "198.51.100.1"
	NetAddr       = "198.51.100.2"
	DNS1Addr      = "198.51.100.53"
	DNS2Addr      = "198.51.100.54"
	ProbeAddr     = "198.51.100.80"
	ServiceAddr   = "198.51.100.81"
	// ProxyAddr is the organisation's web proxy (port ProxyPort) and its PAC script (port 80).
	ProxyAddr     = "198.51.100.8"
	ProxyPort     = 3128
	TunAddr       = "203.0.113.2"
	VPNPeerAddr   = "203.0.113.1"
	VPNInsideAddr = "203.0.113.9"
	InternalAddr  = "203.0.113.10"
	InternalNet   = "203.0.113.0/24"
	// InternalPort is the TCP port the internal host listens on (the profile's internal_hosts).
	InternalPort = 22

	ProbeName    = "probe.lab.test"
	ServiceName  = "svc.lab.test"
	InternalName = "intra.lab.test"
	ProxyName    = "proxy.lab.test"
	// WPADName is where WPAD looks in the lab's domain; it is the proxy's host.
	WPADName = "wpad.lab.test"

	// ProbeBody is what the internet probe answers; the lab profile expects it.
	ProbeBody = "apuri-lab: the internet answered"
	// ServiceBody and InternalBody begin what the two services answer when healthy; their
	// pages go on for pageSize, many full-size packets, so that a path dropping them shows.
	ServiceBody  = "apuri-lab: the service answered"
	InternalBody = "apuri-lab: the internal service answered"

	// Prefix starts the name of every namespace the lab creates; the next field is the pid of the
	// process that created it, so leftovers of crashed runs can be recognised (CleanStale).
	Prefix = "apuri-lab-"
)

// Client interface names.
const (
	ClientLink   = "eth0"
	ClientTunnel = "tun0"
)

// Options tune a lab.
type Options struct {
	// Logf receives what the lab does, for a failing test's log; nil discards it.
	Logf func(format string, args ...any)
}

// Lab is one closed network: five namespaces, two resolvers and four servers.
type Lab struct {
	// Namespace names.
	Client, Router, Net, VPN, Intra string

	// DNS are the two resolvers the client's resolv.conf names, DNS1Addr then DNS2Addr.
	DNS [2]*Dnsmasq
	// Probe is the internet probe's server; Service and Internal are the profile's services
	// (Internal is reached only through the tunnel).
	Probe, Service, Internal *Site
	// InternalTCP is the internal host's plain TCP listener (vpn.internal's target).
	InternalTCP *TCPServer
	// Proxy is the organisation's web proxy; nothing uses it unless a test configures it.
	Proxy *Proxy

	// Dir is a private directory for profiles, HOME and logs; removed by Close.
	Dir string

	logf    func(string, ...any)
	mu      sync.Mutex
	closers []func() error // run in reverse order
	closed  bool
}

var seq atomic.Int64

// NewNamespace creates an empty namespace (only loopback, up) named Prefix+pid+role. The
// returned function deletes it and whatever /etc/netns files belong to it.
func NewNamespace(role string) (name string, remove func() error, err error) {
	name = fmt.Sprintf("%s%d-%d-%s", Prefix, os.Getpid(), seq.Add(1), role)
	if err := ip("netns", "add", name); err != nil {
		return "", nil, err
	}
	remove = func() error { return removeNamespace(name) }
	if err := ip("-n", name, "link", "set", "lo", "up"); err != nil {
		return "", nil, errors.Join(err, remove())
	}
	return name, remove, nil
}

// addNamespaces creates the lab's five namespaces with one `ip -batch` and arranges their
// removal.
func (l *Lab) addNamespaces() error {
	n := seq.Add(1)
	roles := []struct {
		name *string
		role string
	}{{&l.Client, "client"}, {&l.Router, "router"}, {&l.Net, "net"}, {&l.VPN, "vpn"}, {&l.Intra, "intra"}}
	var add, del []string
	for _, r := range roles {
		*r.name = fmt.Sprintf("%s%d-%d-%s", Prefix, os.Getpid(), n, r.role)
		add = append(add, "netns add "+*r.name)
		del = append(del, "netns del "+*r.name)
	}
	names := l.Namespaces()
	l.onClose(func() error {
		// -force keeps going past a namespace that is already gone.
		_, err := outputStdin(context.Background(), strings.Join(del, "\n")+"\n", "ip", "-force", "-batch", "-")
		for _, name := range names {
			if rerr := os.RemoveAll(filepath.Join("/etc/netns", name)); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if err != nil && strings.Contains(err.Error(), "No such file") {
			return nil
		}
		return err
	})
	return ipBatch("", add)
}

// removeNamespace kills what still runs inside a namespace and deletes it.
func removeNamespace(name string) error {
	if out, err := output(context.Background(), "ip", "netns", "pids", name); err == nil {
		for _, f := range strings.Fields(out) {
			if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
				_ = killPid(pid)
			}
		}
	}
	var errs []error
	if err := ip("netns", "del", name); err != nil && !strings.Contains(err.Error(), "No such file") {
		errs = append(errs, err)
	}
	if err := os.RemoveAll(filepath.Join("/etc/netns", name)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// New builds the lab and checks that every path works before returning it, so a test that then
// breaks one thing knows that everything else was healthy. On error nothing is left behind.
func New(ctx context.Context, opts Options) (l *Lab, err error) {
	if m := Missing(); m != "" {
		return nil, fmt.Errorf("lab needs %s", m)
	}
	start := time.Now()
	l = &Lab{logf: opts.Logf}
	if l.logf == nil {
		l.logf = func(string, ...any) {}
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, l.Close())
			l = nil
		}
	}()
	if l.Dir, err = os.MkdirTemp("", "apuri-lab-"); err != nil {
		return l, fmt.Errorf("temp dir: %w", err)
	}
	l.onClose(func() error { return os.RemoveAll(l.Dir) })

	if err := l.addNamespaces(); err != nil {
		return l, err
	}
	if err := l.wire(); err != nil {
		return l, err
	}
	if err := l.startServers(); err != nil {
		return l, err
	}
	if err := l.Verify(ctx); err != nil {
		return l, fmt.Errorf("fresh lab is not healthy: %w", err)
	}
	l.logf("lab %s ready after %v", strings.TrimSuffix(l.Client, "-client"), time.Since(start).Round(time.Millisecond))
	return l, nil
}

// wire creates the links, addresses, routes and the client's resolv.conf. Each namespace is
// configured by one `ip -batch`, in an order where every veth exists before its far end is used.
func (l *Lab) wire() error {
	batches := []struct {
		ns    string
		lines []string
	}{
		{l.Client, []string{
			// Veths are created inside a lab namespace with the peer moved straight into
			// another, so the host's namespace never holds one.
			"link add " + ClientLink + " type veth peer name lan0 netns " + l.Router,
			"link add " + ClientTunnel + " type veth peer name vpn0 netns " + l.VPN,
			"addr add " + ClientAddr + "/24 dev " + ClientLink,
			"addr add " + TunAddr + "/30 dev " + ClientTunnel,
			"link set " + ClientLink + " up",
			"link set " + ClientTunnel + " up",
			"route add default via " + GatewayAddr + " dev " + ClientLink,
			"route add " + InternalNet + " via " + VPNPeerAddr + " dev " + ClientTunnel,
		}},
		{l.Router, []string{
			"link add wan0 type veth peer name eth0 netns " + l.Net,
			"addr add " + GatewayAddr + "/24 dev lan0",
			"addr add " + RouterWANAddr + "/24 dev wan0",
			"link set lan0 up",
			"link set wan0 up",
		}},
		{l.Net, []string{
			"addr add " + NetAddr + "/24 dev eth0",
			"addr add " + DNS1Addr + "/24 dev eth0",
			"addr add " + DNS2Addr + "/24 dev eth0",
			"addr add " + ProbeAddr + "/24 dev eth0",
			"addr add " + ServiceAddr + "/24 dev eth0",
			"addr add " + ProxyAddr + "/24 dev eth0",
			"link set eth0 up",
			"route add 192.0.2.0/24 via " + RouterWANAddr,
		}},
		{l.VPN, []string{
			"link add int0 type veth peer name eth0 netns " + l.Intra,
			"addr add " + VPNPeerAddr + "/30 dev vpn0",
			"addr add " + VPNInsideAddr + "/29 dev int0",
			"link set vpn0 up",
			"link set int0 up",
		}},
		{l.Intra, []string{
			"addr add " + InternalAddr + "/29 dev eth0",
			"link set eth0 up",
			"route add " + InternalNet + " via " + VPNInsideAddr,
		}},
	}
	for _, b := range batches {
		if err := ipBatch(b.ns, append([]string{"link set lo up"}, b.lines...)); err != nil {
			return err
		}
	}
	for _, ns := range []string{l.Router, l.VPN} {
		if err := writeSysctl(ns, "net/ipv4/ip_forward", "1"); err != nil {
			return err
		}
	}
	// The kernel sends at most about one ICMP error per second to a host after a small burst,
	// so whether a query to a crashed resolver is refused or goes unanswered would depend on
	// how many came before it. Without the limit a crashed resolver is always refused;
	// DropDNS makes one silent instead.
	if err := writeSysctl(l.Net, "net/ipv4/icmp_ratelimit", "0"); err != nil {
		return err
	}
	// `ip netns exec` bind-mounts /etc/netns/NAME/* over /etc, so this is the client's resolv.conf.
	dir := filepath.Join("/etc/netns", l.Client)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("resolv.conf dir: %w", err)
	}
	return writeFile(filepath.Join(dir, "resolv.conf"), resolvConf(""))
}

// resolvConf is the client's resolv.conf, with a search domain when one is given.
func resolvConf(search string) string {
	s := "# apuri lab\nnameserver " + DNS1Addr + "\nnameserver " + DNS2Addr + "\n"
	if search != "" {
		s += "search " + search + "\n"
	}
	return s
}

// SetSearchDomain gives the client's resolv.conf a search domain, as DHCP on an office network
// does; WPAD looks for its script there.
func (l *Lab) SetSearchDomain(domain string) error {
	return writeFile(filepath.Join("/etc/netns", l.Client, "resolv.conf"), resolvConf(domain))
}

// startServers starts the resolvers, the HTTP sites and the internal TCP listener.
func (l *Lab) startServers() error {
	records := map[string]string{
		ProbeName: ProbeAddr, ServiceName: ServiceAddr, InternalName: InternalAddr, ProxyName: ProxyAddr,
		WPADName: ProxyAddr,
	}
	for i, addr := range []string{DNS1Addr, DNS2Addr} {
		d, err := StartDnsmasq(l.Net, addr, records, l.logf)
		if err != nil {
			return err
		}
		l.DNS[i] = d
		l.onClose(d.Stop)
	}
	var err error
	sites := []struct {
		site      **Site
		ns, addr  string
		name, str string
	}{
		{&l.Probe, l.Net, ProbeAddr, "probe", ProbeBody},
		{&l.Service, l.Net, ServiceAddr, "service", page(ServiceBody)},
		{&l.Internal, l.Intra, InternalAddr, "internal", page(InternalBody)},
	}
	for _, s := range sites {
		if *s.site, err = StartSite(s.ns, net.JoinHostPort(s.addr, "80"), s.name, s.str); err != nil {
			return err
		}
		l.onClose((*s.site).Close)
	}
	if l.InternalTCP, err = StartTCP(l.Intra, net.JoinHostPort(InternalAddr, strconv.Itoa(InternalPort))); err != nil {
		return err
	}
	l.onClose(l.InternalTCP.Close)
	if l.Proxy, err = StartProxy(l.Net, net.JoinHostPort(ProxyAddr, strconv.Itoa(ProxyPort)), net.JoinHostPort(DNS1Addr, "53")); err != nil {
		return err
	}
	l.onClose(l.Proxy.Close)
	return nil
}

// Verify checks from the client that every path of the healthy lab works: both resolvers, the
// probe, both services (one through the tunnel) and the internal TCP host.
func (l *Lab) Verify(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for _, srv := range []string{DNS1Addr, DNS2Addr} {
		if err := l.waitResolve(ctx, srv, ProbeName, ProbeAddr); err != nil {
			return err
		}
	}
	client := l.HTTPClient()
	defer client.CloseIdleConnections()
	for _, u := range []struct{ url, body string }{
		{"http://" + ProbeName + "/", ProbeBody},
		{"http://" + ServiceName + "/", ServiceBody},
		{"http://" + InternalName + "/", InternalBody},
	} {
		if err := getExpect(ctx, client, u.url, u.body); err != nil {
			return err
		}
	}
	c, err := Dial(ctx, l.Client, "tcp", net.JoinHostPort(InternalAddr, strconv.Itoa(InternalPort)))
	if err != nil {
		return err
	}
	return c.Close()
}

// waitResolve asks one resolver from the client until it answers (dnsmasq takes a moment to bind).
func (l *Lab) waitResolve(ctx context.Context, server, name, want string) error {
	r := l.Resolver(server)
	var addrs []string
	var err error
	answered := func() bool {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		addrs, err = r.LookupHost(qctx, name)
		return err == nil
	}
	if poll.Wait(ctx, answered) != nil {
		return fmt.Errorf("resolver %s never answered: %w", server, err)
	}
	if len(addrs) != 1 || addrs[0] != want {
		return fmt.Errorf("%s resolved %s to %v, want %s", server, name, addrs, want)
	}
	return nil
}

// Resolver is a resolver that asks one server from inside the client namespace.
func (l *Lab) Resolver(server string) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return Dial(ctx, l.Client, network, net.JoinHostPort(server, "53"))
	}}
}

// HTTPClient is an HTTP client that connects from inside the client namespace and resolves
// through the lab's first resolver.
func (l *Lab) HTTPClient() *http.Client {
	r := l.Resolver(DNS1Addr)
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			DisableKeepAlives: true,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, port, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				if net.ParseIP(host) == nil {
					addrs, err := r.LookupHost(ctx, host)
					if err != nil {
						return nil, err
					}
					host = addrs[0]
				}
				return Dial(ctx, l.Client, network, net.JoinHostPort(host, port))
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (l *Lab) onClose(f func() error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closers = append(l.closers, f)
}

// Close stops every process and server and deletes every namespace and file of the lab. It is
// safe to call more than once and after a failed New.
func (l *Lab) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	closers := l.closers
	l.closers = nil
	l.mu.Unlock()
	var errs []error
	for i := len(closers) - 1; i >= 0; i-- {
		if err := closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Namespaces lists the lab's namespaces, for logs.
func (l *Lab) Namespaces() []string {
	names := []string{l.Client, l.Router, l.Net, l.VPN, l.Intra}
	sort.Strings(names)
	return names
}

// Describe dumps the client's links, addresses, routes and neighbours, for a failing test's log.
func (l *Lab) Describe() string {
	var b strings.Builder
	for _, args := range [][]string{
		{"-n", l.Client, "-br", "addr"}, {"-n", l.Client, "route"}, {"-n", l.Client, "neigh"},
	} {
		out, err := output(context.Background(), "ip", args...)
		fmt.Fprintf(&b, "$ ip %s\n%s", strings.Join(args, " "), out)
		if err != nil {
			fmt.Fprintf(&b, "(%v)\n", err)
		}
	}
	for i, d := range l.DNS {
		if d != nil {
			fmt.Fprintf(&b, "dnsmasq %d log:\n%s", i+1, d.Log())
		}
	}
	return b.String()
}
