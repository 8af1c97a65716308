package diagnostics

import (
	"encoding/binary"
	"net/netip"
	"reflect"
	"testing"
)

func TestLinkFromWinAdapter(t *testing.T) {
	addrs := []netip.Prefix{netip.MustParsePrefix("192.0.2.10/24")}
	tests := []struct {
		name string
		in   winAdapter
		want Link
	}{
		{"wi-fi connected", winAdapter{Name: "Wi-Fi", Index: 7, IfType: winIfTypeWiFi, OperStatus: winOperUp, AdminKnown: true, AdminUp: true, Media: winMediaConnected, Addrs: addrs},
			Link{Name: "Wi-Fi", Index: 7, Up: true, Carrier: true, Addrs: addrs, Kind: LinkWiFi}},
		{"cable out", winAdapter{Name: "Ethernet", IfType: winIfTypeEthernet, OperStatus: 2, AdminKnown: true, AdminUp: true, Media: winMediaDisconnected},
			Link{Name: "Ethernet", Up: true, Kind: LinkEthernet}},
		{"switched off", winAdapter{Name: "Ethernet", IfType: winIfTypeEthernet, OperStatus: 2, AdminKnown: true, AdminUp: false},
			Link{Name: "Ethernet", Kind: LinkEthernet}},
		{"oper up but media disconnected", winAdapter{Name: "x", IfType: winIfTypeEthernet, OperStatus: winOperUp, AdminKnown: true, AdminUp: true, Media: winMediaDisconnected},
			Link{Name: "x", Up: true, Kind: LinkEthernet}},
		{"dormant wi-fi (still authenticating)", winAdapter{Name: "Wi-Fi", IfType: winIfTypeWiFi, OperStatus: 5, Media: winMediaConnected},
			Link{Name: "Wi-Fi", Up: true, Kind: LinkWiFi}},
		{"oper unknown, media connected", winAdapter{Name: "x", IfType: 1, OperStatus: winOperUnknown, Media: winMediaConnected},
			Link{Name: "x", Up: true, Carrier: true, Kind: LinkOther}},
		{"GetIfEntry2Ex unavailable: listed means switched on", winAdapter{Name: "x", IfType: winIfTypeEthernet, OperStatus: winOperUp},
			Link{Name: "x", Up: true, Carrier: true, Kind: LinkEthernet}},
		{"loopback", winAdapter{Name: "Loopback Pseudo-Interface 1", IfType: winIfTypeLoopback, OperStatus: winOperUp},
			Link{Name: "Loopback Pseudo-Interface 1", Up: true, Carrier: true, Loopback: true, Kind: LinkLoopback}},
		{"anyconnect", winAdapter{Name: "Ethernet 3", Description: "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64", IfType: winIfTypeEthernet, OperStatus: winOperUp},
			Link{Name: "Ethernet 3", Up: true, Carrier: true, Kind: LinkEthernet, Description: "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkFromWinAdapter(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestWinKind(t *testing.T) {
	for ifType, want := range map[uint32]string{6: LinkEthernet, 71: LinkWiFi, 131: LinkTunnel, 23: LinkPPP, 53: LinkVirtual, 24: LinkLoopback, 144: LinkOther} {
		if got := winKind(ifType); got != want {
			t.Errorf("winKind(%d) = %q, want %q", ifType, got, want)
		}
	}
}

func TestWinNameservers(t *testing.T) {
	up := func(name string, metric uint32, dns ...string) winAdapter {
		a := winAdapter{Name: name, IfType: winIfTypeEthernet, OperStatus: winOperUp, IPv4Metric: metric}
		for _, d := range dns {
			a.DNS = append(a.DNS, netip.MustParseAddr(d))
		}
		return a
	}
	down := up("Ethernet 2", 1, "192.0.2.99")
	down.OperStatus, down.Media = 2, winMediaDisconnected
	got := winNameservers([]winAdapter{
		up("Wi-Fi", 50, "192.0.2.53", "fec0:0:0:ffff::1", "2001:db8::53"),
		down,
		up("Ethernet", 25, "198.51.100.53", "192.0.2.53"),
		{Name: "Loopback", IfType: winIfTypeLoopback, OperStatus: winOperUp, DNS: []netip.Addr{netip.MustParseAddr("127.0.0.1")}},
	})
	want := []string{"198.51.100.53:53", "192.0.2.53:53", "[2001:db8::53]:53"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWinDefaultRoutes(t *testing.T) {
	adapters := []winAdapter{
		{Name: "Wi-Fi", Index: 7, IPv6Index: 7, IPv4Metric: 50, IPv6Metric: 50},
		{Name: "Ethernet", Index: 3, IPv6Index: 3, IPv4Metric: 25, IPv6Metric: 25},
		{Name: "PPP", Index: 9, IPv4Metric: 1},
	}
	rows := []winRoute{
		{Dest: netip.MustParsePrefix("192.0.2.0/24"), IfIndex: 7, Metric: 0},
		{Dest: netip.MustParsePrefix("::/0"), NextHop: netip.MustParseAddr("fe80::1"), IfIndex: 7, Metric: 0},
		{Dest: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.MustParseAddr("192.0.2.1"), IfIndex: 7, Metric: 0},
		{Dest: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.MustParseAddr("198.51.100.1"), IfIndex: 3, Metric: 0},
		{Dest: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.IPv4Unspecified(), IfIndex: 9, Metric: 100},
		{Dest: netip.MustParsePrefix("0.0.0.0/0"), NextHop: netip.MustParseAddr("127.0.0.1"), IfIndex: 1, Loopback: true},
	}
	want := []Route{
		{Gateway: netip.MustParseAddr("198.51.100.1"), Interface: "Ethernet"}, // 0 + 25
		{Gateway: netip.MustParseAddr("192.0.2.1"), Interface: "Wi-Fi"},       // 0 + 50
		{Interface: "PPP"}, // 100 + 1, on-link
		{Gateway: netip.MustParseAddr("fe80::1%Wi-Fi"), Interface: "Wi-Fi"},
	}
	if got := winDefaultRoutes(rows, adapters); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// sockaddrInet writes a SOCKADDR_INET as Windows lays it out.
func sockaddrInet(a netip.Addr) []byte {
	b := make([]byte, sockaddrInetSize)
	if a.Is4() {
		binary.LittleEndian.PutUint16(b, 2)
		copy(b[4:], a.AsSlice())
	} else {
		binary.LittleEndian.PutUint16(b, 23)
		copy(b[8:], a.AsSlice())
		binary.LittleEndian.PutUint32(b[24:], 7)
	}
	return b
}

func TestParseSockaddrInet(t *testing.T) {
	for _, s := range []string{"192.0.2.1", "2001:db8::1", "fe80::1"} {
		a := netip.MustParseAddr(s)
		if got := parseSockaddrInet(sockaddrInet(a)); got != a {
			t.Errorf("got %v, want %v", got, a)
		}
	}
	if got := parseSockaddrInet(make([]byte, sockaddrInetSize)); got.IsValid() {
		t.Errorf("AF_UNSPEC gave %v", got)
	}
	if got := parseSockaddrInet([]byte{2, 0}); got.IsValid() {
		t.Errorf("a short sockaddr gave %v", got)
	}
}

// ipNetTable2 writes a MIB_IPNET_TABLE2 with the 64-bit layout: the count, 4 bytes of padding,
// then 88-byte rows.
func ipNetTable2(rows ...winNeighbour) []byte {
	b := make([]byte, 8+88*len(rows))
	binary.LittleEndian.PutUint32(b, uint32(len(rows)))
	for i, r := range rows {
		row := b[8+88*i:]
		copy(row, sockaddrInet(r.Addr))
		binary.LittleEndian.PutUint32(row[28:], r.IfIndex)
		binary.LittleEndian.PutUint64(row[32:], 0x1234) // the LUID
		if r.Resolved {
			copy(row[40:], []byte{2, 0, 0, 0, 0, 1}) // the MAC
		}
		binary.LittleEndian.PutUint32(row[72:], 6)
		binary.LittleEndian.PutUint32(row[76:], r.State)
		row[80] = 1 // IsRouter
		binary.LittleEndian.PutUint32(row[84:], 30000)
	}
	return b
}

func TestParseIPNetTable2(t *testing.T) {
	want := []winNeighbour{
		{Addr: netip.MustParseAddr("192.0.2.1"), IfIndex: 7, State: nlNeighborReachable, Resolved: true},
		{Addr: netip.MustParseAddr("192.0.2.2"), IfIndex: 7, State: nlNeighborUnreachable},
		{Addr: netip.MustParseAddr("fe80::1"), IfIndex: 3, State: nlNeighborStale, Resolved: true},
	}
	got, err := parseIPNetTable2(ipNetTable2(want...))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v %v\nwant %v", got, err, want)
	}
	if _, err := parseIPNetTable2(ipNetTable2(want...)[:100]); err == nil {
		t.Error("a truncated table parsed")
	}
	if got, err := parseIPNetTable2([]byte{0, 0, 0, 0}); got != nil || err != nil {
		t.Errorf("empty table: %v %v", got, err)
	}
}

func TestWinNeighbourLive(t *testing.T) {
	rows := []winNeighbour{
		{Addr: netip.MustParseAddr("192.0.2.1"), IfIndex: 7, State: nlNeighborReachable, Resolved: true},
		{Addr: netip.MustParseAddr("192.0.2.2"), IfIndex: 7, State: nlNeighborIncomplete},
		{Addr: netip.MustParseAddr("192.0.2.3"), IfIndex: 7, State: nlNeighborUnreachable},
		{Addr: netip.MustParseAddr("fe80::1"), IfIndex: 3, State: nlNeighborStale, Resolved: true},
		// Reachable by its state, but no hardware address: it never answered.
		{Addr: netip.MustParseAddr("192.0.2.4"), IfIndex: 7, State: nlNeighborReachable},
	}
	tests := []struct {
		ip   string
		idx  uint32
		want bool
	}{
		{"192.0.2.1", 0, true}, {"192.0.2.2", 0, false}, {"192.0.2.3", 0, false}, {"192.0.2.4", 0, false}, {"192.0.2.9", 0, false},
		{"fe80::1", 3, true}, {"fe80::1", 7, false},
	}
	for _, tt := range tests {
		if got := winNeighbourLive(rows, netip.MustParseAddr(tt.ip), tt.idx); got != tt.want {
			t.Errorf("%s on %d: got %t, want %t", tt.ip, tt.idx, got, tt.want)
		}
	}
}
