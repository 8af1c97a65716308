package diagnostics

import (
	"context"
	"reflect"
	"testing"

	"github.com/apuri-project/apuri/profile"
)

func TestVPNAdapter(t *testing.T) {
	tests := []struct {
		link Link
		want bool
	}{
		{Link{Name: "Ethernet 3", Kind: LinkEthernet, Description: "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64"}, true},
		{Link{Name: "Ethernet 4", Kind: LinkVirtual, Description: "PANGP Virtual Ethernet Adapter Secure"}, true},
		{Link{Name: "Ethernet 5", Kind: LinkEthernet, Description: "Fortinet SSL VPN Virtual Ethernet Adapter"}, true},
		{Link{Name: "office", Kind: LinkTunnel, Description: "WireGuard Tunnel"}, true},
		{Link{Name: "OpenVPN Wintun", Kind: LinkVirtual, Description: "Wintun Userspace Tunnel"}, true},
		{Link{Name: "Local Area Connection", Kind: LinkEthernet, Description: "TAP-Windows Adapter V9"}, true},
		{Link{Name: "Work VPN", Kind: LinkPPP, Description: "WAN Miniport (IKEv2)"}, true},
		{Link{Name: "ppp0", Kind: LinkPPP}, true},
		{Link{Name: "Teredo Tunneling Pseudo-Interface", Kind: LinkTunnel, Description: "Teredo Tunneling Pseudo-Interface"}, false},
		{Link{Name: "isatap.{GUID}", Kind: LinkTunnel, Description: "Microsoft ISATAP Adapter"}, false},
		{Link{Name: "vEthernet (Default Switch)", Kind: LinkEthernet, Description: "Hyper-V Virtual Ethernet Adapter"}, false},
		{Link{Name: "Ethernet", Kind: LinkEthernet, Description: "Intel(R) Ethernet Connection I219-LM"}, false},
		{Link{Name: "Wi-Fi", Kind: LinkWiFi, Description: "Intel(R) Wi-Fi 6 AX201 160MHz"}, false},
		{Link{Name: "Loopback", Kind: LinkLoopback, Loopback: true}, false},
		{Link{Name: "eth0"}, false},
	}
	for _, tt := range tests {
		if got := vpnAdapter(tt.link); got != tt.want {
			t.Errorf("vpnAdapter(%s, %q) = %t, want %t", tt.link.Kind, tt.link.Description, got, tt.want)
		}
	}
}

func TestLinkIsTunnel(t *testing.T) {
	patterns := []string{"tun*"}
	if !linkIsTunnel(Link{Name: "tun0", Kind: LinkEthernet}, patterns) {
		t.Error("a name matching the profile is not a tunnel")
	}
	if !linkIsTunnel(Link{Name: "Ethernet 4", Description: "PANGP Virtual Ethernet Adapter"}, patterns) {
		t.Error("a VPN client's adapter is not a tunnel")
	}
	if linkIsTunnel(Link{Name: "Ethernet", Kind: LinkEthernet, Description: "Realtek PCIe GbE Family Controller"}, patterns) {
		t.Error("a plain Ethernet adapter is a tunnel")
	}
}

// A Windows computer's adapters, named for people: the VPN is found by its driver's
// description, the interfaces check leaves it to the VPN checks, and the verdict reads the
// same results as on any other OS.
func TestVPNAdapterThroughTheChecks(t *testing.T) {
	wifi := link("Wi-Fi", true, "192.0.2.10/24")
	wifi.Kind = LinkWiFi
	vpn := link("Ethernet 4", true, "10.20.0.5/24")
	vpn.Kind, vpn.Description = LinkVirtual, "PANGP Virtual Ethernet Adapter Secure"
	teredo := link("Teredo Tunneling Pseudo-Interface", true, "2001:0:db8::1/64")
	teredo.Kind, teredo.Description = LinkTunnel, "Teredo Tunneling Pseudo-Interface"
	n := tunnelNetInfo{links: []Link{wifi, vpn, teredo}}
	p := &profile.Profile{VPN: profile.VPN{Required: true}}

	res := newVPNTunnelCheck(p, n).Run(context.Background())
	if res.Status != StatusOK || !reflect.DeepEqual(res.Details[DetailInterfaces], []string{"Ethernet 4"}) {
		t.Errorf("vpn tunnel: %s %v", res.Status, res.Details)
	}
	res = newInterfacesCheck(p, n).Run(context.Background())
	if res.Status != StatusOK || !reflect.DeepEqual(res.Details[DetailIgnoredVPN], []string{"Ethernet 4"}) {
		t.Errorf("interfaces: %s %v", res.Status, res.Details)
	}

	// The same adapter disconnected: the tunnel is down, and the Wi-Fi alone carries the link.
	vpn.Up, vpn.Carrier, vpn.Addrs = false, false, nil
	n = tunnelNetInfo{links: []Link{wifi, vpn}}
	res = newVPNTunnelCheck(p, n).Run(context.Background())
	if res.Status != StatusFail || res.Reason != ReasonVPNDown || !reflect.DeepEqual(res.Details[DetailInactive], []string{"Ethernet 4"}) {
		t.Errorf("vpn tunnel down: %s %s %v", res.Status, res.Reason, res.Details)
	}
}
