package diagnostics

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// When the computer will not open a socket to the nameservers (Wine 8 refuses the socket option
// Go sets on Windows' UDP sockets; a security product may refuse the socket), the servers are
// not called dead: the system resolver alone decides, and the details say why.
func TestDNSServersUnasked(t *testing.T) {
	servers := []string{"192.0.2.53:53", "192.0.2.54:53"}
	system := func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("192.0.2.80")}, nil
	}
	refuse := func(syscallName string, errno syscall.Errno) func(context.Context, *dns.Msg, string, string) (*dns.Msg, time.Duration, error) {
		return func(_ context.Context, _ *dns.Msg, network, server string) (*dns.Msg, time.Duration, error) {
			return nil, 0, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError(syscallName, errno)}
		}
	}

	c := testDNSCheck([]string{"probe.test"}, servers, system)
	c.exchange = refuse("wsaioctl", 10045)
	r := c.Run(context.Background())
	assertContract(t, r)
	if r.Status != StatusOK {
		t.Errorf("status %s (%s), want ok: the system resolver answered", r.Status, r.Reason)
	}
	if got, _ := r.Details[DetailServersUnasked].(string); got == "" {
		t.Errorf("no reason why the servers were not asked: %v", r.Details)
	}
	if dead := r.Details[DetailDeadServers].([]string); len(dead) != 0 {
		t.Errorf("dead servers %v, none was asked", dead)
	}

	// A connect that fails is a finding about the network, not about this computer.
	c = testDNSCheck([]string{"probe.test"}, servers, system)
	c.exchange = refuse("connect", syscall.ENETUNREACH)
	r = c.Run(context.Background())
	if _, ok := r.Details[DetailServersUnasked]; ok || r.Status != StatusWarn || len(r.Details[DetailDeadServers].([]string)) != 2 {
		t.Errorf("connect refused by the network: %s %v", r.Status, r.Details)
	}
}
