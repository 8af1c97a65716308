//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"reflect"
	"testing"
)

func fakeStdNetInfo(gw func() (net.IP, error)) *stdNetInfo {
	ifaces := []net.Interface{
		{Index: 1, Name: "lo0", Flags: net.FlagUp | net.FlagLoopback | net.FlagRunning},
		{Index: 2, Name: "en0", Flags: net.FlagUp | net.FlagRunning, HardwareAddr: net.HardwareAddr{2, 0, 0, 0, 0, 1}},
		{Index: 3, Name: "en1", Flags: net.FlagUp},
	}
	addrs := map[string][]net.Addr{
		"lo0": {&net.IPNet{IP: net.IPv4(127, 0, 0, 1), Mask: net.CIDRMask(8, 32)}},
		"en0": {&net.IPNet{IP: net.IPv4(192, 0, 2, 10).To4(), Mask: net.CIDRMask(24, 32)}, &net.IPAddr{IP: net.ParseIP("fe80::1")}},
	}
	return &stdNetInfo{
		interfaces: func() ([]net.Interface, error) { return ifaces, nil },
		addrs:      func(i net.Interface) ([]net.Addr, error) { return addrs[i.Name], nil },
		gateway:    gw,
		resolvConf: "/nonexistent/resolv.conf",
	}
}

func TestStdNetInfoLinks(t *testing.T) {
	links, err := fakeStdNetInfo(nil).Links(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{
		{Name: "lo0", Index: 1, Up: true, Carrier: true, Loopback: true, Addrs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/8")}},
		{Name: "en0", Index: 2, Up: true, Carrier: true, MAC: "02:00:00:00:00:01", Addrs: []netip.Prefix{netip.MustParsePrefix("192.0.2.10/24")}},
		{Name: "en1", Index: 3, Up: true},
	}
	if !reflect.DeepEqual(links, want) {
		t.Errorf("got %+v\nwant %+v", links, want)
	}
}

func TestStdNetInfoDefaultRoutes(t *testing.T) {
	tests := []struct {
		name    string
		gw      func() (net.IP, error)
		want    []Route
		wantErr bool
	}{
		{"gateway on en0", func() (net.IP, error) { return net.IPv4(192, 0, 2, 1), nil },
			[]Route{{Gateway: netip.MustParseAddr("192.0.2.1"), Interface: "en0"}}, false},
		{"no default route", func() (net.IP, error) { return nil, errors.New("no gateway found") }, nil, false},
		{"routing tool failed", func() (net.IP, error) { return nil, errors.New("exit status 1") }, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fakeStdNetInfo(tt.gw).DefaultRoutes(context.Background())
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v %v, want %v (error %t)", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestStdNetInfoDefaultRoutesHonoursContext(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	n := fakeStdNetInfo(func() (net.IP, error) { <-block; return nil, nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := n.DefaultRoutes(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

func TestStdNetInfoWithoutResolvConf(t *testing.T) {
	n := fakeStdNetInfo(nil)
	servers, err := n.Nameservers(context.Background())
	if err != nil || servers != nil {
		t.Errorf("got %v %v", servers, err)
	}
	if ok, err := n.NeighbourReachable(context.Background(), netip.MustParseAddr("192.0.2.1")); ok || err != nil {
		t.Errorf("got %t %v", ok, err)
	}
}
