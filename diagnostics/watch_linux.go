//go:build linux

package diagnostics

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// systemChanges subscribes to the kernel's link, address and route notifications over netlink.
// Only what can change connectivity wakes the watcher: a link's up, carrier or operational
// state, an address coming or going, a default route changing. Wi-Fi drivers announce every
// scan as a link message and IPv6 router advertisements refresh lifetimes every few minutes,
// so messages that change none of these are dropped here.
func systemChanges(ctx context.Context, notify func()) error {
	return (&netlinkChanges{
		linkSubscribe:  netlink.LinkSubscribeWithOptions,
		addrSubscribe:  netlink.AddrSubscribeWithOptions,
		routeSubscribe: netlink.RouteSubscribeWithOptions,
	}).run(ctx, notify)
}

// netlinkChanges holds the subscriptions and the little it remembers to tell real changes from
// repeats.
type netlinkChanges struct {
	linkSubscribe  func(chan<- netlink.LinkUpdate, <-chan struct{}, netlink.LinkSubscribeOptions) error
	addrSubscribe  func(chan<- netlink.AddrUpdate, <-chan struct{}, netlink.AddrSubscribeOptions) error
	routeSubscribe func(chan<- netlink.RouteUpdate, <-chan struct{}, netlink.RouteSubscribeOptions) error

	mu     sync.Mutex
	links  map[int]linkView
	addrs  map[addrKey]bool
	routes map[routeKey]bool
}

// linkView is what matters of a link.
type linkView struct {
	name  string
	flags uint32
	oper  netlink.LinkOperState
}

type addrKey struct {
	index  int
	prefix string
}

type routeKey struct {
	family, table, index int
	gw                   string
}

// relevantFlags are the link flags that change whether traffic can flow.
const relevantFlags = unix.IFF_UP | unix.IFF_RUNNING | unix.IFF_LOWER_UP

// run keeps the three subscriptions open until ctx ends. A subscription the kernel ends (its
// socket overflowed while the system was busy) is opened again after a pause, and the watcher is
// told, since changes may have been missed.
func (c *netlinkChanges) run(ctx context.Context, notify func()) error {
	c.links, c.addrs, c.routes = map[int]linkView{}, map[addrKey]bool{}, map[routeKey]bool{}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for _, sub := range []func(context.Context, func()) error{c.watchLinks, c.watchAddrs, c.watchRoutes} {
		wg.Go(func() {
			if err := resubscribe(ctx, notify, sub); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	return errors.Join(watchErrors(errs)...)
}

func watchErrors(ch <-chan error) []error {
	var out []error
	for err := range ch {
		out = append(out, err)
	}
	return out
}

// resubscribe runs one subscription until ctx ends, opening it again (with back-off) when the
// kernel closes it. An error opening the very first one is returned: netlink is not available.
func resubscribe(ctx context.Context, notify func(), sub func(context.Context, func()) error) error {
	first := true
	backoff := time.Second
	for ctx.Err() == nil {
		err := sub(ctx, notify)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && first {
			return err
		}
		first = false
		notify() // something may have changed while nobody listened
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		if err == nil {
			backoff = time.Second
		} else {
			backoff = min(2*backoff, 30*time.Second)
		}
	}
	return nil
}

func (c *netlinkChanges) watchLinks(ctx context.Context, notify func()) error {
	return follow(ctx, notify, func(ch chan<- netlink.LinkUpdate, done <-chan struct{}) error {
		return c.linkSubscribe(ch, done, netlink.LinkSubscribeOptions{ListExisting: true})
	}, c.linkChanged)
}

func (c *netlinkChanges) watchAddrs(ctx context.Context, notify func()) error {
	return follow(ctx, notify, func(ch chan<- netlink.AddrUpdate, done <-chan struct{}) error {
		return c.addrSubscribe(ch, done, netlink.AddrSubscribeOptions{ListExisting: true})
	}, c.addrChanged)
}

func (c *netlinkChanges) watchRoutes(ctx context.Context, notify func()) error {
	return follow(ctx, notify, func(ch chan<- netlink.RouteUpdate, done <-chan struct{}) error {
		return c.routeSubscribe(ch, done, netlink.RouteSubscribeOptions{ListExisting: true})
	}, c.routeChanged)
}

// follow runs one subscription until ctx ends or the kernel ends it, calling notify for each
// message that changed something. The subscriptions list what exists first, so that later
// messages can be told from repeats. Once done is closed the library closes its socket and
// then the channel; draining it lets the library's reader finish even if it was mid-send.
func follow[T any](ctx context.Context, notify func(), subscribe func(chan<- T, <-chan struct{}) error, changed func(T) bool) error {
	ch := make(chan T, 64)
	done := make(chan struct{})
	if err := subscribe(ch, done); err != nil {
		close(done)
		return err
	}
	defer func() {
		close(done)
		go func() {
			for range ch {
			}
		}()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case u, ok := <-ch:
			if !ok {
				return nil
			}
			if changed(u) {
				notify()
			}
		}
	}
}

func (c *netlinkChanges) linkChanged(u netlink.LinkUpdate) bool {
	a := u.Attrs()
	if a == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old, known := c.links[a.Index]
	if u.Header.Type == unix.RTM_DELLINK {
		delete(c.links, a.Index)
		return known
	}
	now := linkView{name: a.Name, flags: u.IfInfomsg.Flags & relevantFlags, oper: a.OperState}
	c.links[a.Index] = now
	// A link seen for the first time changes nothing while it is down, nor when it is only
	// part of the initial listing.
	if !known {
		return now.flags&unix.IFF_UP != 0 && u.Header.Flags&unix.NLM_F_MULTI == 0
	}
	return old != now
}

func (c *netlinkChanges) addrChanged(u netlink.AddrUpdate) bool {
	k := addrKey{index: u.LinkIndex, prefix: (&net.IPNet{IP: u.LinkAddress.IP, Mask: u.LinkAddress.Mask}).String()}
	c.mu.Lock()
	defer c.mu.Unlock()
	had := c.addrs[k]
	if u.NewAddr {
		c.addrs[k] = true
		// Lifetime refreshes repeat an address already known.
		return !had
	}
	delete(c.addrs, k)
	return had
}

// routeChanged reports a default route appearing or going; other routes (a VPN's own, the
// kernel's local and cached ones) show up as link and address changes when they matter.
func (c *netlinkChanges) routeChanged(u netlink.RouteUpdate) bool {
	if !isDefaultDst(u.Dst) || (u.Table != 0 && u.Table != unix.RT_TABLE_MAIN) {
		return false
	}
	k := routeKey{family: u.Family, table: u.Table, index: u.LinkIndex}
	if u.Gw != nil {
		k.gw = u.Gw.String()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	had := c.routes[k]
	if u.Type == unix.RTM_NEWROUTE {
		c.routes[k] = true
		return !had && u.NlFlags&unix.NLM_F_MULTI == 0
	}
	delete(c.routes, k)
	return had
}
