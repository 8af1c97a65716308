//go:build !linux && !windows && !darwin

package diagnostics

import (
	"context"
	"net"
	"slices"
	"strings"
	"time"
)

// otherPollInterval is how often the interfaces are read where the OS gives no notifications:
// reading them is one cheap system call, far cheaper than the watcher's probe.
const otherPollInterval = 5 * time.Second

// systemChanges polls the interface list on systems without a change notification Apuri
// knows (the BSDs and others): a link, flag or address that changes wakes the watcher.
func systemChanges(ctx context.Context, notify func()) error {
	last := interfaceSnapshot()
	t := time.NewTicker(otherPollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if now := interfaceSnapshot(); now != last {
				last = now
				notify()
			}
		}
	}
}

// interfaceSnapshot describes every interface's name, flags and addresses in one string.
func interfaceSnapshot() string {
	ifaces, err := net.Interfaces()
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	for _, i := range ifaces {
		b.WriteString(i.Name + " " + i.Flags.String())
		addrs, _ := i.Addrs()
		names := make([]string, len(addrs))
		for j, a := range addrs {
			names[j] = a.String()
		}
		slices.Sort(names)
		b.WriteString(" " + strings.Join(names, ",") + "\n")
	}
	return b.String()
}
