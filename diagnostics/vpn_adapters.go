package diagnostics

import "strings"

// Windows names its adapters for people ("Ethernet 3", "Local Area Connection* 12"), so a VPN
// adapter is not found by its name there, as "tun0" or "utun3" is elsewhere. What tells is the
// adapter's type and the description its driver gives it. The OS layers fill Link.Kind and
// Link.Description; this file alone decides from them, the same way on every OS.

// vpnDescriptions are words in the driver descriptions of the usual VPN clients' adapters,
// lower case: Cisco AnyConnect / Secure Client, Palo Alto GlobalProtect (PANGP), FortiClient,
// WireGuard and Wintun, OpenVPN's TAP-Windows and data channel offload, Check Point,
// Pulse/Ivanti, SonicWall, Juniper, Zscaler, and Windows' own VPN (IKEv2, L2TP, SSTP and PPTP run
// over the "WAN Miniport" adapters).
var vpnDescriptions = []string{
	"anyconnect", "cisco secure client", "pangp", "globalprotect", "fortinet", "forticlient",
	"wireguard", "wintun", "tap-windows", "openvpn", "check point virtual", "juniper",
	"pulse secure", "ivanti", "sonicwall", "zscaler", "wan miniport", "vpn",
}

// transitionDescriptions are tunnel adapters that carry IPv6 over IPv4 for the OS itself, not a
// remote access connection: Teredo, 6to4, ISATAP and IP-HTTPS.
var transitionDescriptions = []string{"teredo", "6to4", "isatap", "ip-https", "iphttps"}

// vpnAdapter reports whether the OS describes l as a VPN adapter: a point-to-point tunnel or
// PPP link that is not an IPv6 transition tunnel, or an adapter whose driver description names
// a VPN client, whatever type it claims (several VPN clients present an Ethernet adapter).
func vpnAdapter(l Link) bool {
	if l.Loopback || l.Kind == LinkLoopback {
		return false
	}
	desc := strings.ToLower(l.Description)
	for _, w := range transitionDescriptions {
		if strings.Contains(desc, w) {
			return false
		}
	}
	if l.Kind == LinkTunnel || l.Kind == LinkPPP {
		return true
	}
	for _, w := range vpnDescriptions {
		if strings.Contains(desc, w) {
			return true
		}
	}
	return false
}

// linkIsTunnel reports whether l is a VPN tunnel: its name matches one of the profile's (or
// the usual) interface globs, or the OS describes it as a VPN adapter.
func linkIsTunnel(l Link, patterns []string) bool {
	return linkIsVPN(l.Name, patterns) || vpnAdapter(l)
}
