//go:build darwin

package diagnostics

import (
	"context"
	"fmt"
	"net/netip"
	"os"

	"golang.org/x/net/route"
	"golang.org/x/sys/unix"
)

// systemChanges reads the kernel's routing socket (PF_ROUTE), which announces interface,
// address and route changes on macOS without any framework or cgo. The socket also reports
// every ARP and cloned host route, so only interface flag changes, addresses and default routes
// wake the watcher.
func systemChanges(ctx context.Context, notify func()) error {
	fd, err := unix.Socket(unix.AF_ROUTE, unix.SOCK_RAW, unix.AF_UNSPEC)
	if err != nil {
		return fmt.Errorf("open routing socket: %w", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return fmt.Errorf("routing socket: %w", err)
	}
	// A non-blocking descriptor joins the runtime's poller, so closing it ends a pending Read.
	f := os.NewFile(uintptr(fd), "route")
	defer f.Close()
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	flags := map[int]int{}
	buf := make([]byte, 16<<10)
	for {
		n, err := f.Read(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read routing socket: %w", err)
		}
		msgs, err := route.ParseRIB(route.RIBTypeRoute, buf[:n])
		if err != nil {
			notify() // unreadable, but something changed
			continue
		}
		for _, m := range msgs {
			if routeMessageMatters(m, flags) {
				notify()
				break
			}
		}
	}
}

// routeMessageMatters reports whether a routing socket message can change connectivity.
func routeMessageMatters(m route.Message, flags map[int]int) bool {
	const relevant = unix.IFF_UP | unix.IFF_RUNNING
	switch m := m.(type) {
	case *route.InterfaceMessage:
		old, known := flags[m.Index]
		flags[m.Index] = m.Flags & relevant
		return !known || old != m.Flags&relevant
	case *route.InterfaceAddrMessage:
		return true
	case *route.RouteMessage:
		if m.Flags&(unix.RTF_LLINFO|unix.RTF_WASCLONED|unix.RTF_HOST) != 0 || len(m.Addrs) <= unix.RTAX_DST {
			return false
		}
		switch a := m.Addrs[unix.RTAX_DST].(type) {
		case *route.Inet4Addr:
			return netip.AddrFrom4(a.IP).IsUnspecified()
		case *route.Inet6Addr:
			return netip.AddrFrom16(a.IP).IsUnspecified()
		}
	}
	return false
}
