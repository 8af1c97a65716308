//go:build linux

package lab

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"sort"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// The lab's IPv6 addresses (documentation prefix 2001:db8::/32), given by DualStack: the client's
// network, the router's far side with the servers, and the resolvers beside the IPv4 ones.
const (
	ClientAddr6  = "2001:db8:1::10"
	GatewayAddr6 = "2001:db8:1::1"
	RouterWAN6   = "2001:db8:2::1"
	NetAddr6     = "2001:db8:2::2"
	DNS1Addr6    = "2001:db8:2::53"
	DNS2Addr6    = "2001:db8:2::54"
	ProbeAddr6   = "2001:db8:2::80"
	ServiceAddr6 = "2001:db8:2::81"
)

// NAT64Prefix is the well-known NAT64 prefix (RFC 6052) that IPv6Only's DNS64 answers use.
const NAT64Prefix = "64:ff9b::/96"

// Synthesised is the address DNS64 makes up for an IPv4 address: NAT64Prefix with it at the end.
func Synthesised(v4 string) string {
	b := netip.MustParsePrefix(NAT64Prefix).Addr().As16()
	a4 := netip.MustParseAddr(v4).As4()
	copy(b[12:], a4[:])
	return netip.AddrFrom16(b).String()
}

// ipv4OnlyAddrs are ipv4only.arpa's addresses (RFC 7050).
var ipv4OnlyAddrs = []string{"192.0.0.170", "192.0.0.171"}

// DualStack gives the lab IPv6 beside IPv4, as most networks now have: addresses on the
// client's network and the servers' (no duplicate address detection, so they work at once),
// routes both ways through the router, the probe and the service answering on IPv6 too, and
// both resolvers answering AAAA for them. The resolvers stay on their IPv4 addresses.
func (l *Lab) DualStack() error {
	if err := l.addIPv6(); err != nil {
		return err
	}
	records := map[string][]string{
		ProbeName: {ProbeAddr, ProbeAddr6}, ServiceName: {ServiceAddr, ServiceAddr6}, InternalName: {InternalAddr},
	}
	if err := l.replaceDNSRecords([]string{DNS1Addr, DNS2Addr}, records, nil); err != nil {
		return err
	}
	return l.reachOver6(ProbeAddr6, ServiceAddr6)
}

// addIPv6 wires the IPv6 addresses and routes and serves the probe and the service on theirs.
func (l *Lab) addIPv6() error {
	for _, ns := range []string{l.Client, l.Router, l.Net} {
		if err := writeSysctl(ns, "net/ipv6/conf/all/disable_ipv6", "0"); err != nil {
			return err
		}
	}
	if err := writeSysctl(l.Router, "net/ipv6/conf/all/forwarding", "1"); err != nil {
		return err
	}
	batches := []struct {
		ns    string
		lines []string
	}{
		{l.Client, []string{
			"addr add " + ClientAddr6 + "/64 dev " + ClientLink + " nodad",
			"route add default via " + GatewayAddr6 + " dev " + ClientLink,
		}},
		{l.Router, []string{
			"addr add " + GatewayAddr6 + "/64 dev lan0 nodad",
			"addr add " + RouterWAN6 + "/64 dev wan0 nodad",
		}},
		{l.Net, []string{
			"addr add " + NetAddr6 + "/64 dev eth0 nodad",
			"addr add " + DNS1Addr6 + "/64 dev eth0 nodad",
			"addr add " + DNS2Addr6 + "/64 dev eth0 nodad",
			"addr add " + ProbeAddr6 + "/64 dev eth0 nodad",
			"addr add " + ServiceAddr6 + "/64 dev eth0 nodad",
			"route add 2001:db8:1::/64 via " + RouterWAN6,
		}},
	}
	for _, b := range batches {
		if err := ipBatch(b.ns, b.lines); err != nil {
			return err
		}
	}
	return l.serveAlso(map[string]*Site{ProbeAddr6: l.Probe, ServiceAddr6: l.Service})
}

// reachOver6 connects from the client to each address's port 80, as Verify does for IPv4, so
// that every path works and no neighbour lookup is left for the first real packets.
func (l *Lab) reachOver6(addrs ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, a := range addrs {
		c, err := Dial(ctx, l.Client, "tcp6", net.JoinHostPort(a, "80"))
		if err != nil {
			return err
		}
		_ = c.Close()
	}
	return nil
}

// serveAlso serves each site's body on one more address (port 80), as a Site of its own.
func (l *Lab) serveAlso(sites map[string]*Site) error {
	for addr, site := range sites {
		s, err := StartSite(l.Net, net.JoinHostPort(addr, "80"), site.Name+"-"+addr, site.body)
		if err != nil {
			return err
		}
		l.onClose(s.Close)
	}
	return nil
}

// IPv6Only makes the client's network IPv6 alone, with DNS64 and NAT64 for the IPv4 internet:
// the client loses its IPv4 address and default route (the VPN's tunnel keeps its own), its
// resolvers become the IPv6 ones, and they answer each IPv4-only name with a made-up address in
// NAT64Prefix, ipv4only.arpa included (RFC 7050).
//
// What is simulated: no packet is translated. The router routes NAT64Prefix to the servers'
// host, which holds the made-up addresses of the probe and the service itself and serves them
// there, so the client sees exactly what it would behind a real NAT64.
func (l *Lab) IPv6Only() error {
	if err := l.addIPv6(); err != nil {
		return err
	}
	probe6, service6 := Synthesised(ProbeAddr), Synthesised(ServiceAddr)
	err := ipBatch(l.Net, []string{
		"addr add " + probe6 + "/96 dev eth0 nodad",
		"addr add " + service6 + "/96 dev eth0 nodad",
	})
	if err != nil {
		return err
	}
	if err := ip("-n", l.Router, "route", "add", NAT64Prefix, "via", NetAddr6); err != nil {
		return err
	}
	if err := l.serveAlso(map[string]*Site{probe6: l.Probe, service6: l.Service}); err != nil {
		return err
	}
	only := []string{Synthesised(ipv4OnlyAddrs[0]), Synthesised(ipv4OnlyAddrs[1])}
	records := map[string][]string{
		// DNS64 keeps the A records and adds the made-up AAAA.
		ProbeName: {ProbeAddr, probe6}, ServiceName: {ServiceAddr, service6}, InternalName: {InternalAddr},
		"ipv4only.arpa": append(append([]string{}, ipv4OnlyAddrs...), only...),
	}
	if err := l.replaceDNSRecords([]string{DNS1Addr6, DNS2Addr6}, records, []string{"--local=/ipv4only.arpa/"}); err != nil {
		return err
	}
	if err := writeFile(filepath.Join("/etc/netns", l.Client, "resolv.conf"),
		"# apuri lab, IPv6 only\nnameserver "+DNS1Addr6+"\nnameserver "+DNS2Addr6+"\n"); err != nil {
		return err
	}
	if err := ip("-n", l.Client, "route", "del", "default", "via", GatewayAddr); err != nil {
		return err
	}
	if err := ip("-n", l.Client, "addr", "del", ClientAddr+"/24", "dev", ClientLink); err != nil {
		return err
	}
	return l.reachOver6(probe6, service6)
}

// BreakIPv6 makes the router drop every IPv6 packet it would forward (nftables), silently, as a
// network with a broken IPv6 uplink does: addresses, routes and AAAA answers stay, so every
// program tries IPv6 first and waits.
func (l *Lab) BreakIPv6() error {
	return nft(l.Router, "table ip6 apurilab6 {\n chain forward {\n  type filter hook forward priority 0; policy drop;\n }\n}\n")
}

// replaceDNSRecords restarts both resolvers on addrs, answering records (name → IPv4 and IPv6
// addresses) and the lab's domain alone, with extra dnsmasq options.
func (l *Lab) replaceDNSRecords(addrs []string, records map[string][]string, extra []string) error {
	answers := []string{"--local=/lab.test/"}
	names := make([]string, 0, len(records))
	for name := range records {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, a := range records[name] {
			answers = append(answers, fmt.Sprintf("--host-record=%s,%s", name, a))
		}
	}
	answers = append(answers, extra...)
	for i, old := range l.DNS {
		if err := old.Kill(); err != nil {
			return err
		}
		d, err := startDnsmasq(l.Net, addrs[i], answers, l.logf)
		if err != nil {
			return err
		}
		l.DNS[i] = d
		l.onClose(d.Stop)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, d := range l.DNS {
		if err := l.waitAnswer(ctx, d.Addr, ProbeName); err != nil {
			return err
		}
	}
	return nil
}

// waitAnswer asks one resolver from the client until it answers name (dnsmasq takes a moment
// to bind). Like Verify, it leaves the neighbour caches warm on the way there and back.
func (l *Lab) waitAnswer(ctx context.Context, server, name string) error {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return Dial(ctx, l.Client, network, net.JoinHostPort(server, "53"))
	}}
	var err error
	answered := func() bool {
		qctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_, err = r.LookupHost(qctx, name)
		return err == nil
	}
	if poll.Wait(ctx, answered) == nil {
		return nil
	}
	return fmt.Errorf("resolver %s never answered %s: %w", server, name, err)
}
