//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// The undoing of faults, and faults that come and go: what the watch tests need to see the
// connection break, come back, and bounce.

// ClientLinkUp brings the client's eth0 back up with its default route, as a network manager
// does when the adapter is switched on again (the kernel dropped the route with the link).
func (l *Lab) ClientLinkUp() error {
	if err := ip("-n", l.Client, "link", "set", ClientLink, "up"); err != nil {
		return err
	}
	return l.RestoreDefaultRoute()
}

// RestoreClientAddress gives eth0 its address and default route back, as DHCP finally answering.
func (l *Lab) RestoreClientAddress() error {
	if err := ip("-n", l.Client, "addr", "replace", ClientAddr+"/24", "dev", ClientLink); err != nil {
		return err
	}
	return l.RestoreDefaultRoute()
}

// RestoreDefaultRoute puts the client's default route back. Right after a link comes up the
// kernel may not yet have the route to the gateway, so it retries for a moment.
func (l *Lab) RestoreDefaultRoute() error {
	return ipRetry("-n", l.Client, "route", "replace", "default", "via", GatewayAddr, "dev", ClientLink)
}

// ipRetry runs ip until it succeeds, for up to 5 s, and returns the last attempt's error: a route
// through a link that has just come up may be refused for a moment.
func ipRetry(args ...string) error {
	var err error
	_ = poll.Within(5*time.Second, func() bool {
		err = ip(args...)
		return err == nil
	})
	return err
}

// RestoreGateway gives the router its address on the client's network back (undoes RemoveGateway).
func (l *Lab) RestoreGateway() error {
	return ip("-n", l.Router, "addr", "replace", GatewayAddr+"/24", "dev", "lan0")
}

// RestartAllDNS starts both resolvers again after KillAllDNS (or KillDNS).
func (l *Lab) RestartAllDNS() error {
	return errors.Join(l.RestartDNS(0), l.RestartDNS(1))
}

// RestartDNS starts resolver i again with the lab's records, replacing the one that was killed.
func (l *Lab) RestartDNS(i int) error {
	records := map[string]string{ProbeName: ProbeAddr, ServiceName: ServiceAddr, InternalName: InternalAddr}
	addr := []string{DNS1Addr, DNS2Addr}[i]
	if old := l.DNS[i]; old != nil {
		if err := old.Kill(); err != nil {
			return err
		}
	}
	d, err := StartDnsmasq(l.Net, addr, records, l.logf)
	if err != nil {
		return err
	}
	l.DNS[i] = d
	l.onClose(d.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return l.waitResolve(ctx, addr, ProbeName, ProbeAddr)
}

// UnblackholeProbe lets the router forward to the internet probe again (undoes BlackholeProbe).
func (l *Lab) UnblackholeProbe() error {
	return ip("-n", l.Router, "route", "del", "blackhole", ProbeAddr+"/32")
}

// RestoreTunnel builds tun0 again with its address and route to the internal network, as the
// VPN client reconnecting does (undoes DeleteTunnel, which took the concentrator's end too).
func (l *Lab) RestoreTunnel() error {
	if err := ipBatch(l.Client, []string{
		"link add " + ClientTunnel + " type veth peer name vpn0 netns " + l.VPN,
		"addr add " + TunAddr + "/30 dev " + ClientTunnel,
	}); err != nil {
		return err
	}
	if err := ipBatch(l.VPN, []string{
		"addr add " + VPNPeerAddr + "/30 dev vpn0",
		"link set vpn0 up",
	}); err != nil {
		return err
	}
	if err := ip("-n", l.Client, "link", "set", ClientTunnel, "up"); err != nil {
		return err
	}
	return ipRetry("-n", l.Client, "route", "replace", InternalNet, "via", VPNPeerAddr, "dev", ClientTunnel)
}

// PlugCable brings the router's side of the client's link back up and waits until the client
// sees the carrier (undoes UnplugCable).
func (l *Lab) PlugCable() error {
	if err := ip("-n", l.Router, "link", "set", "lan0", "up"); err != nil {
		return err
	}
	return l.waitCarrier(true)
}

// FlapCable makes the client's link bounce, as a loose cable or a Wi-Fi on the edge of its
// range does: bounces times the carrier goes for down and comes back for up, as the client
// sees it (the kernel reports carrier changes up to a second late, so each phase is timed from
// when the client saw it). It ends with the cable plugged in.
func (l *Lab) FlapCable(bounces int, down, up time.Duration) error {
	for i := range bounces {
		if err := l.UnplugCable(); err != nil {
			return fmt.Errorf("bounce %d down: %w", i+1, err)
		}
		time.Sleep(down)
		if err := l.PlugCable(); err != nil {
			return fmt.Errorf("bounce %d up: %w", i+1, err)
		}
		if i < bounces-1 {
			time.Sleep(up)
		}
	}
	return nil
}

// CarrierDown is when UnplugCable's link change was made, for timing what follows; it returns
// at once, without waiting for the client to notice.
func (l *Lab) CarrierDown() (time.Time, error) {
	t := time.Now()
	return t, ip("-n", l.Router, "link", "set", "lan0", "down")
}
