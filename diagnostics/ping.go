package diagnostics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	probing "github.com/prometheus-community/pro-bing"
)

// systemPing pings through pro-bing: a raw ICMP socket when the process may open one (root,
// or always on Windows), otherwise an unprivileged ICMP datagram socket, falling back to raw for
// a binary given CAP_NET_RAW.
func systemPing(ctx context.Context, addr netip.Addr, o pingOptions) (pingStats, error) {
	modes := []bool{false, true}
	if runtime.GOOS == "windows" {
		modes = []bool{true}
	} else if os.Geteuid() == 0 {
		modes = []bool{true, false}
	}
	var errs []error
	for _, privileged := range modes {
		st, err := pingOnce(ctx, addr, o, privileged)
		if err == nil || st.Sent > 0 {
			return st, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	rest := make([]string, 0, len(errs)-1)
	for _, e := range errs[1:] {
		rest = append(rest, e.Error())
	}
	if len(rest) == 0 {
		return pingStats{}, errs[0]
	}
	return pingStats{}, fmt.Errorf("%w; %s", errs[0], strings.Join(rest, "; "))
}

func pingOnce(ctx context.Context, addr netip.Addr, o pingOptions, privileged bool) (pingStats, error) {
	p := probing.New("")
	p.SetLogger(probing.NoopLogger{})
	p.SetIPAddr(&net.IPAddr{IP: addr.Unmap().AsSlice(), Zone: addr.Zone()})
	p.SetPrivileged(privileged)
	p.Count, p.Interval, p.Timeout = o.count, o.interval, o.timeout
	var (
		mu    sync.Mutex
		seqs  = map[int]bool{}
		clean *pingStats // the first o.enough pings, all answered
	)
	var replies atomic.Int32
	if o.silence > 0 {
		quiet := time.AfterFunc(o.silence, func() {
			if replies.Load() == 0 {
				p.Stop()
			}
		})
		defer quiet.Stop()
	}
	p.OnRecv = func(pkt *probing.Packet) {
		replies.Add(1)
		if o.onReply != nil {
			o.onReply(pkt.Rtt)
		}
		if o.enough <= 0 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		seqs[pkt.Seq] = true
		if clean == nil && len(seqs) >= o.enough && allBelow(seqs, len(seqs)) {
			st := p.Statistics()
			clean = &pingStats{Sent: len(seqs), Recv: len(seqs), AvgRTT: st.AvgRtt, MaxRTT: st.MaxRtt, RTTs: st.Rtts}
			p.Stop()
		}
	}
	err := p.RunWithContext(ctx)
	st := p.Statistics()
	out := pingStats{Sent: st.PacketsSent, Recv: st.PacketsRecv, AvgRTT: st.AvgRtt, MaxRTT: st.MaxRtt, RTTs: st.Rtts}
	mu.Lock()
	if clean != nil {
		// Pings sent after the decision were cut short, not lost.
		out = *clean
	}
	mu.Unlock()
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		kind := "unprivileged"
		if privileged {
			kind = "raw"
		}
		return out, fmt.Errorf("%s icmp: %w", kind, err)
	}
	return out, nil
}

// allBelow reports whether every sequence number seen is below n: with n of them, no ping
// before the latest answered one was lost.
func allBelow(seqs map[int]bool, n int) bool {
	for s := range seqs {
		if s >= n {
			return false
		}
	}
	return true
}
