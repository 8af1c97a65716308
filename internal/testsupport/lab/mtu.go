//go:build linux

package lab

import (
	"errors"
	"fmt"
)

// MTULimit is the largest packet, in bytes, that the lab's MTU black holes let through.
const MTULimit = 1200

// DropLargeToService makes the router drop every packet to or from the service's host that is
// larger than MTULimit, and send no "fragmentation needed" back: an MTU black hole on the
// path to one service. Handshakes, name lookups and the internet probe's small page pass.
func (l *Lab) DropLargeToService() error {
	return l.dropLarge(l.Router, ServiceAddr, l.Net)
}

// DropLargeInVPN does the same inside the VPN, in the concentrator, to and from the internal
// host: the tunnel is up and vpn.internal's port answers, but the intranet's pages stall.
func (l *Lab) DropLargeInVPN() error {
	return l.dropLarge(l.VPN, InternalAddr, l.Intra)
}

// dropLarge loads the length rule in ns. The server's namespace first sends one wire-size
// segment per packet (gso_max_segs 1 on its link): otherwise its kernel hands the veth
// segmentation-offload packets of up to 64 KiB, the rule would judge those whatever the
// connection's segment size, and no size would pass, which is not how a real link behaves.
func (l *Lab) dropLarge(ns, host, serverNS string) error {
	if err := ip("-n", serverNS, "link", "set", "dev", "eth0", "gso_max_segs", "1"); err != nil {
		return err
	}
	rules := fmt.Sprintf("table inet apurimtu {\n chain forward {\n  type filter hook forward priority 0; policy accept;\n"+
		"  ip saddr %[1]s meta length > %[2]d drop\n  ip daddr %[1]s meta length > %[2]d drop\n }\n}\n", host, MTULimit)
	if err := nft(ns, rules); err != nil {
		return errors.Join(errors.New("MTU black hole needs nftables"), err)
	}
	return nil
}

// FilterEchoesToService makes the router drop every ICMP echo request to the service's host,
// as many firewalls do: a probe by echoes then hears nothing at any size.
func (l *Lab) FilterEchoesToService() error {
	rules := fmt.Sprintf("table inet apurinoecho {\n chain forward {\n  type filter hook forward priority 0; policy accept;\n"+
		"  ip daddr %s icmp type echo-request drop\n }\n}\n", ServiceAddr)
	if err := nft(l.Router, rules); err != nil {
		return errors.Join(errors.New("filtering echoes needs nftables"), err)
	}
	return nil
}
