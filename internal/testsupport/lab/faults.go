//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// Faults: each breaks one layer the way it breaks in real life, and leaves the rest healthy.

// UnplugCable takes the router's side of the client's link down, so the client's eth0 stays
// administratively up but loses its carrier, as when a cable is pulled or a radio drops.
// The kernel reports a carrier change a moment later (link events are batched for up to a
// second), so it waits until the client sees it.
func (l *Lab) UnplugCable() error {
	if err := ip("-n", l.Router, "link", "set", "lan0", "down"); err != nil {
		return err
	}
	return l.waitCarrier(false)
}

// waitCarrier waits until the client's eth0 shows the carrier state wanted.
func (l *Lab) waitCarrier(want bool) error {
	var running bool
	var err error
	settled := func() bool {
		err = Do(l.Client, func() error {
			ifi, err := net.InterfaceByName(ClientLink)
			if err != nil {
				return err
			}
			running = ifi.Flags&net.FlagRunning != 0
			return nil
		})
		return err != nil || running == want
	}
	if poll.Within(5*time.Second, settled) != nil {
		return fmt.Errorf("client %s carrier still %v after 5 s", ClientLink, running)
	}
	return err
}

// ClientLinkDown sets the client's eth0 administratively down, as when the user switches the
// adapter off; the kernel drops its routes with it.
func (l *Lab) ClientLinkDown() error {
	return ip("-n", l.Client, "link", "set", ClientLink, "down")
}

// RemoveClientAddress takes every address off the client's eth0 (DHCP never answered); the
// routes through it go too.
func (l *Lab) RemoveClientAddress() error {
	return ip("-n", l.Client, "addr", "flush", "dev", ClientLink)
}

// LinkLocalOnly leaves the client's eth0 with only a 169.254.x.x address, which is what an
// operating system assigns itself when DHCP fails.
func (l *Lab) LinkLocalOnly() error {
	if err := l.RemoveClientAddress(); err != nil {
		return err
	}
	return ip("-n", l.Client, "addr", "add", "169.254.23.45/16", "dev", ClientLink)
}

// DeleteDefaultRoute removes the client's default route; addresses and the tunnel stay.
func (l *Lab) DeleteDefaultRoute() error {
	return ip("-n", l.Client, "route", "del", "default")
}

// RemoveGateway removes the router's address on the client's network, so nothing answers ARP
// for the gateway. The client's neighbour cache is flushed too, as it would have expired by the
// time a user notices (otherwise it keeps the old entry for up to ~45 s).
func (l *Lab) RemoveGateway() error {
	if err := ip("-n", l.Router, "addr", "del", GatewayAddr+"/24", "dev", "lan0"); err != nil {
		return err
	}
	return l.FlushNeighbours()
}

// FlushNeighbours empties the client's ARP cache.
func (l *Lab) FlushNeighbours() error {
	return errors.Join(
		ip("-n", l.Client, "neigh", "flush", "dev", ClientLink),
		ip("-n", l.Client, "neigh", "flush", "dev", ClientTunnel))
}

// KillDNS kills resolver i (0: DNS1Addr, 1: DNS2Addr), as when the DNS server crashes: its
// host still refuses every query at once (ICMP port unreachable).
func (l *Lab) KillDNS(i int) error { return l.DNS[i].Kill() }

// DropDNS makes resolver i (0: DNS1Addr, 1: DNS2Addr) silent: the router drops everything to
// it, as when the server's host is down or cut off. Unlike KillDNS nothing refuses the query,
// so a client waits for its whole timeout before it asks the next server.
func (l *Lab) DropDNS(i int) error {
	return ip("-n", l.Router, "route", "add", "blackhole", l.DNS[i].Addr+"/32")
}

// KillAllDNS kills both resolvers.
func (l *Lab) KillAllDNS() error { return errors.Join(l.KillDNS(0), l.KillDNS(1)) }

// BlackholeProbe makes the router silently drop everything to the internet probe's host, as
// when the organisation's or the operator's uplink is down; local resolvers still answer.
func (l *Lab) BlackholeProbe() error {
	return ip("-n", l.Router, "route", "add", "blackhole", ProbeAddr+"/32")
}

// DeleteTunnel removes tun0, as when the VPN client disconnects.
func (l *Lab) DeleteTunnel() error {
	return ip("-n", l.Client, "link", "del", ClientTunnel)
}

// BlackholeInternal makes the VPN concentrator drop everything to the internal host: the tunnel
// is up but leads nowhere.
func (l *Lab) BlackholeInternal() error {
	return ip("-n", l.VPN, "route", "add", "blackhole", InternalAddr+"/32")
}

// DropMethod says how DropEverything made the network drop every packet.
type DropMethod string

// The ways to drop every packet, best first.
const (
	DropNetem     DropMethod = "netem loss 100% on the client's eth0 and tun0"
	DropNFTables  DropMethod = "nftables netdev ingress drop at the router and the VPN concentrator"
	DropBlackhole DropMethod = "gateway and VPN peer addresses removed (nothing answers ARP)"
)

// DropEverything makes the whole network silently lose every packet the client sends, on the
// LAN and through the tunnel: the worst case for a diagnosis, because every probe waits for its
// timeout. It prefers netem on the client, then nftables in the router, then removing the next
// hops, and says which it used.
func (l *Lab) DropEverything() (DropMethod, error) {
	netem := func(dev string) error {
		return run(context.Background(), "tc", "-n", l.Client, "qdisc", "add", "dev", dev, "root", "netem", "loss", "100%")
	}
	if _, err := exec.LookPath("tc"); err == nil {
		if err := netem(ClientLink); err == nil {
			if err := netem(ClientTunnel); err != nil {
				return "", err
			}
			return DropNetem, nil
		}
	}
	if _, err := exec.LookPath("nft"); err == nil {
		rules := func(dev string) string {
			return fmt.Sprintf("table netdev apurilab {\n chain block {\n  type filter hook ingress device %q priority 0; policy drop;\n }\n}\n", dev)
		}
		err1 := nft(l.Router, rules("lan0"))
		if err1 == nil {
			if err := nft(l.VPN, rules("vpn0")); err != nil {
				return "", err
			}
			return DropNFTables, l.FlushNeighbours()
		}
	}
	err := errors.Join(
		ip("-n", l.Router, "addr", "del", GatewayAddr+"/24", "dev", "lan0"),
		ip("-n", l.VPN, "addr", "del", VPNPeerAddr+"/30", "dev", "vpn0"),
		l.FlushNeighbours())
	return DropBlackhole, err
}

// nft loads a ruleset inside ns.
func nft(ns, ruleset string) error {
	cmd := exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(ruleset)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("nft in %s: %w: %s", ns, err, strings.TrimSpace(string(out)))
	}
	return nil
}
