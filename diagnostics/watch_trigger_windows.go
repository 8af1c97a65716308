//go:build windows

package diagnostics

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemTCPSource reads Windows' TCP totals (GetTcpStatisticsEx, IPv4 and IPv6 added up) and
// lists the connections whose SYN is unanswered (GetTcpTable2, GetTcp6Table2). None of the three
// needs administrator rights; golang.org/x/sys wraps none of them.
func systemTCPSource() *tcpSource {
	return &tcpSource{Counters: winTCPCounters, Conns: winTCPConns}
}

var (
	iphlpapi               = windows.NewLazySystemDLL("iphlpapi.dll")
	procGetTcpStatisticsEx = iphlpapi.NewProc("GetTcpStatisticsEx")
	procGetTcpTable2       = iphlpapi.NewProc("GetTcpTable2")
	procGetTcp6Table2      = iphlpapi.NewProc("GetTcp6Table2")
)

func winTCPCounters() (tcpCounters, error) {
	var sum tcpCounters
	for _, family := range []uintptr{windows.AF_INET, windows.AF_INET6} {
		var buf [tcpStatsSize]byte
		if r, _, _ := procGetTcpStatisticsEx.Call(uintptr(unsafe.Pointer(&buf[0])), family); r != 0 {
			// A computer without IPv6 has no IPv6 statistics.
			if family == windows.AF_INET6 && windows.Errno(r) == windows.ERROR_NOT_SUPPORTED {
				continue
			}
			return tcpCounters{}, fmt.Errorf("read TCP statistics (GetTcpStatisticsEx): %w", windows.Errno(r))
		}
		c, _ := parseTCPStats(buf[:])
		sum.Sent += c.Sent
		sum.Timeouts += c.Timeouts
		sum.Opened += c.Opened
	}
	return sum, nil
}

func winTCPConns() ([]tcpConn, error) {
	v4, err := winTCPTable(procGetTcpTable2, parseTCPTable2)
	if err != nil {
		return nil, fmt.Errorf("list TCP connections (GetTcpTable2): %w", err)
	}
	v6, err := winTCPTable(procGetTcp6Table2, parseTCP6Table2)
	if err != nil {
		return nil, fmt.Errorf("list TCP connections (GetTcp6Table2): %w", err)
	}
	return append(v4, v6...), nil
}

// winTCPTable asks for a table into a buffer that grows until the table fits (connections come
// and go between the calls).
func winTCPTable(proc *windows.LazyProc, parse func([]byte) ([]tcpConn, error)) ([]tcpConn, error) {
	size := uint32(4 << 10)
	for range 5 {
		buf := make([]byte, size)
		r, _, _ := proc.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0)
		switch errno := windows.Errno(r); {
		case r == 0:
			return parse(buf[:min(int(size), len(buf))])
		case errno == windows.ERROR_INSUFFICIENT_BUFFER:
			size += 4 << 10
		case errno == windows.ERROR_NOT_SUPPORTED:
			return nil, nil // no such protocol on this computer
		default:
			return nil, errno
		}
	}
	return nil, errors.New("the table kept growing")
}
