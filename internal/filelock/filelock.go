// Package filelock takes exclusive, non-blocking locks on files. The operating system drops a
// lock when its process dies, so a crashed or killed Apuri never leaves one behind: the agent's
// single-instance lock and the outbox's send lock both rely on that.
package filelock

import "errors"

// ErrLocked says another process holds the lock.
var ErrLocked = errors.New("locked by another process")
