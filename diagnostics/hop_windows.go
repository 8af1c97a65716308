//go:build windows

package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// An echo that looks for the hop carries as much data as tracert's, and runs out after the
// router after the gateway.
const (
	hopEchoData = 32
	hopTTL      = 2
)

// systemFindHop sends ICMP echoes with a TTL of 2 towards target through the IP Helper API, as
// tracert does, which any user may: a router that answers "time exceeded" is the one after the
// gateway, and an echo answered by target itself means target is that close. As on Linux, up
// to hopProbes echoes go hopProbeGap apart, each on its own handle (the call waits for its
// answer), so one lost packet does not hide the hop; the first hop named within wait wins. The
// echoes still waiting then run out by themselves within wait.
func systemFindHop(ctx context.Context, target netip.Addr, wait time.Duration) (netip.Addr, error) {
	return findHopAt(ctx, target, hopTTL, wait)
}

// findHopAt finds the router ttl hops away on the way to target (or target itself, when closer).
func findHopAt(ctx context.Context, target netip.Addr, ttl uint8, wait time.Duration) (netip.Addr, error) {
	if !target.Is4() {
		return netip.Addr{}, errors.New("only IPv4 is traced")
	}
	deadline := time.Now().Add(wait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	type answer struct {
		echo sentEcho
		err  error
	}
	answers := make(chan answer, hopProbes)
	sent := 0
	for i := range hopProbes {
		at := time.Duration(i) * hopProbeGap
		timeout := time.Until(deadline) - at
		if timeout < minEchoWait {
			break
		}
		sent++
		go func() {
			if at > 0 {
				t := time.NewTimer(at)
				defer t.Stop()
				select {
				case <-t.C:
				case <-ctx.Done():
					answers <- answer{err: ctx.Err()}
					return
				}
			}
			e, err := sendEcho(target, hopEchoData, ipOptionInformation{TTL: ttl}, timeout)
			answers <- answer{e, err}
		}()
	}
	var seen []string
	for range sent {
		var a answer
		select {
		case a = <-answers:
		case <-ctx.Done():
			return netip.Addr{}, ctx.Err()
		}
		if a.err != nil {
			if errors.Is(a.err, context.Canceled) || errors.Is(a.err, context.DeadlineExceeded) {
				return netip.Addr{}, a.err
			}
			// The others would fail the same way.
			return netip.Addr{}, fmt.Errorf("echo with TTL %d to %s: %w", ttl, target, a.err)
		}
		// The raw answer goes to the log: what a router, a firewall or the system made of it.
		Logf(ctx, "echo with TTL %d to %s: %s", ttl, target, a.echo)
		if hop, ok := hopOfEcho(a.echo.replies, a.echo.lastErr, a.echo.reply, target); ok {
			return hop, nil
		}
		seen = append(seen, fmt.Sprint(ipStatusOf(a.echo.replies, a.echo.lastErr, a.echo.reply)))
	}
	return netip.Addr{}, fmt.Errorf("no router answered %d echoes in %v (status %s)", sent, wait, strings.Join(seen, ", "))
}
