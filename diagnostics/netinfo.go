package diagnostics

import (
	"context"
	"net/netip"
)

// Link is one network interface as the operating system sees it.
type Link struct {
	Name     string         `json:"name"`
	Index    int            `json:"index"`
	Up       bool           `json:"up"`      // administratively up
	Carrier  bool           `json:"carrier"` // a cable, radio or peer is there
	Loopback bool           `json:"loopback"`
	Addrs    []netip.Prefix `json:"addrs"`
	MAC      string         `json:"mac,omitempty"`
	// Kind is what sort of link the OS says this is (LinkEthernet, LinkWiFi, LinkTunnel, …);
	// empty when the OS does not say.
	Kind string `json:"kind,omitempty"`
	// Description is the adapter's driver description where the OS has one (Windows: "Intel(R)
	// Ethernet Connection", "PANGP Virtual Ethernet Adapter"); VPN adapters are recognised by it.
	Description string `json:"description,omitempty"`
}

// The kinds of link the OS layers report. The checks read them the same way on every OS.
const (
	LinkEthernet = "ethernet"
	LinkWiFi     = "wifi"
	LinkTunnel   = "tunnel"
	LinkPPP      = "ppp"
	// LinkVirtual is a software adapter of no standard type (Windows' IF_TYPE_PROP_VIRTUAL),
	// which VPN clients and hypervisors both use.
	LinkVirtual  = "virtual"
	LinkLoopback = "loopback"
	LinkOther    = "other"
)

// Route is a default route.
type Route struct {
	Gateway   netip.Addr `json:"gateway"` // invalid for an on-link (point-to-point) default route
	Interface string     `json:"interface"`
}

// NetInfo reads the local network configuration. Each OS has its own implementation, from the
// OS's own interfaces and never from the text of a command: netinfo_linux.go (netlink),
// netinfo_windows.go (IP Helper), netinfo_darwin.go (the routing socket); tests give their own.
type NetInfo interface {
	Links(ctx context.Context) ([]Link, error)
	DefaultRoutes(ctx context.Context) ([]Route, error)
	// Nameservers returns the system's configured DNS servers as "ip:port".
	Nameservers(ctx context.Context) ([]string, error)
	// NeighbourReachable reports whether the OS neighbour table (ARP/NDP) holds a live entry
	// for ip: the fall-back proof that the gateway answers when ICMP is not allowed.
	NeighbourReachable(ctx context.Context, ip netip.Addr) (bool, error)
}
