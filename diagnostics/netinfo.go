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
}

// Route is a default route.
type Route struct {
	Gateway   netip.Addr `json:"gateway"` // invalid for an on-link (point-to-point) default route
	Interface string     `json:"interface"`
}

// NetInfo reads the local network configuration. Each OS has its own implementation
// (netinfo_linux.go through netlink, netinfo_other.go through the standard library); tests give
// their own.
type NetInfo interface {
	Links(ctx context.Context) ([]Link, error)
	DefaultRoutes(ctx context.Context) ([]Route, error)
	// Nameservers returns the system's configured DNS servers as "ip:port".
	Nameservers(ctx context.Context) ([]string, error)
	// NeighbourReachable reports whether the OS neighbour table (ARP/NDP) holds a live entry
	// for ip: the fall-back proof that the gateway answers when ICMP is not allowed.
	NeighbourReachable(ctx context.Context, ip netip.Addr) (bool, error)
}
