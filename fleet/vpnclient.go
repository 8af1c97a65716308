package fleet

import (
	"strings"

	"github.com/apuri-project/apuri/diagnostics"
)

// The VPN client a report's tunnel belongs to, as a word from a fixed list: the interface's
// own name (an adapter may be named after its user) is never sent.

// vpnFamilies map an interface name's start to the client that makes such interfaces.
var vpnFamilies = []struct{ prefix, client string }{
	{"wg", "wireguard"}, {"cscotun", "anyconnect"}, {"gpd", "globalprotect"},
	{"tun", "openvpn"}, {"tap", "openvpn"}, {"ppp", "ppp"}, {"ipsec", "ipsec"}, {"utun", "macos"},
}

// VPNClientNone is apuri.vpn_client when no tunnel is up or known.
const VPNClientNone = "none"

// VPNClient names the client of the report's tunnel: "wireguard", "openvpn", "anyconnect",
// "globalprotect", "ppp", "ipsec", "macos" (a utun of any client), "other" or "none".
func VPNClient(r *diagnostics.Report) string {
	if r == nil {
		return VPNClientNone
	}
	res, ok := r.Result(diagnostics.IDVPNTunnel)
	if !ok {
		return VPNClientNone
	}
	names := stringsOf(res.Details[diagnostics.DetailInterfaces])
	if len(names) == 0 {
		names = stringsOf(res.Details[diagnostics.DetailInactive])
	}
	if len(names) == 0 {
		return VPNClientNone
	}
	n := strings.ToLower(names[0])
	for _, f := range vpnFamilies {
		if strings.HasPrefix(n, f.prefix) {
			return f.client
		}
	}
	return "other"
}

// stringsOf reads a detail that is a list of strings, in memory or decoded from JSON.
func stringsOf(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
