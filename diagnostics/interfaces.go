package diagnostics

import (
	"context"
	"net"
	"net/netip"
	"path"
	"strings"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// interfacesCheck asks the lowest question: is any network connected, and did it give the
// computer an address? VPN tunnels (by the profile's names, or adapters the OS describes as VPN
// adapters) are left to the VPN checks, so that a tunnel never makes a dead Wi-Fi look alive.
type interfacesCheck struct {
	net NetInfo
	// vpnPatterns are the profile's tunnel interface globs ("tun*", "wg*").
	vpnPatterns []string
}

func newInterfacesCheck(p *profile.Profile, n NetInfo) Check {
	return &interfacesCheck{net: n, vpnPatterns: p.VPN.Interfaces}
}

func (c *interfacesCheck) ID() string   { return IDInterfaces }
func (c *interfacesCheck) Group() Group { return GroupNetwork }

// linkDetail is how one link appears in the check's details.
type linkDetail struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind,omitempty"`
	Up      bool     `json:"up"`
	Carrier bool     `json:"carrier"`
	Addrs   []string `json:"addrs"`
	Usable  bool     `json:"usable"`
}

func (c *interfacesCheck) Run(ctx context.Context) Result {
	links, err := c.net.Links(ctx)
	if err != nil {
		Logf(ctx, "reading the interfaces failed: %v", err)
		return Skip(i18n.Msg("check.interfaces.unknown", "error", err.Error()))
	}
	var (
		details           = []linkDetail{}
		ignored           = []string{}
		connected, usable []string
	)
	for _, l := range links {
		if l.Loopback {
			continue
		}
		if linkIsTunnel(l, c.vpnPatterns) {
			ignored = append(ignored, l.Name)
			Logf(ctx, "%s: a VPN interface, left to the VPN checks", l.Name)
			continue
		}
		d := linkDetail{Name: l.Name, Kind: l.Kind, Up: l.Up, Carrier: l.Carrier, Addrs: []string{}}
		for _, a := range l.Addrs {
			d.Addrs = append(d.Addrs, a.String())
			if l.Up && l.Carrier && usableAddr(a.Addr()) {
				d.Usable = true
			}
		}
		Logf(ctx, "%s: up=%t carrier=%t addresses=[%s] usable=%t",
			l.Name, l.Up, l.Carrier, strings.Join(d.Addrs, " "), d.Usable)
		if l.Up && l.Carrier {
			connected = append(connected, l.Name)
		}
		if d.Usable {
			usable = append(usable, l.Name)
		}
		details = append(details, d)
	}
	var res Result
	switch {
	case len(connected) == 0:
		res = Fail(i18n.Msg("check.interfaces.no_link")).Because(ReasonNoLink)
	case len(usable) == 0:
		res = Fail(i18n.Msg("check.interfaces.no_address", "links", strings.Join(connected, ", "))).Because(ReasonNoAddress)
	default:
		res = OK(i18n.Msg("check.interfaces.ok", "links", strings.Join(usable, ", ")))
	}
	return res.Detail(DetailLinks, details).Detail(DetailIgnoredVPN, ignored)
}

// linkIsVPN reports whether an interface name matches one of the VPN globs.
func linkIsVPN(name string, patterns []string) bool {
	for _, p := range patterns {
		if ok, err := path.Match(p, name); err == nil && ok {
			return true
		}
	}
	return false
}

// usableAddr reports whether an address lets the computer talk beyond its own link. A link-local
// address (169.254/16, fe80::/10) is what a computer gives itself when DHCP did not answer, so
// it counts as no address at all.
func usableAddr(a netip.Addr) bool {
	return a.IsValid() && !a.IsLinkLocalUnicast() && !a.IsLoopback() && !a.IsUnspecified() && !a.IsMulticast()
}

// ipNetPrefix converts an OS address to a netip.Prefix.
func ipNetPrefix(n *net.IPNet) (netip.Prefix, bool) {
	a, ok := netip.AddrFromSlice(n.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	ones, bits := n.Mask.Size()
	if a.Is4In6() && bits == 128 && ones >= 96 {
		ones -= 96
	}
	return netip.PrefixFrom(a.Unmap(), ones), true
}
