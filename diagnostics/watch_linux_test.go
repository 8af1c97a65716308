//go:build linux

package diagnostics

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

func newTestChanges() *netlinkChanges {
	return &netlinkChanges{links: map[int]linkView{}, addrs: map[addrKey]bool{}, routes: map[routeKey]bool{}}
}

func linkUpdate(index int, flags uint32, oper netlink.LinkOperState, msgType uint16, nlFlags uint16) netlink.LinkUpdate {
	u := netlink.LinkUpdate{Link: &netlink.Dummy{LinkAttrs: netlink.LinkAttrs{Index: index, Name: "eth0", OperState: oper}}}
	u.IfInfomsg = *nl.NewIfInfomsg(unix.AF_UNSPEC)
	u.IfInfomsg.Flags = flags
	u.Header.Type, u.Header.Flags = msgType, nlFlags
	return u
}

func TestNetlinkLinkChanges(t *testing.T) {
	up := uint32(unix.IFF_UP | unix.IFF_RUNNING | unix.IFF_LOWER_UP)
	tests := []struct {
		name string
		u    netlink.LinkUpdate
		want bool
	}{
		{"the initial listing is no change", linkUpdate(2, up, netlink.OperUp, unix.RTM_NEWLINK, unix.NLM_F_MULTI), false},
		{"a Wi-Fi scan repeats the same state", linkUpdate(2, up|unix.IFF_MULTICAST, netlink.OperUp, unix.RTM_NEWLINK, 0), false},
		{"the carrier goes", linkUpdate(2, unix.IFF_UP, netlink.OperDown, unix.RTM_NEWLINK, 0), true},
		{"the carrier comes back", linkUpdate(2, up, netlink.OperUp, unix.RTM_NEWLINK, 0), true},
		{"a new tunnel appears already up", linkUpdate(7, up, netlink.OperUnknown, unix.RTM_NEWLINK, 0), true},
		{"a new link that is down changes nothing yet", linkUpdate(8, 0, netlink.OperDown, unix.RTM_NEWLINK, 0), false},
		{"the tunnel is deleted", linkUpdate(7, up, netlink.OperUnknown, unix.RTM_DELLINK, 0), true},
		{"deleting an unknown link changes nothing", linkUpdate(9, 0, netlink.OperDown, unix.RTM_DELLINK, 0), false},
	}
	c := newTestChanges()
	for _, tt := range tests { // in order: each case builds on the state the previous left
		if got := c.linkChanged(tt.u); got != tt.want {
			t.Errorf("%s: changed = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNetlinkAddrChanges(t *testing.T) {
	addr := net.IPNet{IP: net.ParseIP("192.0.2.10"), Mask: net.CIDRMask(24, 32)}
	tests := []struct {
		name string
		u    netlink.AddrUpdate
		want bool
	}{
		{"an address appears", netlink.AddrUpdate{LinkAddress: addr, LinkIndex: 2, NewAddr: true}, true},
		{"its lifetime is refreshed", netlink.AddrUpdate{LinkAddress: addr, LinkIndex: 2, NewAddr: true, ValidLft: 300}, false},
		{"it goes", netlink.AddrUpdate{LinkAddress: addr, LinkIndex: 2}, true},
		{"removing it again changes nothing", netlink.AddrUpdate{LinkAddress: addr, LinkIndex: 2}, false},
	}
	c := newTestChanges()
	for _, tt := range tests {
		if got := c.addrChanged(tt.u); got != tt.want {
			t.Errorf("%s: changed = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNetlinkRouteChanges(t *testing.T) {
	gw := net.ParseIP("192.0.2.1")
	_, internal, _ := net.ParseCIDR("203.0.113.0/24")
	def := func(typ uint16, flags uint16) netlink.RouteUpdate {
		return netlink.RouteUpdate{Type: typ, NlFlags: flags, Route: netlink.Route{
			LinkIndex: 2, Gw: gw, Table: unix.RT_TABLE_MAIN, Family: netlink.FAMILY_V4, Type: unix.RTN_UNICAST,
		}}
	}
	tests := []struct {
		name string
		u    netlink.RouteUpdate
		want bool
	}{
		{"the listing's default route", def(unix.RTM_NEWROUTE, unix.NLM_F_MULTI), false},
		{"the same route announced again", def(unix.RTM_NEWROUTE, 0), false},
		{"the default route deleted", def(unix.RTM_DELROUTE, 0), true},
		{"the default route back", def(unix.RTM_NEWROUTE, 0), true},
		{"a VPN's own route", netlink.RouteUpdate{Type: unix.RTM_NEWROUTE, Route: netlink.Route{
			Dst: internal, LinkIndex: 7, Table: unix.RT_TABLE_MAIN}}, false},
		{"a default route in another table", netlink.RouteUpdate{Type: unix.RTM_NEWROUTE, Route: netlink.Route{
			LinkIndex: 7, Table: 51820}}, false},
	}
	c := newTestChanges()
	for _, tt := range tests {
		if got := c.routeChanged(tt.u); got != tt.want {
			t.Errorf("%s: changed = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNetlinkFollowNotifiesAndEnds(t *testing.T) {
	notified := 0
	err := follow(context.Background(), func() { notified++ },
		func(ch chan<- int, done <-chan struct{}) error {
			go func() {
				defer close(ch)
				for _, v := range []int{1, 0, 1} {
					ch <- v
				}
			}()
			return nil
		}, func(v int) bool { return v == 1 })
	if err != nil || notified != 2 {
		t.Errorf("follow: %v, %d notifications, want 2", err, notified)
	}
	wantErr := errors.New("no netlink here")
	if err := follow(context.Background(), func() {}, func(chan<- int, <-chan struct{}) error { return wantErr },
		func(int) bool { return true }); !errors.Is(err, wantErr) {
		t.Errorf("follow with a failing subscription: %v", err)
	}
}

func TestNetlinkChangesFirstSubscriptionError(t *testing.T) {
	boom := errors.New("netlink refused")
	c := &netlinkChanges{
		linkSubscribe: func(chan<- netlink.LinkUpdate, <-chan struct{}, netlink.LinkSubscribeOptions) error { return boom },
		addrSubscribe: func(chan<- netlink.AddrUpdate, <-chan struct{}, netlink.AddrSubscribeOptions) error { return boom },
		routeSubscribe: func(chan<- netlink.RouteUpdate, <-chan struct{}, netlink.RouteSubscribeOptions) error {
			return boom
		},
	}
	if err := c.run(context.Background(), func() {}); !errors.Is(err, boom) {
		t.Errorf("run = %v, want the subscription error", err)
	}
}
