package diagnostics

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"

	"github.com/apuri-project/apuri/i18n"
)

// Every check that reaches the network says what went wrong the same way.

// netShortError names the usual failures in a word, so the details stay readable.
func netShortError(err error) string {
	switch {
	case netIsTimeout(err):
		return "timeout"
	case connRefused(err):
		return "refused"
	}
	// The summary wants the heart of the error, not its whole chain: the chain is in the details.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "name lookup failed: " + dnsErr.Name
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	for inner := errors.Unwrap(err); inner != nil; inner = errors.Unwrap(err) {
		err = inner
	}
	return err.Error()
}

// netErrorWords is netShortError for a sentence: the usual failures in the reader's language,
// anything else in the system's own words (the whole chain is in the details either way).
func netErrorWords(err error) any {
	var key string
	var args []any
	var dnsErr *net.DNSError
	switch {
	case netIsTimeout(err):
		key = "neterror.timeout"
	case connRefused(err):
		key = "neterror.refused"
	case errors.As(err, &dnsErr) && dnsErr.Name != "":
		key, args = "neterror.name", []any{"name", dnsErr.Name}
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		key = "neterror.unreachable"
	default:
		return netShortError(err)
	}
	return i18n.Each(func(lang string) string { return i18n.New(lang).F(key, args...) })
}

// netIsTimeout reports whether err means that nothing answered in time.
func netIsTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
