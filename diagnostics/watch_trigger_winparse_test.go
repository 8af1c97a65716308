package diagnostics

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

func TestParseTCPStats(t *testing.T) {
	b := make([]byte, 60)
	for i := range 15 {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(1000+i)) // field i holds 1000+i
	}
	c, ok := parseTCPStats(b)
	if !ok || c.Sent != 1010 || c.Timeouts != 1011 || c.Opened != 1004 {
		t.Errorf("got %+v %t, want OutSegs 1010, RetransSegs 1011 and ActiveOpens 1004", c, ok)
	}
	if _, ok := parseTCPStats(b[:44]); ok {
		t.Error("a short MIB_TCPSTATS parsed")
	}
}

type tcpRowSpec struct {
	state         uint32
	local, remote netip.AddrPort
}

// tcpTable2 writes a MIB_TCPTABLE2 or MIB_TCP6TABLE2 as Windows lays them out.
func tcpTable2(v6 bool, rows ...tcpRowSpec) []byte {
	size := 28
	if v6 {
		size = 60
	}
	b := make([]byte, 4+size*len(rows))
	binary.LittleEndian.PutUint32(b, uint32(len(rows)))
	for i, r := range rows {
		row := b[4+size*i:]
		if v6 {
			copy(row[0:], r.local.Addr().AsSlice())
			binary.BigEndian.PutUint16(row[20:], r.local.Port())
			copy(row[24:], r.remote.Addr().AsSlice())
			binary.BigEndian.PutUint16(row[44:], r.remote.Port())
			binary.LittleEndian.PutUint32(row[48:], r.state)
			binary.LittleEndian.PutUint32(row[52:], 4242) // the owning process
		} else {
			binary.LittleEndian.PutUint32(row[0:], r.state)
			copy(row[4:], r.local.Addr().AsSlice())
			binary.BigEndian.PutUint16(row[8:], r.local.Port())
			copy(row[12:], r.remote.Addr().AsSlice())
			binary.BigEndian.PutUint16(row[16:], r.remote.Port())
			binary.LittleEndian.PutUint32(row[20:], 4242)
		}
	}
	return b
}

func TestParseTCPTable2(t *testing.T) {
	ap := netip.MustParseAddrPort
	const established, synSent = 5, 3
	v4 := tcpTable2(false,
		tcpRowSpec{established, ap("192.0.2.10:50000"), ap("198.51.100.81:443")},
		tcpRowSpec{synSent, ap("192.0.2.10:50001"), ap("198.51.100.81:443")},
		tcpRowSpec{synSent, ap("127.0.0.1:50002"), ap("127.0.0.1:8080")},
		tcpRowSpec{synSent, ap("192.0.2.10:50003"), ap("198.51.100.80:80")},
	)
	stalls, err := parseTCPTable2(v4)
	if err != nil || len(stalls) != 2 {
		t.Fatalf("got %+v %v, want the two SYN-SENT connections beyond this computer", stalls, err)
	}
	if stalls[0].Peer != netip.MustParseAddr("198.51.100.81") || !stalls[0].Connecting || !stalls[0].Stalled || stalls[1].Peer != netip.MustParseAddr("198.51.100.80") {
		t.Errorf("got %+v", stalls)
	}
	if stalls[0].ID == stalls[1].ID {
		t.Error("two connections share an ID")
	}
	again, _ := parseTCPTable2(v4)
	if again[0].ID != stalls[0].ID {
		t.Error("the same connection got another ID")
	}

	v6 := tcpTable2(true,
		tcpRowSpec{synSent, ap("[2001:db8::10]:50000"), ap("[2001:db8:1::81]:443")},
		tcpRowSpec{established, ap("[2001:db8::10]:50001"), ap("[2001:db8:1::81]:443")},
		tcpRowSpec{synSent, ap("[::1]:50002"), ap("[::1]:443")},
	)
	stalls, err = parseTCP6Table2(v6)
	if err != nil || len(stalls) != 1 || stalls[0].Peer != netip.MustParseAddr("2001:db8:1::81") {
		t.Fatalf("got %+v %v", stalls, err)
	}
	if _, err := parseTCP6Table2(v6[:70]); err == nil {
		t.Error("a truncated table parsed")
	}
}
