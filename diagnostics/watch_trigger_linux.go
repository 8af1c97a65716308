//go:build linux

package diagnostics

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	gnet "github.com/shirou/gopsutil/v4/net"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// systemTCPSource reads the TCP totals of /proc/net/snmp and lists connections over sock_diag
// (what `ss` uses; no privilege needed). Both show the network namespace the watcher runs in,
// which is the user's: containers' own connections are not counted.
func systemTCPSource() *tcpSource {
	return &tcpSource{Counters: procTCPCounters, Stalls: diagTCPStalls}
}

func procTCPCounters() (tcpCounters, error) {
	stats, err := gnet.ProtoCounters([]string{"tcp"})
	if err != nil {
		return tcpCounters{}, fmt.Errorf("read TCP counters: %w", err)
	}
	for _, s := range stats {
		out, ok1 := s.Stats["OutSegs"]
		re, ok2 := s.Stats["RetransSegs"]
		if s.Protocol == "tcp" && ok1 && ok2 {
			return tcpCounters{Out: uint64(out), Retrans: uint64(re)}, nil
		}
	}
	return tcpCounters{}, errors.New("no TCP counters in /proc/net/snmp")
}

func diagTCPStalls() ([]tcpStall, error) {
	var out []tcpStall
	for _, family := range []uint8{unix.AF_INET, unix.AF_INET6} {
		socks, err := netlink.SocketDiagTCPInfo(family)
		// An interrupted dump (sockets came and went meanwhile) still lists the rest.
		if err != nil && !errors.Is(err, netlink.ErrDumpInterrupted) {
			if family == unix.AF_INET6 && ipv6Absent(err) {
				continue
			}
			return nil, fmt.Errorf("list TCP connections: %w", err)
		}
		for _, s := range socks {
			if st, ok := stallOf(s); ok {
				out = append(out, st)
			}
		}
	}
	return out, nil
}

// ipv6Absent tells the error of a kernel without IPv6 from a real failure.
func ipv6Absent(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EAFNOSUPPORT)
}

// stallOf reads one sock_diag answer: a connection with its retransmission timer running after
// at least one timeout without an acknowledgement (idiag_retrans counts them; fast retransmits
// and tail-loss probes do not), to a peer other than this computer.
func stallOf(r *netlink.InetDiagTCPInfoResp) (tcpStall, bool) {
	m := r.InetDiagMsg
	if m == nil || m.Timer != 1 || m.Retrans == 0 {
		return tcpStall{}, false
	}
	switch m.State {
	case netlink.TCP_ESTABLISHED, netlink.TCP_SYN_SENT, netlink.TCP_FIN_WAIT1, netlink.TCP_CLOSE_WAIT,
		netlink.TCP_LAST_ACK, netlink.TCP_CLOSING:
	default: // listeners, half-open server sides, connections that have nothing in flight
		return tcpStall{}, false
	}
	peer, ok := netip.AddrFromSlice(m.ID.Destination)
	if !ok {
		return tcpStall{}, false
	}
	peer = peer.Unmap()
	local, _ := netip.AddrFromSlice(m.ID.Source)
	if peer.IsLoopback() || peer.IsUnspecified() || peer == local.Unmap() {
		return tcpStall{}, false
	}
	s := tcpStall{
		ID:         uint64(m.ID.Cookie[1])<<32 | uint64(m.ID.Cookie[0]),
		Peer:       peer,
		Connecting: m.State == netlink.TCP_SYN_SENT,
	}
	if !s.Connecting {
		if r.TCPInfo == nil {
			return tcpStall{}, false
		}
		s.Silent = time.Duration(r.TCPInfo.Last_ack_recv) * time.Millisecond
	}
	return s, true
}
