//go:build !linux

package diagnostics

import (
	"errors"
	"syscall"
)

// Elsewhere no segment size is capped. Windows only reads TCP_MAXSEG, and on macOS it bounds
// what this side sends but cannot be relied on to lower what the SYN advertises, so the server
// would still send full-size segments and a probe would prove nothing. Windows sends echoes
// with Don't Fragment set instead (mtu_echo_windows.go); on macOS no unprivileged program can
// (pro-bing v0.9.1 answers ErrDFNotSupported), so a stalled page stays a stalled page there,
// and the report says the probe was unsupported rather than guess.
const mssSupported = false

var errMSSUnsupported = errors.New("this system can neither cap a connection's segment size nor send echoes with Don't Fragment set")

func capMSS(int) func(network, address string, c syscall.RawConn) error {
	return func(string, string, syscall.RawConn) error { return errMSSUnsupported }
}
