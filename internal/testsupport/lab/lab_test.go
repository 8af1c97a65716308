//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

// need skips (or, in CI, fails) when the machine cannot build a lab.
func need(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("network lab skipped in -short mode")
	}
	if m := Missing(); m != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("network lab needs %s", m)
		}
		t.Skipf("network lab needs %s", m)
	}
}

func newTestLab(t *testing.T) *Lab {
	t.Helper()
	need(t)
	l, err := New(context.Background(), Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	return l
}

func namespaceExists(t *testing.T, name string) bool {
	t.Helper()
	_, err := os.Stat(filepath.Join("/run/netns", name))
	return err == nil
}

// TestCloseRemovesEverything builds a lab, closes it, and checks that no namespace, resolver
// or /etc/netns file is left.
func TestCloseRemovesEverything(t *testing.T) {
	need(t)
	l, err := New(context.Background(), Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	names, dir := l.Namespaces(), l.Dir
	for _, n := range names {
		if !namespaceExists(t, n) {
			t.Fatalf("namespace %s missing while the lab is open", n)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if namespaceExists(t, n) {
			t.Errorf("namespace %s left behind", n)
		}
		if _, err := os.Stat(filepath.Join("/etc/netns", n)); err == nil {
			t.Errorf("/etc/netns/%s left behind", n)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lab dir %s left behind (%v)", dir, err)
	}
	for _, d := range l.DNS {
		if pidAlive(d.cmd.Process.Pid) {
			t.Errorf("dnsmasq %d still running", d.cmd.Process.Pid)
		}
	}
	if err := l.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}

// TestCleanStale removes a namespace named after a dead process and keeps this process's.
func TestCleanStale(t *testing.T) {
	need(t)
	dead := deadPid(t)
	stale := Prefix + strconv.Itoa(dead) + "-1-client"
	if err := ip("netns", "add", stale); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = removeNamespace(stale) })
	if err := os.MkdirAll(filepath.Join("/etc/netns", stale), 0o755); err != nil {
		t.Fatal(err)
	}
	mine, remove, err := NewNamespace("keep")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = remove() })

	removed, err := CleanStale()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(removed, " "), stale) {
		t.Errorf("CleanStale removed %v, want %s among them", removed, stale)
	}
	if namespaceExists(t, stale) {
		t.Errorf("stale namespace %s still there", stale)
	}
	if _, err := os.Stat(filepath.Join("/etc/netns", stale)); err == nil {
		t.Errorf("stale /etc/netns/%s still there", stale)
	}
	if !namespaceExists(t, mine) {
		t.Errorf("CleanStale removed %s, which belongs to a live process", mine)
	}
}

// deadPid finds a pid that no process has.
func deadPid(t *testing.T) int {
	t.Helper()
	for pid := 4_000_000; pid > 3_000_000; pid -= 7919 {
		if !pidAlive(pid) {
			return pid
		}
	}
	t.Fatal("no free pid found")
	return 0
}

func TestOwnerPid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		pid  int
		ok   bool
	}{
		{"lab namespace", "apuri-lab-123-4-client", 123, true},
		{"other tool", "isolated-123-456", 0, false},
		{"no pid", "apuri-lab-x-1-net", 0, false},
		{"bare prefix", "apuri-lab-", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pid, ok := ownerPid(tt.in)
			if pid != tt.pid || ok != tt.ok {
				t.Errorf("ownerPid(%q) = %d, %v; want %d, %v", tt.in, pid, ok, tt.pid, tt.ok)
			}
		})
	}
}

// TestFaults checks from the client that each fault breaks what it says and nothing below it,
// independently of Apuri's checks: if these pass and an Apuri lab test fails, the check is wrong.
func TestFaults(t *testing.T) {
	need(t)
	tests := []struct {
		name  string
		fault func(*Lab) error
		// probe is what the client tries after the fault; wantErr says whether it must fail.
		probe   func(context.Context, *Lab) error
		wantErr bool
	}{
		{"healthy lab answers", func(*Lab) error { return nil }, verify, false},
		{"unplugged cable drops the carrier", (*Lab).UnplugCable, carrier(false), false},
		{"link down drops the carrier", (*Lab).ClientLinkDown, carrier(false), false},
		{"no address leaves no IPv4", (*Lab).RemoveClientAddress, hasIPv4(false), false},
		{"link-local only", (*Lab).LinkLocalOnly, linkLocalOnly, false},
		{"no default route", (*Lab).DeleteDefaultRoute, reach(DNS1Addr, 53, "udp"), true},
		{"gateway gone", (*Lab).RemoveGateway, reach(ProbeAddr, 80, "tcp"), true},
		{"both resolvers dead", (*Lab).KillAllDNS, resolve(DNS2Addr), true},
		{"one resolver dead, other answers", func(l *Lab) error { return l.KillDNS(0) }, resolve(DNS2Addr), false},
		{"first resolver silent", func(l *Lab) error { return l.DropDNS(0) }, resolve(DNS1Addr), true},
		{"first resolver silent, second answers", func(l *Lab) error { return l.DropDNS(0) }, resolve(DNS2Addr), false},
		{"probe black-holed", (*Lab).BlackholeProbe, reach(ProbeAddr, 80, "tcp"), true},
		{"probe black-holed, service still reachable", (*Lab).BlackholeProbe, reach(ServiceAddr, 80, "tcp"), false},
		{"tunnel deleted", (*Lab).DeleteTunnel, reach(InternalAddr, InternalPort, "tcp"), true},
		{"internal black-holed", (*Lab).BlackholeInternal, reach(InternalAddr, InternalPort, "tcp"), true},
		{"internal black-holed, tunnel peer answers", (*Lab).BlackholeInternal, reach(VPNPeerAddr, 0, "ping"), false},
		{"everything dropped", func(l *Lab) error { _, err := l.DropEverything(); return err }, reach(GatewayAddr, 0, "ping"), true},
		{"everything dropped, tunnel too", func(l *Lab) error { _, err := l.DropEverything(); return err }, reach(InternalAddr, InternalPort, "tcp"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newTestLab(t)
			if err := tt.fault(l); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
			defer cancel()
			err := tt.probe(ctx, l)
			if (err != nil) != tt.wantErr {
				t.Errorf("after the fault: err = %v, want error: %v\n%s", err, tt.wantErr, l.Describe())
			}
		})
	}
}

func verify(ctx context.Context, l *Lab) error { return l.Verify(ctx) }

// reach proves a path from the client: a TCP connect, a DNS query for "udp", an ICMP echo
// for "ping".
func reach(addr string, port int, network string) func(context.Context, *Lab) error {
	return func(ctx context.Context, l *Lab) error {
		if network == "ping" {
			return ping(ctx, l.Client, addr)
		}
		if network == "udp" {
			// A DNS query proves a UDP path; a bare connect does not.
			_, err := l.Resolver(addr).LookupHost(ctx, ProbeName)
			return err
		}
		c, err := Dial(ctx, l.Client, network, net.JoinHostPort(addr, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		return c.Close()
	}
}

func resolve(server string) func(context.Context, *Lab) error {
	return func(ctx context.Context, l *Lab) error {
		_, err := l.Resolver(server).LookupHost(ctx, ProbeName)
		return err
	}
}

// clientLink reads the client's eth0 through netlink from inside its namespace.
func clientLink(l *Lab) (net.Interface, []net.Addr, error) {
	var ifi *net.Interface
	var addrs []net.Addr
	err := Do(l.Client, func() error {
		var err error
		if ifi, err = net.InterfaceByName(ClientLink); err != nil {
			return err
		}
		addrs, err = ifi.Addrs()
		return err
	})
	if err != nil {
		return net.Interface{}, nil, err
	}
	return *ifi, addrs, nil
}

func carrier(want bool) func(context.Context, *Lab) error {
	return func(_ context.Context, l *Lab) error {
		ifi, _, err := clientLink(l)
		if err != nil {
			return err
		}
		if got := ifi.Flags&net.FlagRunning != 0; got != want {
			return fmt.Errorf("eth0 running = %v, want %v (flags %v)", got, want, ifi.Flags)
		}
		return nil
	}
}

func ipv4s(addrs []net.Addr) []net.IP {
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			ips = append(ips, n.IP)
		}
	}
	return ips
}

func hasIPv4(want bool) func(context.Context, *Lab) error {
	return func(_ context.Context, l *Lab) error {
		_, addrs, err := clientLink(l)
		if err != nil {
			return err
		}
		if got := len(ipv4s(addrs)) > 0; got != want {
			return fmt.Errorf("eth0 IPv4 addresses %v, want some: %v", addrs, want)
		}
		return nil
	}
}

func linkLocalOnly(_ context.Context, l *Lab) error {
	_, addrs, err := clientLink(l)
	if err != nil {
		return err
	}
	ips := ipv4s(addrs)
	if len(ips) != 1 || !ips[0].IsLinkLocalUnicast() {
		return fmt.Errorf("eth0 IPv4 addresses %v, want one 169.254.x.x", ips)
	}
	return nil
}

// ping sends one ICMP echo from ns and waits for the reply.
func ping(ctx context.Context, ns, addr string) error {
	var c *icmp.PacketConn
	err := Do(ns, func() error {
		var err error
		c, err = icmp.ListenPacket("ip4:icmp", "0.0.0.0")
		return err
	})
	if err != nil {
		return err
	}
	defer c.Close()
	msg := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: os.Getpid() & 0xffff, Seq: 1, Data: []byte("apuri-lab")}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(b, &net.IPAddr{IP: net.ParseIP(addr)}); err != nil {
		return err
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Second)
	}
	_ = c.SetReadDeadline(deadline)
	buf := make([]byte, 1500)
	for {
		n, peer, err := c.ReadFrom(buf)
		if err != nil {
			return err
		}
		m, err := icmp.ParseMessage(1, buf[:n])
		if err == nil && m.Type == ipv4.ICMPTypeEchoReply && peer.String() == addr {
			return nil
		}
	}
}
