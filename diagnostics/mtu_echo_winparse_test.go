package diagnostics

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// echoReplyBytes lays out an ICMP_ECHO_REPLY of a 64-bit program as Windows fills it.
func echoReplyBytes(from string, status uint32, data int) []byte {
	b := make([]byte, echoReplyBufferSize(data))
	a := netip.MustParseAddr(from).As4()
	copy(b, a[:])
	binary.LittleEndian.PutUint32(b[4:], status)
	binary.LittleEndian.PutUint32(b[8:], 3)                 // RoundTripTime
	binary.LittleEndian.PutUint16(b[12:], uint16(data))     // DataSize
	binary.LittleEndian.PutUint64(b[16:], 0x7ff0_0000_0028) // Data, a pointer
	b[24], b[26] = 63, ipFlagDF                             // Options: Ttl, Flags
	return b
}

// echo6ReplyBytes lays out an ICMPV6_ECHO_REPLY: the packed IPV6_ADDRESS_EX, padding, Status.
func echo6ReplyBytes(from string, status uint32) []byte {
	b := make([]byte, echoReplyBufferSize(100))
	a := netip.MustParseAddr(from).As16()
	binary.LittleEndian.PutUint32(b[2:], 0) // sin6_flowinfo
	copy(b[6:22], a[:])
	binary.LittleEndian.PutUint32(b[22:], 0) // sin6_scope_id
	binary.LittleEndian.PutUint32(b[28:], status)
	binary.LittleEndian.PutUint32(b[32:], 12) // RoundTripTime
	return b
}

func TestParseEchoReplies(t *testing.T) {
	r, err := parseEchoReply(echoReplyBytes("198.51.100.7", ipPacketTooBig, 1372))
	if err != nil || r.from != netip.MustParseAddr("198.51.100.7") || r.status != ipPacketTooBig {
		t.Errorf("IPv4 reply = %+v, %v", r, err)
	}
	r, err = parseEcho6Reply(echo6ReplyBytes("2001:db8::1", ipSuccess))
	if err != nil || r.from != netip.MustParseAddr("2001:db8::1") || r.status != ipSuccess {
		t.Errorf("IPv6 reply = %+v, %v", r, err)
	}
	if _, err := parseEchoReply(make([]byte, echoReplySize-1)); err == nil {
		t.Error("a short IPv4 reply was read")
	}
	if _, err := parseEcho6Reply(make([]byte, echo6ReplySize-1)); err == nil {
		t.Error("a short IPv6 reply was read")
	}
}

func TestSockaddrIn6(t *testing.T) {
	b := sockaddrIn6(netip.MustParseAddr("fe80::1%7"))
	a := netip.MustParseAddr("fe80::1").As16()
	if binary.LittleEndian.Uint16(b[0:]) != 23 || [16]byte(b[8:24]) != a || binary.LittleEndian.Uint32(b[24:]) != 7 {
		t.Errorf("sockaddr_in6 = % x", b)
	}
	if b := sockaddrIn6(netip.IPv6Unspecified()); [16]byte(b[8:24]) != [16]byte{} || binary.LittleEndian.Uint16(b[0:]) != 23 {
		t.Errorf("unspecified sockaddr_in6 = % x", b)
	}
}

func TestClassifyEcho(t *testing.T) {
	src := netip.MustParseAddr("192.0.2.10")
	reply := func(from string, status uint32) echoReply {
		r, err := parseEchoReply(echoReplyBytes(from, status, 100))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tt := range []struct {
		name             string
		replies, lastErr uint32
		r                echoReply
		want             echoStatus
		fails            bool
	}{
		{"answered", 1, 0, reply("203.0.113.5", ipSuccess), echoAnswered, false},
		{"timed out", 0, ipReqTimedOut, echoReply{}, echoLost, false},
		{"a router: too big", 1, 0, reply("192.0.2.1", ipPacketTooBig), echoTooBig, false},
		{"a router: too big, as the last error", 0, ipPacketTooBig, reply("192.0.2.1", ipPacketTooBig), echoTooBig, false},
		{"too big for this computer's own link, no reply filled in", 0, ipPacketTooBig, echoReply{}, echoTooBigHere, false},
		{"too big, from this computer", 1, 0, reply("192.0.2.10", ipPacketTooBig), echoTooBigHere, false},
		{"unreachable", 1, 0, reply("192.0.2.1", 11003), echoLost, false},
		{"a general failure (a firewall here)", 0, ipGeneralFailure, echoReply{}, echoLost, false},
		{"the buffer too small: the call's fault", 0, ipBufTooSmall, echoReply{}, echoLost, true},
		{"access denied: nothing sent", 0, 5, echoReply{}, echoLost, true},
		{"no reply and no error", 0, 0, echoReply{}, echoLost, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := classifyEcho(tt.replies, tt.lastErr, tt.r, src)
			if got != tt.want || (err != nil) != tt.fails {
				t.Errorf("classifyEcho = %v, %v; want %v, error %v", got, err, tt.want, tt.fails)
			}
		})
	}
}

// An echo of the size tried is that many bytes on the wire: IP and ICMP headers plus its data.
func TestEchoDataSize(t *testing.T) {
	if got := echoDataSize(1400, false); got != 1372 {
		t.Errorf("IPv4 echo of 1400 bytes carries %d bytes of data, want 1372", got)
	}
	if got := echoDataSize(1420, true); got != 1372 {
		t.Errorf("IPv6 echo of 1420 bytes carries %d bytes of data, want 1372", got)
	}
	if got := echoDataSize(10, false); got != 1 {
		t.Errorf("a tiny echo carries %d bytes, want 1", got)
	}
}

// An echo with a TTL of 2 names the router after the gateway as tracert reads it: "time
// exceeded" from that router, or the target's own answer when it is that close.
func TestHopOfAnEchoWithAShortTTL(t *testing.T) {
	target, hop := netip.MustParseAddr("192.0.2.20"), netip.MustParseAddr("198.51.100.1")
	for _, c := range []struct {
		name             string
		replies, lastErr uint32
		reply            []byte
		want             netip.Addr
	}{
		{"time exceeded in transit", 1, 0, echoReplyBytes("198.51.100.1", ipTTLExpired, 32), hop},
		{"time exceeded, told by GetLastError", 0, ipTTLExpired, echoReplyBytes("198.51.100.1", ipTTLExpired, 32), hop},
		{"the target itself answered", 1, 0, echoReplyBytes("192.0.2.20", ipSuccess, 32), target},
		{"time exceeded from nobody", 0, ipTTLExpired, make([]byte, echoReplyBufferSize(32)), netip.Addr{}},
		{"timed out", 0, ipReqTimedOut, make([]byte, echoReplyBufferSize(32)), netip.Addr{}},
		{"unreachable", 1, 0, echoReplyBytes("198.51.100.1", 11003, 32), netip.Addr{}},
		{"no reply and no status", 0, 0, make([]byte, echoReplyBufferSize(32)), netip.Addr{}},
	} {
		r, err := parseEchoReply(c.reply)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := hopOfEcho(c.replies, c.lastErr, r, target)
		if got != c.want || ok != c.want.IsValid() {
			t.Errorf("%s: hop %v (%t), want %v", c.name, got, ok, c.want)
		}
	}
}
