//go:build linux

package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// The ICMP types and code that name a hop.
const (
	icmpDestUnreachable = 3
	icmpPortUnreachable = 3
	icmpTimeExceeded    = 11
)

// systemFindHop sends UDP datagrams with a TTL of 2 towards target and reads the ICMP error
// that comes back from the kernel's error queue (IP_RECVERR), as tracepath does: no privileges
// needed. A "time exceeded" names the router after the gateway; a "port unreachable" means the
// target itself is that close. Up to hopProbes datagrams go hopProbeGap apart, so one lost
// packet on a lossy path does not hide the hop; the first answer within wait wins.
func systemFindHop(ctx context.Context, target netip.Addr, wait time.Duration) (netip.Addr, error) {
	if !target.Is4() {
		return netip.Addr{}, errors.New("only IPv4 is traced")
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("udp socket: %w", err)
	}
	defer unix.Close(fd)
	for _, o := range [][2]int{{unix.IP_TTL, 2}, {unix.IP_RECVERR, 1}} {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, o[0], o[1]); err != nil {
			return netip.Addr{}, fmt.Errorf("socket option %d: %w", o[0], err)
		}
	}
	start := time.Now()
	deadline := start.Add(wait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	sent := 0
	buf, oob := make([]byte, 64), make([]byte, 512)
	for time.Now().Before(deadline) {
		if sent < hopProbes && time.Since(start) >= time.Duration(sent)*hopProbeGap {
			// A high port that nothing listens on, a different one each time (as traceroute).
			sa := &unix.SockaddrInet4{Port: 33434 + sent, Addr: target.As4()}
			if err := unix.Sendto(fd, []byte("apuri"), 0, sa); err != nil {
				return netip.Addr{}, fmt.Errorf("send to %s: %w", target, err)
			}
			sent++
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLERR}}
		if _, err := unix.Poll(fds, 10); err != nil && !errors.Is(err, unix.EINTR) {
			return netip.Addr{}, fmt.Errorf("poll: %w", err)
		}
		if ctx.Err() != nil {
			return netip.Addr{}, ctx.Err()
		}
		if fds[0].Revents&unix.POLLERR == 0 {
			continue
		}
		_, oobn, _, _, err := unix.Recvmsg(fd, buf, oob, unix.MSG_ERRQUEUE)
		if err != nil {
			continue
		}
		if hop, ok := hopFromErrQueue(oob[:oobn]); ok {
			return hop, nil
		}
	}
	return netip.Addr{}, fmt.Errorf("no router answered %d probes in %v", sent, wait)
}

// hopFromErrQueue reads the sender of an ICMP error from IP_RECVERR control data: a
// sock_extended_err, then the offender's sockaddr_in.
func hopFromErrQueue(oob []byte) (netip.Addr, bool) {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return netip.Addr{}, false
	}
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_IP || m.Header.Type != unix.IP_RECVERR || len(m.Data) < 16+8 {
			continue
		}
		origin, typ, code := m.Data[4], m.Data[5], m.Data[6]
		if origin != unix.SO_EE_ORIGIN_ICMP {
			continue
		}
		if typ != icmpTimeExceeded && (typ != icmpDestUnreachable || code != icmpPortUnreachable) {
			continue
		}
		// sockaddr_in: family (2), port (2), address (4).
		return netip.AddrFrom4([4]byte(m.Data[16+4 : 16+8])), true
	}
	return netip.Addr{}, false
}
