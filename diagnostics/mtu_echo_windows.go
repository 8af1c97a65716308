//go:build windows

package diagnostics

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows sends echoes for any user through iphlpapi.dll (what ping.exe does); golang.org/x/sys
// wraps none of these calls. IPv4 echoes carry Don't Fragment in their options; IPv6 routers
// never fragment, so an IPv6 echo too large for a link is dropped or answered "too big" anyway.
var (
	procIcmpCreateFile  = iphlpapi.NewProc("IcmpCreateFile")
	procIcmp6CreateFile = iphlpapi.NewProc("Icmp6CreateFile")
	procIcmpCloseHandle = iphlpapi.NewProc("IcmpCloseHandle")
	procIcmpSendEcho2   = iphlpapi.NewProc("IcmpSendEcho2")
	procIcmp6SendEcho2  = iphlpapi.NewProc("Icmp6SendEcho2")
)

// ipOptionInformation is IP_OPTION_INFORMATION of a 64-bit program.
type ipOptionInformation struct {
	TTL, TOS, Flags, OptionsSize uint8
	OptionsData                  uintptr
}

var _ [16]byte = [unsafe.Sizeof(ipOptionInformation{})]byte{}

// winEchoer sends each echo on a handle of its own, so that the sizes' echoes run side by side.
type winEchoer struct{}

func systemEchoer() echoer { return winEchoer{} }

func (winEchoer) source(dst netip.Addr) (netip.Addr, error) {
	network := "udp4"
	if dst.Is6() {
		network = "udp6"
	}
	return routeSource(network, dst)
}

func (winEchoer) echo(src, dst netip.Addr, size int, timeout time.Duration) (echoStatus, error) {
	opts := ipOptionInformation{TTL: 128, Flags: ipFlagDF}
	if dst.Is6() {
		opts.Flags = 0
	}
	e, err := sendEcho(dst, echoDataSize(size, dst.Is6()), opts, timeout)
	if err != nil {
		return echoLost, err
	}
	status, err := classifyEcho(e.replies, e.lastErr, e.reply, src)
	if err != nil {
		err = fmt.Errorf("%s: %w", e, err)
	}
	return status, err
}

// sentEcho is what one IcmpSendEcho2 call gave back: how many replies it returned, GetLastError
// when that is none, and the reply buffer as read.
type sentEcho struct {
	call             string
	replies, lastErr uint32
	reply            echoReply
}

func (e sentEcho) String() string {
	return fmt.Sprintf("%s: %d replies, error %d, status %d from %s", e.call, e.replies, e.lastErr, e.reply.status, e.reply.from)
}

// sendEcho sends one echo carrying data bytes to dst with opts and waits at most timeout for
// what comes back, on a handle of its own. An error is the call's own failure: nothing was sent.
func sendEcho(dst netip.Addr, dataSize int, opts ipOptionInformation, timeout time.Duration) (sentEcho, error) {
	create, send, parse := procIcmpCreateFile, procIcmpSendEcho2, parseEchoReply
	if dst.Is6() {
		create, send, parse = procIcmp6CreateFile, procIcmp6SendEcho2, parseEcho6Reply
	}
	data := make([]byte, dataSize)
	for i := range data {
		data[i] = 'a' + byte(i%23) // as ping.exe fills its echoes
	}
	reply := make([]byte, echoReplyBufferSize(len(data)))
	h, _, err := create.Call()
	if windows.Handle(h) == windows.InvalidHandle {
		return sentEcho{}, fmt.Errorf("open an ICMP handle (%s): %w", create.Name, err)
	}
	defer procIcmpCloseHandle.Call(h) //nolint:errcheck // nothing to do if closing fails
	ms := uintptr(max(timeout.Milliseconds(), 1))
	var n uintptr
	var callErr error
	if dst.Is6() {
		from, to := sockaddrIn6(netip.IPv6Unspecified()), sockaddrIn6(dst)
		n, _, callErr = send.Call(h, 0, 0, 0, uintptr(unsafe.Pointer(&from[0])), uintptr(unsafe.Pointer(&to[0])),
			uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(unsafe.Pointer(&opts)),
			uintptr(unsafe.Pointer(&reply[0])), uintptr(len(reply)), ms)
	} else {
		a := dst.As4()
		n, _, callErr = send.Call(h, 0, 0, 0, uintptr(binary.LittleEndian.Uint32(a[:])),
			uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(unsafe.Pointer(&opts)),
			uintptr(unsafe.Pointer(&reply[0])), uintptr(len(reply)), ms)
	}
	r, err := parse(reply)
	if err != nil {
		return sentEcho{}, err
	}
	e := sentEcho{call: send.Name, replies: uint32(n), reply: r}
	if errno, ok := callErr.(windows.Errno); ok {
		e.lastErr = uint32(errno)
	}
	return e, nil
}
