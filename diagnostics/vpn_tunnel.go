package diagnostics

import (
	"context"
	"path"
	"strings"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// defaultVPNInterfaces are the usual tunnel names (OpenVPN, WireGuard, PPP/L2TP, macOS, GlobalProtect,
// AnyConnect, IPsec), used when the profile names none; they match the embedded default profile.
var defaultVPNInterfaces = []string{"tun*", "wg*", "ppp*", "utun*", "tap*", "vpn*", "gpd*", "cscotun*", "ipsec*"}

// vpnTunnelCheck looks for a secure remote access tunnel among the local links.
type vpnTunnelCheck struct {
	required bool
	patterns []string
	net      NetInfo
}

func newVPNTunnelCheck(p *profile.Profile, n NetInfo) Check {
	return &vpnTunnelCheck{required: p.VPN.Required, patterns: vpnPatterns(p), net: n}
}

func (c *vpnTunnelCheck) ID() string   { return IDVPNTunnel }
func (c *vpnTunnelCheck) Group() Group { return GroupVPN }

func (c *vpnTunnelCheck) Run(ctx context.Context) Result {
	if c.net == nil {
		Logf(ctx, "no network information on this system")
		return Skip(i18n.Msg("check.vpn_tunnel.unknown")).Because(ReasonNoData)
	}
	tunnels, idle, err := findTunnels(ctx, c.net, c.patterns)
	if err != nil {
		// Without the link list nothing can be said either way; a guess would mislead the verdict.
		Logf(ctx, "reading links: %v", err)
		return Skip(i18n.Msg("check.vpn_tunnel.unknown")).Because(ReasonNoData).Detail(DetailError, err.Error())
	}
	if len(tunnels) > 0 {
		names := make([]string, len(tunnels))
		addrs := map[string][]string{}
		for i, l := range tunnels {
			names[i] = l.Name
			addrs[l.Name] = usableAddrs(l)
		}
		Logf(ctx, "tunnel up: %s", strings.Join(names, ", "))
		return OK(i18n.Msg("check.vpn_tunnel.ok", "interfaces", strings.Join(names, ", "))).
			Detail(DetailInterfaces, names).Detail(DetailAddresses, addrs)
	}
	var r Result
	if c.required {
		Logf(ctx, "no tunnel up, and the profile requires one")
		r = Fail(i18n.Msg("check.vpn_tunnel.down")).Because(ReasonVPNDown)
	} else {
		Logf(ctx, "no tunnel up; none required")
		r = Skip(i18n.Msg("check.vpn_tunnel.absent")).Because(ReasonVPNAbsent)
	}
	r = r.Detail(DetailPatterns, c.patterns).Detail(DetailRequired, c.required)
	if len(idle) > 0 {
		r = r.Detail(DetailInactive, idle)
	}
	return r
}

// vpnPatterns returns the profile's tunnel name patterns, or the usual ones.
func vpnPatterns(p *profile.Profile) []string {
	if len(p.VPN.Interfaces) > 0 {
		return p.VPN.Interfaces
	}
	return defaultVPNInterfaces
}

// findTunnels returns the links that match a pattern, or that the OS describes as VPN adapters
// (vpn_adapters.go), and carry traffic (up, with a usable
// address), and the names of those that match but are not working: a tunnel interface that
// exists but is down tells support the client is installed but not connected.
func findTunnels(ctx context.Context, n NetInfo, patterns []string) (up []Link, idle []string, err error) {
	links, err := n.Links(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range links {
		if l.Loopback || !(matchesAny(ctx, l.Name, patterns) || vpnAdapter(l)) {
			continue
		}
		if l.Up && len(usableAddrs(l)) > 0 {
			up = append(up, l)
		} else {
			idle = append(idle, l.Name)
		}
	}
	return up, idle, nil
}

// matchesAny matches a link name against path.Match globs, also ignoring case, because Windows
// adapter names are written in whatever case the VPN vendor chose.
func matchesAny(ctx context.Context, name string, patterns []string) bool {
	for _, pat := range patterns {
		ok, err := path.Match(pat, name)
		if err != nil {
			Logf(ctx, "bad interface pattern %q: %v", pat, err)
			continue
		}
		if !ok {
			ok, _ = path.Match(strings.ToLower(pat), strings.ToLower(name))
		}
		if ok {
			return true
		}
	}
	return false
}

// usableAddrs drops link-local addresses: every tunnel device gets one (macOS keeps several utun
// devices with only fe80:: addresses for its own services), so they prove no VPN connection.
func usableAddrs(l Link) []string {
	var out []string
	for _, a := range l.Addrs {
		ip := a.Addr()
		if !ip.IsValid() || ip.IsLinkLocalUnicast() || ip.IsLoopback() {
			continue
		}
		out = append(out, a.String())
	}
	return out
}
