//go:build linux

package diagnostics

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// systemTCPSource reads the TCP and IP counters of /proc/net/netstat and /proc/net/snmp and lists
// connections over sock_diag (what `ss` uses; no privilege needed). Both show the network namespace the watcher
// runs in, which is the user's: loopback and containers' own connections aside, only the
// user's traffic counts.
func systemTCPSource() *tcpSource {
	return &tcpSource{Counters: procTCPCounters, Conns: diagTCPConns}
}

// procNetstat is where Linux keeps the extended TCP counters (gopsutil reads only
// /proc/net/snmp, whose RetransSegs also counts the fast retransmits of a working network);
// procSNMP keeps the standard ones, of which the trigger needs ActiveOpens.
const (
	procNetstat = "/proc/net/netstat"
	procSNMP    = "/proc/net/snmp"
)

func procTCPCounters() (tcpCounters, error) {
	b, err := os.ReadFile(procNetstat)
	if err != nil {
		return tcpCounters{}, fmt.Errorf("read TCP counters: %w", err)
	}
	c, err := parseNetstat(string(b))
	if err != nil {
		return c, err
	}
	// Every kernel with /proc/net/netstat has it; without it new connections alone do not
	// keep the sampling fast, and the trigger works otherwise.
	if b, err := os.ReadFile(procSNMP); err == nil {
		c.Opened, _ = netstatValue(string(b), "Tcp:", "ActiveOpens")
	}
	return c, nil
}

// timeoutCounters are the TcpExt counters a retransmission timeout adds to: the first of a
// loss goes to one of the first five according to the connection's state (newer kernels
// count every one in TCPTimeouts), a SYN sent again to TCPSynRetrans.
var timeoutCounters = []string{
	"TCPTimeouts", "TCPLossFailures", "TCPSackFailures", "TCPSackRecoveryFail", "TCPRenoFailures",
	"TCPRenoRecoveryFail", "TCPSynRetrans",
}

// parseNetstat reads the counters of /proc/net/netstat: the TcpExt lines (one of names, one of
// values) and, where the kernel has it, IpExt's InOctets.
func parseNetstat(text string) (tcpCounters, error) {
	c, err := parseTCPExt(text)
	if err != nil {
		return c, err
	}
	c.Received, _ = netstatValue(text, "IpExt:", "InOctets")
	return c, nil
}

// netstatValue reads one counter of /proc/net/netstat or /proc/net/snmp: the first line with
// the prefix names the counters, the next holds their values.
func netstatValue(text, prefix, name string) (uint64, bool) {
	var names []string
	for line := range strings.Lines(text) {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		if names == nil {
			names = strings.Fields(rest)
			continue
		}
		i := slices.Index(names, name)
		fields := strings.Fields(rest)
		if i < 0 || i >= len(fields) {
			return 0, false
		}
		v, err := strconv.ParseUint(fields[i], 10, 64)
		return v, err == nil
	}
	return 0, false
}

// parseTCPExt reads the TcpExt lines of /proc/net/netstat: one of names, one of values.
func parseTCPExt(text string) (tcpCounters, error) {
	var names []string
	for line := range strings.Lines(text) {
		rest, ok := strings.CutPrefix(line, "TcpExt:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if names == nil {
			names = fields
			continue
		}
		if len(fields) != len(names) {
			return tcpCounters{}, fmt.Errorf("%s: %d TcpExt names but %d values", procNetstat, len(names), len(fields))
		}
		var c tcpCounters
		found := 0
		for i, name := range names {
			sent := name == "TCPOrigDataSent"
			if !sent && !slices.Contains(timeoutCounters, name) {
				continue
			}
			v, err := strconv.ParseUint(fields[i], 10, 64)
			if err != nil {
				return tcpCounters{}, fmt.Errorf("%s: %s: %w", procNetstat, name, err)
			}
			if sent {
				c.Sent = v
			} else {
				c.Timeouts += v
			}
			if sent || name == "TCPTimeouts" {
				found++
			}
		}
		if found != 2 {
			return tcpCounters{}, fmt.Errorf("%s lacks TCPOrigDataSent or TCPTimeouts", procNetstat)
		}
		return c, nil
	}
	return tcpCounters{}, fmt.Errorf("no TcpExt counters in %s", procNetstat)
}

func diagTCPConns() ([]tcpConn, error) {
	var out []tcpConn
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
			if c, ok := connOf(s); ok {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// ipv6Absent tells the error of a kernel without IPv6 from a real failure.
func ipv6Absent(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EAFNOSUPPORT)
}

// connOf reads one sock_diag answer: a connection to a peer other than this computer that is
// either established or has its retransmission timer running after at least one timeout
// without an acknowledgement (idiag_retrans counts them; fast retransmits and tail-loss
// probes do not).
func connOf(r *netlink.InetDiagTCPInfoResp) (tcpConn, bool) {
	m := r.InetDiagMsg
	if m == nil {
		return tcpConn{}, false
	}
	var stalled bool
	switch m.State {
	case netlink.TCP_ESTABLISHED, netlink.TCP_SYN_SENT, netlink.TCP_FIN_WAIT1, netlink.TCP_CLOSE_WAIT,
		netlink.TCP_LAST_ACK, netlink.TCP_CLOSING:
		stalled = m.Timer == 1 && m.Retrans > 0
	default: // listeners, half-open server sides, connections that have nothing in flight
		return tcpConn{}, false
	}
	if !stalled && m.State != netlink.TCP_ESTABLISHED {
		return tcpConn{}, false
	}
	peer, ok := netip.AddrFromSlice(m.ID.Destination)
	if !ok {
		return tcpConn{}, false
	}
	peer = peer.Unmap()
	local, _ := netip.AddrFromSlice(m.ID.Source)
	if peer.IsLoopback() || peer.IsUnspecified() || peer == local.Unmap() {
		return tcpConn{}, false
	}
	c := tcpConn{
		ID:         uint64(m.ID.Cookie[1])<<32 | uint64(m.ID.Cookie[0]),
		Peer:       peer,
		Stalled:    stalled,
		Connecting: m.State == netlink.TCP_SYN_SENT,
	}
	if c.Connecting {
		return c, true
	}
	info := r.TCPInfo
	if info == nil {
		return tcpConn{}, false
	}
	c.Silent = time.Duration(info.Last_ack_recv) * time.Millisecond
	c.Received = info.Bytes_received
	c.Quiet = time.Duration(info.Last_data_recv) * time.Millisecond
	c.Unread = m.RQueue
	return c, true
}
