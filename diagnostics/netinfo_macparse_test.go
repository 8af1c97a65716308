package diagnostics

import (
	"net/netip"
	"reflect"
	"testing"
)

func TestMacKind(t *testing.T) {
	tests := []struct {
		ifType int
		name   string
		want   string
	}{
		{macIFTEther, "en0", LinkEthernet},
		{macIFTWiFi, "en1", LinkWiFi},
		{macIFTLoop, "lo0", LinkLoopback},
		{macIFTPPP, "ppp0", LinkPPP},
		{macIFTGIF, "gif0", LinkTunnel},
		{1, "utun3", LinkTunnel},
		{1, "ipsec0", LinkTunnel},
		{macIFTSTF, "stf0", LinkOther},
		{0, "bridge0", LinkOther},
	}
	for _, tt := range tests {
		if got := macKind(tt.ifType, tt.name); got != tt.want {
			t.Errorf("macKind(%#x, %s) = %q, want %q", tt.ifType, tt.name, got, tt.want)
		}
	}
	stf := Link{Name: "stf0", Kind: macKind(macIFTSTF, "stf0"), Description: macDescription(macIFTSTF)}
	if vpnAdapter(stf) {
		t.Error("the 6to4 tunnel counts as a VPN")
	}
}

func TestMacDefaultRoutes(t *testing.T) {
	a := netip.MustParseAddr
	const up, gw = macRTFUp, 0x2
	rows := []macRoute{
		{Flags: up | gw, Index: 4, Dst: a("192.0.2.0"), Mask: a("255.255.255.0"), Gateway: a("192.0.2.1")},
		{Flags: up | gw, Index: 6, Dst: a("::"), Gateway: a("fe80::1")},
		{Flags: up | gw | macRTFIfScope, Index: 5, Dst: a("0.0.0.0"), Gateway: a("198.51.100.1")},
		{Flags: up | gw, Index: 4, Dst: a("0.0.0.0"), Mask: a("0.0.0.0"), Gateway: a("192.0.2.1")},
		{Flags: up, Index: 9, Dst: a("0.0.0.0")}, // on a point-to-point link
		{Flags: up | macRTFReject, Index: 4, Dst: a("0.0.0.0")},
		{Flags: gw, Index: 4, Dst: a("0.0.0.0"), Gateway: a("192.0.2.254")},
	}
	names := map[int]string{4: "en0", 5: "en1", 6: "en0", 9: "utun2"}
	want := []Route{
		{Gateway: a("192.0.2.1"), Interface: "en0"},
		{Interface: "utun2"},
		{Gateway: a("fe80::1%en0"), Interface: "en0"},
	}
	if got := macDefaultRoutes(rows, names); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestMacNeighbourLive(t *testing.T) {
	a := netip.MustParseAddr
	rows := []macRoute{
		{Flags: macRTFUp, Dst: a("192.0.2.1"), LinkLayer: true},
		{Flags: macRTFUp, Dst: a("192.0.2.2")}, // incomplete: no hardware address yet
		{Flags: macRTFUp | macRTFReject, Dst: a("192.0.2.3"), LinkLayer: true},
	}
	for ip, want := range map[string]bool{"192.0.2.1": true, "192.0.2.2": false, "192.0.2.3": false, "192.0.2.4": false} {
		if got := macNeighbourLive(rows, a(ip)); got != want {
			t.Errorf("%s: got %t, want %t", ip, got, want)
		}
	}
}
