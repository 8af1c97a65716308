package diagnostics

import (
	"encoding/binary"
	"hash/fnv"
	"net/netip"
)

// Windows' TCP statistics and connection tables, read from raw bytes so that the tests run on
// every OS; watch_trigger_windows.go makes the calls.

// MIB_TCPSTATS is fifteen DWORDs; ActiveOpens (connections begun) is the 5th, OutSegs
// (segments sent, not counting those that only retransmit) the 11th, RetransSegs the 12th.
const (
	tcpStatsSize        = 60
	tcpStatsActiveOpens = 16
	tcpStatsOutSegs     = 40
	tcpStatsRetransSegs = 44
)

// parseTCPStats reads the counters the trigger needs from a MIB_TCPSTATS. Windows counts every
// retransmitted segment, fast retransmits too, not only those of an expired timeout: a
// working but lossy network makes the trigger look at the connections more often, and the
// probe still decides.
func parseTCPStats(b []byte) (tcpCounters, bool) {
	if len(b) < tcpStatsSize {
		return tcpCounters{}, false
	}
	return tcpCounters{
		Sent:     uint64(binary.LittleEndian.Uint32(b[tcpStatsOutSegs:])),
		Timeouts: uint64(binary.LittleEndian.Uint32(b[tcpStatsRetransSegs:])),
		Opened:   uint64(binary.LittleEndian.Uint32(b[tcpStatsActiveOpens:])),
	}, true
}

// The connection tables: a DWORD count, then rows. MIB_TCPROW2 is seven DWORDs (state, local
// address and port, remote address and port, owning process, offload state); MIB_TCP6ROW2 is
// local address (16 bytes), scope, port, remote address (16), scope, port, state, process,
// offload state. Ports are in network byte order in the low 16 bits.
const (
	tcpRowSize     = 28
	tcp6RowSize    = 60
	tcpStateSynSnt = 3 // MIB_TCP_STATE_SYN_SENT
)

// parseTCPTable2 lists the IPv4 connections whose SYN is not yet answered.
func parseTCPTable2(b []byte) ([]tcpConn, error) {
	return parseTCPRows(b, tcpRowSize, func(row []byte) (uint32, netip.AddrPort, netip.AddrPort) {
		local := netip.AddrPortFrom(netip.AddrFrom4([4]byte(row[4:8])), tcpPort(row[8:]))
		remote := netip.AddrPortFrom(netip.AddrFrom4([4]byte(row[12:16])), tcpPort(row[16:]))
		return binary.LittleEndian.Uint32(row), local, remote
	})
}

// parseTCP6Table2 lists the IPv6 connections whose SYN is not yet answered.
func parseTCP6Table2(b []byte) ([]tcpConn, error) {
	return parseTCPRows(b, tcp6RowSize, func(row []byte) (uint32, netip.AddrPort, netip.AddrPort) {
		local := netip.AddrPortFrom(netip.AddrFrom16([16]byte(row[0:16])), tcpPort(row[20:]))
		remote := netip.AddrPortFrom(netip.AddrFrom16([16]byte(row[24:40])), tcpPort(row[44:]))
		return binary.LittleEndian.Uint32(row[48:]), local, remote
	})
}

func tcpPort(b []byte) uint16 { return binary.BigEndian.Uint16(b[:2]) }

// parseTCPRows reads a table of rows of size bytes, keeping the connections in SYN-SENT to a
// peer that is not this computer, as stalled: the table is read after a retransmission, and
// a SYN unanswered by then has been sent again. Windows shows no per-connection retransmission state without
// administrator rights (GetPerTcpConnectionEStats), so a connection that is established and
// stalled is not visible here: a browser's new connections are.
func parseTCPRows(b []byte, size int, row func([]byte) (state uint32, local, remote netip.AddrPort)) ([]tcpConn, error) {
	if len(b) < 4 {
		return nil, errShortTable
	}
	n := int(binary.LittleEndian.Uint32(b))
	if len(b) < 4+n*size {
		return nil, errShortTable
	}
	var out []tcpConn
	for i := range n {
		state, local, remote := row(b[4+i*size:][:size])
		peer := remote.Addr().Unmap()
		if state != tcpStateSynSnt || !peer.IsValid() || peer.IsLoopback() || peer.IsUnspecified() {
			continue
		}
		out = append(out, tcpConn{ID: connectionID(local, remote), Peer: peer, Stalled: true, Connecting: true})
	}
	return out, nil
}

// connectionID tells connections apart by their two ends, as the socket cookie does on Linux.
func connectionID(local, remote netip.AddrPort) uint64 {
	h := fnv.New64a()
	b, _ := local.MarshalBinary()
	h.Write(b)
	b, _ = remote.MarshalBinary()
	h.Write(b)
	return h.Sum64()
}
