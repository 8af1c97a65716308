//go:build !linux

package diagnostics

import (
	"errors"
	"syscall"
)

// Elsewhere the path is not probed. Windows only reads TCP_MAXSEG, and on macOS it bounds what
// this side sends but cannot be relied on to lower what the SYN advertises, so the server would
// still send full-size segments and a probe would prove nothing. The fall-back the issue names, pings with Don't Fragment set, is not there
// either: pro-bing (v0.9.1) sets Don't Fragment only on Linux and answers ErrDFNotSupported on
// Windows and macOS. A stalled page then stays a stalled page, and the report says the probe
// was unsupported rather than guess.
const mssSupported = false

var errMSSUnsupported = errors.New("this system cannot cap a connection's segment size, and pro-bing cannot set Don't Fragment on it")

func capMSS(int) func(network, address string, c syscall.RawConn) error {
	return func(string, string, syscall.RawConn) error { return errMSSUnsupported }
}
