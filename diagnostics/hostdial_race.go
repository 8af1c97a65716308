package diagnostics

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// Browsers race IPv6 and IPv4 (RFC 8305): a family that does not connect in a moment is left
// for the other. A check that waited for a black-holed IPv6 address until its deadline would
// call a service down that every browser reaches; the IPv6 check tells of the wait instead.

// fallbackDelay is how long the first family gets before the other is tried beside it.
const fallbackDelay = 300 * time.Millisecond

// dialRace connects to addrs, the family of the first address first and the other after
// fallbackDelay, or at once when the first has failed; the first connection wins.
func (d *hostDialer) dialRace(ctx context.Context, network, port string, addrs []netip.Addr) (net.Conn, error) {
	primary, fallback := byFamily(addrs)
	if len(fallback) == 0 {
		return d.dialSerial(ctx, network, port, primary)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		conn    net.Conn
		err     error
		primary bool
	}
	results := make(chan result, 2)
	start := func(list []netip.Addr, isPrimary bool) {
		go func() {
			c, err := d.dialSerial(ctx, network, port, list)
			results <- result{c, err, isPrimary}
		}()
	}
	start(primary, true)
	pending, fallbackStarted := 1, false
	startFallback := func() {
		if !fallbackStarted {
			fallbackStarted = true
			pending++
			start(fallback, false)
		}
	}
	timer := time.NewTimer(fallbackDelay)
	defer timer.Stop()
	var primaryErr, fallbackErr error
	for {
		select {
		case <-timer.C:
			startFallback()
		case r := <-results:
			pending--
			if r.err == nil {
				// The loser may still connect: close it when it does.
				go func(n int) {
					for range n {
						if late := <-results; late.conn != nil {
							_ = late.conn.Close()
						}
					}
				}(pending)
				return r.conn, nil
			}
			if r.primary {
				primaryErr = r.err
			} else {
				fallbackErr = r.err
			}
			startFallback()
			if pending == 0 {
				if primaryErr != nil {
					return nil, primaryErr
				}
				return nil, fallbackErr
			}
		}
	}
}

// dialSerial connects to each address in turn until one answers.
func (d *hostDialer) dialSerial(ctx context.Context, network, port string, addrs []netip.Addr) (net.Conn, error) {
	var firstErr error
	for _, a := range addrs {
		conn, err := d.dial(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// byFamily splits addrs into those of the first address's family and the others, in order.
func byFamily(addrs []netip.Addr) (first, other []netip.Addr) {
	for _, a := range addrs {
		if a.Unmap().Is4() == addrs[0].Unmap().Is4() {
			first = append(first, a)
		} else {
			other = append(other, a)
		}
	}
	return first, other
}
