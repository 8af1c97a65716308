package diagnostics

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// The IP Helper API's echo requests and replies, built and read as raw bytes so that the tests
// run on every OS; mtu_echo_windows.go makes the calls.

// ICMP_ECHO_REPLY of a 64-bit program: Address (4 bytes, network order), Status, RoundTripTime,
// DataSize (2), Reserved (2), Data (a pointer, 8), then IP_OPTION_INFORMATION (Ttl, Tos, Flags,
// OptionsSize, 4 bytes of padding, OptionsData, a pointer): 40 bytes, the echoed data after.
const (
	echoReplySize   = 40
	echoReplyStatus = 4
)

// ICMPV6_ECHO_REPLY: IPV6_ADDRESS_EX packed to 26 bytes (port 2, flow information 4, address
// 16, scope 4), padding to 28, Status (4), RoundTripTime (4): 36 bytes.
const (
	echo6ReplySize    = 36
	echo6ReplyAddress = 6
	echo6ReplyStatus  = 28
)

// The IP_STATUS values an echo may end with, as GetLastError gives them when the call returns
// no reply, or as a reply's Status.
const (
	ipSuccess        = 0
	ipStatusFirst    = 11000 // IP_STATUS_BASE
	ipBufTooSmall    = 11001
	ipPacketTooBig   = 11009 // ICMP "fragmentation needed" / ICMPv6 "packet too big"
	ipReqTimedOut    = 11010
	ipTTLExpired     = 11013 // IP_TTL_EXPIRED_TRANSIT: ICMP "time exceeded" from a router on the way
	ipGeneralFailure = 11050
)

// ICMP echo headers: an echo packet of N bytes carries N minus these bytes of data.
const (
	echoHeadersIPv4 = 20 + 8
	echoHeadersIPv6 = 40 + 8
)

// echoDataSize is how many bytes of data make an echo packet of size bytes (at least one).
func echoDataSize(size int, ipv6 bool) int {
	if ipv6 {
		return max(size-echoHeadersIPv6, 1)
	}
	return max(size-echoHeadersIPv4, 1)
}

// ipFlagDF is IP_OPTION_INFORMATION's Flags value for Don't Fragment (IP_FLAG_DF).
const ipFlagDF = 0x2

// echoReplyBufferSize is how much room a reply to an echo of data bytes needs: the reply, the
// data echoed, 8 bytes for an ICMP error's own header and 16 for the IO_STATUS_BLOCK the call
// keeps there, as the API asks.
func echoReplyBufferSize(data int) int { return max(echoReplySize, echo6ReplySize) + data + 8 + 16 }

// echoReply is what a reply buffer says: who answered, and how.
type echoReply struct {
	from   netip.Addr
	status uint32
}

// parseEchoReply reads an ICMP_ECHO_REPLY.
func parseEchoReply(b []byte) (echoReply, error) {
	if len(b) < echoReplySize {
		return echoReply{}, fmt.Errorf("echo reply of %d bytes, want %d", len(b), echoReplySize)
	}
	return echoReply{
		from:   netip.AddrFrom4([4]byte(b[0:4])),
		status: binary.LittleEndian.Uint32(b[echoReplyStatus:]),
	}, nil
}

// parseEcho6Reply reads an ICMPV6_ECHO_REPLY.
func parseEcho6Reply(b []byte) (echoReply, error) {
	if len(b) < echo6ReplySize {
		return echoReply{}, fmt.Errorf("echo reply of %d bytes, want %d", len(b), echo6ReplySize)
	}
	return echoReply{
		from:   netip.AddrFrom16([16]byte(b[echo6ReplyAddress : echo6ReplyAddress+16])),
		status: binary.LittleEndian.Uint32(b[echo6ReplyStatus:]),
	}, nil
}

// sockaddrIn6 is a Windows sockaddr_in6 for a: family AF_INET6 (23), port 0, flow information
// 0, the address, its scope (zone) when numeric.
func sockaddrIn6(a netip.Addr) [28]byte {
	var b [28]byte
	binary.LittleEndian.PutUint16(b[0:], 23)
	addr := a.As16()
	copy(b[8:24], addr[:])
	var scope uint32
	if z := a.Zone(); z != "" {
		_, _ = fmt.Sscanf(z, "%d", &scope)
	}
	binary.LittleEndian.PutUint32(b[24:], scope)
	return b
}

// ipStatusOf is how an echo ended: the reply's status, or GetLastError when the call returned
// no reply.
func ipStatusOf(replies, lastErr uint32, r echoReply) uint32 {
	if replies == 0 {
		return lastErr
	}
	return r.status
}

// classifyEcho tells what became of an echo from what the call returned (replies, the number
// of replies in the buffer; lastErr, GetLastError when that is 0) and the reply it left, sent
// from src. Any IP_STATUS other than success and "too big" (timed out, unreachable, a general
// failure) means the echo was not answered at that size. "Too big" from a router is about the
// path; from this computer itself (its own address, or none: no reply was filled in) it is
// about its own link. An error that is no IP_STATUS is the call's own: nothing was sent.
func classifyEcho(replies, lastErr uint32, r echoReply, src netip.Addr) (echoStatus, error) {
	status := ipStatusOf(replies, lastErr, r)
	switch {
	case replies > 0 && status == ipSuccess:
		return echoAnswered, nil
	case status == ipPacketTooBig:
		if from := r.from.Unmap(); !from.IsValid() || from.IsUnspecified() || from == src.Unmap() {
			return echoTooBigHere, nil
		}
		return echoTooBig, nil
	case status == ipBufTooSmall:
		return echoLost, fmt.Errorf("the reply buffer is too small (IP_STATUS %d)", status)
	case status > ipStatusFirst && status <= ipGeneralFailure:
		return echoLost, nil
	}
	return echoLost, fmt.Errorf("IcmpSendEcho2 failed: error %d", status)
}

// hopOfEcho reads which router an echo sent with a short TTL reached, as tracert reads it:
// "time exceeded" names the router where the TTL ran out, and an answered echo means target
// itself is that close (as a UDP probe's "port unreachable" does on Linux). The status is the
// reply's, or lastErr when the call returned no reply; Windows may fill in the reply's address
// either way. Anything else (timed out, unreachable) names no hop.
func hopOfEcho(replies, lastErr uint32, r echoReply, target netip.Addr) (netip.Addr, bool) {
	status := ipStatusOf(replies, lastErr, r)
	from := r.from.Unmap()
	switch {
	case status == ipSuccess && replies > 0:
		if !from.IsValid() || from.IsUnspecified() {
			return target, true
		}
		return from, true
	case status == ipTTLExpired && from.IsValid() && !from.IsUnspecified():
		return from, true
	}
	return netip.Addr{}, false
}
