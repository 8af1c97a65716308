package diagnostics

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// Linux lets any process cap a socket's segment size before it connects; the cap is also
// what the SYN advertises, so the server sends no larger segments either.
const mssSupported = true

var errMSSUnsupported = errors.New("unused on Linux")

// capMSS is a net.Dialer Control that sets TCP_MAXSEG to mss before connecting; 0 leaves the
// system's own.
func capMSS(mss int) func(network, address string, c syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		if mss <= 0 {
			return nil
		}
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_MAXSEG, mss)
		}); err != nil {
			return err
		}
		return serr
	}
}
