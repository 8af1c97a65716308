//go:build !linux && !freebsd && !openbsd && !netbsd && !darwin && !windows

package notify

import "context"

func (n *Notifier) send(context.Context, Notification) error { return ErrUnsupported }
