//go:build linux

package diagnostics

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
)

func diagResp(state, timer, retrans uint8, src, dst string, info *netlink.TCPInfo) *netlink.InetDiagTCPInfoResp {
	return &netlink.InetDiagTCPInfoResp{
		InetDiagMsg: &netlink.Socket{
			State: state, Timer: timer, Retrans: retrans,
			ID: netlink.SocketID{Source: net.ParseIP(src), Destination: net.ParseIP(dst), Cookie: [2]uint32{7, 1}},
		},
		TCPInfo: info,
	}
}

func TestConnOf(t *testing.T) {
	acked := &netlink.TCPInfo{Last_ack_recv: 1400, Last_data_recv: 900, Bytes_received: 5000}
	const local, remote = "192.0.2.10", "198.51.100.81"
	id, peer := uint64(1<<32|7), netip.MustParseAddr(remote)
	receiving := diagResp(netlink.TCP_ESTABLISHED, 0, 0, local, remote, acked)
	receiving.InetDiagMsg.RQueue = 300
	tests := []struct {
		name string
		r    *netlink.InetDiagTCPInfoResp
		want *tcpConn
	}{
		{"an established connection after a timeout", diagResp(netlink.TCP_ESTABLISHED, 1, 2, local, remote, acked),
			&tcpConn{ID: id, Peer: peer, Stalled: true, Silent: 1400 * time.Millisecond,
				Received: 5000, Quiet: 900 * time.Millisecond}},
		{"a SYN not answered", diagResp(netlink.TCP_SYN_SENT, 1, 1, local, remote, &netlink.TCPInfo{Last_ack_recv: 1 << 31}),
			&tcpConn{ID: id, Peer: peer, Stalled: true, Connecting: true}},
		{"a SYN not yet sent again", diagResp(netlink.TCP_SYN_SENT, 1, 0, local, remote, nil), nil},
		{"an IPv4 peer on an IPv6 socket", diagResp(netlink.TCP_ESTABLISHED, 1, 1, "::ffff:"+local, "::ffff:"+remote, acked),
			&tcpConn{ID: id, Peer: peer, Stalled: true, Silent: 1400 * time.Millisecond,
				Received: 5000, Quiet: 900 * time.Millisecond}},
		{"a tail-loss probe or fast retransmit, no timeout yet", diagResp(netlink.TCP_ESTABLISHED, 1, 0, local, remote, acked),
			&tcpConn{ID: id, Peer: peer, Silent: 1400 * time.Millisecond, Received: 5000, Quiet: 900 * time.Millisecond}},
		{"keepalive probes", diagResp(netlink.TCP_ESTABLISHED, 2, 3, local, remote, acked),
			&tcpConn{ID: id, Peer: peer, Silent: 1400 * time.Millisecond, Received: 5000, Quiet: 900 * time.Millisecond}},
		{"a download with data the application has not read", receiving,
			&tcpConn{ID: id, Peer: peer, Silent: 1400 * time.Millisecond, Received: 5000, Quiet: 900 * time.Millisecond, Unread: 300}},
		{"closing, nothing in flight", diagResp(netlink.TCP_FIN_WAIT2, 0, 0, local, remote, acked), nil},
		{"loopback", diagResp(netlink.TCP_ESTABLISHED, 1, 2, "127.0.0.1", "127.0.0.1", acked), nil},
		{"IPv6 loopback", diagResp(netlink.TCP_ESTABLISHED, 1, 2, "::1", "::1", acked), nil},
		{"the computer's own address", diagResp(netlink.TCP_ESTABLISHED, 1, 2, local, local, acked), nil},
		{"a server's half-open connection", diagResp(netlink.TCP_SYN_RECV, 1, 2, local, remote, acked), nil},
		{"a listener", diagResp(netlink.TCP_LISTEN, 0, 0, local, "0.0.0.0", nil), nil},
		{"an established connection without its TCP info", diagResp(netlink.TCP_ESTABLISHED, 1, 2, local, remote, nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := connOf(tt.r)
			if ok != (tt.want != nil) {
				t.Fatalf("listed %v (%+v), want %v", ok, got, tt.want != nil)
			}
			if ok && got != *tt.want {
				t.Errorf("conn %+v, want %+v", got, *tt.want)
			}
		})
	}
}

// TestSystemTCPSource reads this computer's real counters and connections: the trigger must
// work wherever the watcher runs on Linux, without privileges.
// A connection begun counts in Opened: over loopback, which the listing leaves out but the
// counters, being the namespace's, do not.
func TestSystemTCPSource(t *testing.T) {
	src := systemTCPSource()
	before, err := src.Counters()
	if err != nil {
		t.Fatalf("counters: %v", err)
	}
	if _, err := src.Conns(); err != nil {
		t.Errorf("connections: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	after, err := src.Counters()
	if err != nil {
		t.Fatalf("counters: %v", err)
	}
	if after.Opened <= before.Opened {
		t.Errorf("a connection begun left Opened at %d (was %d)", after.Opened, before.Opened)
	}
}

func TestSNMPActiveOpens(t *testing.T) {
	const snmp = "Ip: Forwarding DefaultTTL\nIp: 1 64\n" +
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens\nTcp: 1 200 120000 -1 13849 11405\n" +
		"Udp: InDatagrams\nUdp: 5\n"
	if v, ok := netstatValue(snmp, "Tcp:", "ActiveOpens"); !ok || v != 13849 {
		t.Errorf("ActiveOpens = %d, %v; want 13849", v, ok)
	}
	if _, ok := netstatValue("Tcp: ActiveOpens\n", "Tcp:", "ActiveOpens"); ok {
		t.Error("a name without its value read as a counter")
	}
}

func TestParseTCPExt(t *testing.T) {
	const ipExt = "IpExt: InNoRoutes OutOctets\nIpExt: 0 123\n"
	tests := []struct {
		name    string
		text    string
		want    tcpCounters
		wantErr bool
	}{
		{"a kernel's lines, the timeouts summed",
			"TcpExt: SyncookiesSent TCPRenoFailures TCPSackFailures TCPLossFailures TCPTimeouts TCPLossProbes " +
				"TCPRenoRecoveryFail TCPSackRecoveryFail TCPSynRetrans TCPOrigDataSent\n" +
				"TcpExt: 9 1 2 3 40 500 6 7 80 12345\n" + ipExt,
			tcpCounters{Sent: 12345, Timeouts: 1 + 2 + 3 + 40 + 6 + 7 + 80}, false},
		{"with the bytes received",
			"TcpExt: TCPTimeouts TCPOrigDataSent\nTcpExt: 4 5\nIpExt: InNoRoutes InOctets OutOctets\nIpExt: 0 987654 123\n",
			tcpCounters{Sent: 5, Timeouts: 4, Received: 987654}, false},
		{"only the two that must be there", "TcpExt: TCPTimeouts TCPOrigDataSent\nTcpExt: 4 5\n", tcpCounters{Sent: 5, Timeouts: 4}, false},
		{"no TcpExt", ipExt, tcpCounters{}, true},
		{"names without values", "TcpExt: TCPTimeouts TCPOrigDataSent\n", tcpCounters{}, true},
		{"a value missing", "TcpExt: TCPTimeouts TCPOrigDataSent\nTcpExt: 4\n", tcpCounters{}, true},
		{"not a number", "TcpExt: TCPTimeouts TCPOrigDataSent\nTcpExt: 4 x\n", tcpCounters{}, true},
		{"an old kernel without TCPOrigDataSent", "TcpExt: TCPTimeouts\nTcpExt: 4\n", tcpCounters{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseNetstat(tt.text)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseNetstat = %+v, %v; want %+v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func FuzzParseNetstat(f *testing.F) {
	f.Add("TcpExt: TCPTimeouts TCPOrigDataSent\nTcpExt: 4 5\n")
	f.Add("TcpExt: TCPTimeouts TCPOrigDataSent TCPTimeouts\nTcpExt: 1 2 3\nTcpExt: 9\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := parseNetstat(text)
		if err != nil && c != (tcpCounters{}) {
			t.Errorf("counters %+v with error %v", c, err)
		}
	})
}

// BenchmarkTCPSource measures what one sample of the stall trigger costs on this computer: the
// counters, read every sample, and the listing of the connections, read only after a
// retransmission timeout or while data arrives at download speed, with 100 more connections
// open (over loopback: listed by the kernel, then left out).
func BenchmarkTCPSource(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for range 100 {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
	}
	src := systemTCPSource()
	b.Run("counters", func(b *testing.B) {
		for b.Loop() {
			if _, err := src.Counters(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("connections", func(b *testing.B) {
		for b.Loop() {
			if _, err := src.Conns(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
