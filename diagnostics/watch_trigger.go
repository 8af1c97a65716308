package diagnostics

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// The stall trigger lets the user's own traffic tell the watcher of an upstream loss at once,
// instead of at the next periodic probe. When the path beyond the router silently drops
// everything, the user's connections show it in one of three ways, and each is rare on a
// working network:
//
//   - a connection that sends (a request over a kept-alive connection, or a new connection's
//     SYN) goes a whole retransmission timeout (RTO, 0.2 s and more; 1 s for a SYN) without an
//     acknowledgement, and the kernel starts retransmitting it on its timer. Ordinary loss is
//     repaired by fast retransmit within a round trip, so a connection is seldom caught in RTO
//     back-off at the moment it is looked at;
//   - a download in flight sends nothing but acknowledgements, so it has nothing to retransmit:
//     it just stops receiving. A connection that received at download speed over a whole
//     sampling period and then receives nothing at all for receiveQuiet, with nothing left
//     unread by the application, has stalled (watch_trigger_receive.go).
//
// Watching that costs little: while the connection is healthy the trigger reads the kernel's
// TCP and IP totals, once a second while TCP traffic flows (data sent, connections begun) or
// data arrives at download speed, and every 10 s otherwise (a connection that sends nothing
// and receives nothing cannot stall). Only when a retransmission timeout has expired somewhere, or while data arrives at
// download speed, does it list the connections (sock_diag on Linux). A connection that stalled
// after being acknowledged within the last minute, that never got its SYN answered, or whose
// download stopped, to a peer that is not the computer itself, starts a quick probe; the probe
// decides, the trigger never reports a loss by itself.
//
// A network that is lossy but works, one dead server, or a long download that simply ended
// must not turn this into probing all day: each stalled connection triggers once; a peer whose
// stall a probe found harmless is left alone for a while; and triggered probes are at least
// triggerGap apart, the gap doubling up to the periodic interval while they keep finding the
// connection working. A trigger that comes within the gap waits for its end and fires then if
// the connection is still stalled. Once the connection is confirmed working again after a
// loss, the gap starts afresh: the next loss is as urgent as the first.
//
// Sampling stops while the connection is lost or not yet confirmed working: the watcher then
// probes on its own back-off anyway.

// tcpCounters are the computer's TCP totals (Linux: TcpExt in /proc/net/netstat, for the
// network namespace the watcher runs in).
type tcpCounters struct {
	// Sent counts segments sent with new data (not retransmissions, not bare ACKs).
	Sent uint64
	// Timeouts grows whenever a retransmission timeout expires or a SYN is sent again: no
	// new stall without it. Fast retransmits and tail-loss probes, which repair the losses of
	// a working network, do not count.
	Timeouts uint64
	// Received counts the bytes the computer received (Linux: IpExt InOctets), so that a
	// download, which sends no new data, keeps the sampling fast and has its connection
	// listed. Zero where the OS does not tell: downloads then go unwatched.
	Received uint64
	// Opened counts the connections the computer began (Linux: Tcp ActiveOpens). A new
	// connection sends no data until its SYN is answered, and a SYN is sent again only after
	// a second: without it, a user who only opens new connections when the path breaks looks
	// idle in between, and the sampling slows just when it matters. Zero where the OS does not
	// tell.
	Opened uint64
}

// tcpConn is one of the computer's TCP connections to a peer other than itself, as the trigger
// needs it: those that stall on the retransmission timer, and the established ones, whose
// downloads it follows.
type tcpConn struct {
	// ID tells connections apart (Linux: the socket's cookie).
	ID   uint64
	Peer netip.Addr
	// Stalled says it has gone at least one whole retransmission timeout without an
	// acknowledgement and is being retransmitted on the kernel's timer.
	Stalled bool
	// Connecting says the connection's SYN was never answered.
	Connecting bool
	// Silent is how long ago the peer last acknowledged anything (established connections).
	Silent time.Duration
	// Received counts the payload bytes received so far and Quiet is how long ago the last
	// arrived; Unread is what waits for the application to read it (a full receive queue
	// stops a download by the application's choice). Zero where the OS does not tell.
	Received uint64
	Quiet    time.Duration
	Unread   uint32
}

// tcpSource reads the computer's TCP state; systemTCPSource gives the OS's, nil where there is
// none. Counters is cheap and read every sample; Conns lists the connections and is read only
// when a retransmission timeout expired or data arrives at download speed.
//
// Every OS gives the trigger the same two functions (what each must hold: watch_trigger_other.go);
// a field an OS does not give stays zero.
type tcpSource struct {
	Counters func() (tcpCounters, error)
	Conns    func() ([]tcpConn, error)
}

// The trigger's defaults. The sampling period while traffic flows, plus an RTO, plus a probe
// that waits out its check timeout (2 s by default), keeps a loss under traffic within 5 s.
const (
	triggerFast = time.Second
	// triggerSlow is the period while no TCP data is sent, no connection begun or timed out,
	// and nothing received at download speed: the machine may sleep (each sample wakes the
	// process for well under a millisecond, but wakes it), and a user who starts using the
	// network again is noticed within it.
	triggerSlow = 10 * time.Second
	// triggerFresh is how recently a stalled connection must have been acknowledged: one
	// that was idle for longer and stalls on its first write has more likely lost its peer
	// or its NAT mapping than the network; a real loss stalls the busier and new ones too.
	triggerFresh = time.Minute
	triggerGap   = 10 * time.Second
	// triggerMute is how long a peer whose stall a probe found harmless is left alone.
	triggerMute = 10 * time.Minute
	// triggerRest resets the gap once no triggered probe has run for this long.
	triggerRest = 10 * time.Minute
	// triggerFastBytes is how much the computer must receive per second for the sampling to
	// stay fast: the rate of a download, well above the background chatter of a LAN
	// (announcements, broadcasts).
	triggerFastBytes = receiveRate
)

// tcpTrigger decides from samples of a tcpSource when a quick probe is worth running. It reads
// no clock: the watcher passes the time in, so tests drive it with made-up times.
type tcpTrigger struct {
	src                               tcpSource
	fast, slow, fresh, minGap, maxGap time.Duration
	mute, rest                        time.Duration
	logf                              func(format string, args ...any)

	on, disabled bool
	busy         bool // in the last period: TCP data sent, a connection begun or timed out, or a download's worth received
	pending      bool // a trigger waits for the gap to end
	base         tcpCounters
	sampled      time.Time            // when base was read
	used         map[uint64]time.Time // stalls already acted on, or old news: when they began
	muted        map[netip.Addr]time.Time
	gap          time.Duration
	last         time.Time    // the last triggered probe
	peers        []netip.Addr // whose stalls triggered the probe in flight
	downloads    downloads
}

// newTCPTrigger returns a trigger on src with the defaults, its gap growing up to interval;
// nil when src is nil.
func newTCPTrigger(src *tcpSource, interval time.Duration) *tcpTrigger {
	if src == nil || src.Counters == nil || src.Conns == nil {
		return nil
	}
	return &tcpTrigger{
		src: *src, fast: triggerFast, slow: triggerSlow, fresh: triggerFresh,
		minGap: triggerGap, maxGap: max(triggerGap, interval), mute: triggerMute, rest: triggerRest,
		gap: triggerGap, used: map[uint64]time.Time{}, muted: map[netip.Addr]time.Time{},
		downloads: downloads{},
	}
}

func (t *tcpTrigger) log(format string, args ...any) {
	if t.logf != nil {
		t.logf(format, args...)
	}
}

// disable stops the trigger for good: the source does not work here, and the periodic probe
// is left to notice an upstream loss.
func (t *tcpTrigger) disable(err error) {
	t.disabled, t.on = true, false
	t.log("TCP stall trigger unavailable, relying on the periodic probe: %v", err)
}

// probed tells the trigger that a probe ran and what the watcher now thinks: whether the probe
// was the trigger's, whether it failed, and whether the connection is healthy (confirmed
// working). It returns whether to sample and when next.
func (t *tcpTrigger) probed(now time.Time, triggered, failing, healthy bool) (time.Duration, bool) {
	t.pending = false
	if triggered {
		if failing {
			t.gap = t.minGap
		} else {
			// Those peers' stalls were theirs, not the network's; probe less eagerly too.
			for _, p := range t.peers {
				t.muted[p] = now.Add(t.mute)
			}
			t.gap = min(2*t.gap, t.maxGap)
			t.log("the stalls were harmless: %s left alone for %v, triggered probes %v apart", peerList(t.peers), t.mute, t.gap)
		}
		t.peers = nil
	}
	if t.disabled || !healthy {
		t.on = false
		return 0, false
	}
	if !t.on {
		return t.resume(now)
	}
	// The probe's own segments are not the user's traffic.
	if c, err := t.src.Counters(); err == nil {
		t.base.Sent, t.base.Received, t.base.Opened, t.sampled = c.Sent, c.Received, c.Opened, now
	}
	return t.period(), true
}

// resume starts sampling once the connection is confirmed working again: whatever is stalled
// now began while it was not, and is no news; and the gap starts afresh, so that a loss soon
// after the last one is noticed as soon.
func (t *tcpTrigger) resume(now time.Time) (time.Duration, bool) {
	c, err := t.src.Counters()
	if err != nil {
		t.disable(err)
		return 0, false
	}
	conns, err := t.src.Conns()
	if err != nil {
		t.disable(err)
		return 0, false
	}
	// The first sample comes soon: the user's traffic resumes with the connection.
	t.on, t.busy, t.base, t.sampled = true, true, c, now
	t.last, t.gap = time.Time{}, t.minGap
	clear(t.used)
	clear(t.downloads)
	for _, s := range conns {
		if s.Stalled {
			t.used[s.ID] = t.start(now, s)
		}
	}
	return t.period(), true
}

func (t *tcpTrigger) period() time.Duration {
	if t.busy {
		return t.fast
	}
	return t.slow
}

// start is when a stall began: a connection's last acknowledgement, or, for a SYN never
// answered, nothing (each such connection stalls once).
func (t *tcpTrigger) start(now time.Time, s tcpConn) time.Time {
	if s.Connecting {
		return time.Time{}
	}
	return now.Add(-s.Silent).Truncate(0)
}

// sample reads the counters and, when a retransmission timeout expired, data arrives at
// download speed or a trigger waits, the connections. It returns whether to probe now and, if
// not, when to sample next.
func (t *tcpTrigger) sample(now time.Time) (bool, time.Duration) {
	c, err := t.src.Counters()
	if err != nil {
		t.disable(err)
		return false, 0
	}
	timeouts := c.Timeouts != t.base.Timeouts
	downloading := rateOf(c.Received-t.base.Received, now.Sub(t.sampled)) >= triggerFastBytes
	t.busy = timeouts || downloading || c.Sent != t.base.Sent || c.Opened != t.base.Opened
	t.base, t.sampled = c, now
	if !timeouts && !t.pending && !downloading && !t.downloads.inFlight() {
		clear(t.downloads)
		return false, t.period()
	}
	conns, err := t.src.Conns()
	if err != nil {
		t.disable(err)
		return false, 0
	}
	fresh := t.freshStalls(now, conns)
	quiet, recheck := t.downloads.update(now, conns)
	for _, s := range quiet {
		if _, muted := t.muted[s.Peer]; !muted {
			fresh = append(fresh, s)
		}
	}
	next := t.period()
	if recheck > 0 {
		// A download has just gone quiet: look again when it has been quiet for long enough.
		t.busy, next = true, min(next, recheck)
	}
	waiting := t.pending
	t.pending = false
	if len(fresh) == 0 {
		return false, next
	}
	if now.Sub(t.last) > t.rest {
		t.gap = t.minGap
	}
	if wait := t.last.Add(t.gap).Sub(now); wait > 0 {
		if !waiting {
			t.log("%d TCP connection(s) stalled: probing in %v, at the end of the gap", len(fresh), wait.Round(time.Millisecond))
		}
		t.pending = true
		return false, min(next, wait)
	}
	t.last = now
	t.peers = t.peers[:0]
	for _, s := range fresh {
		if s.Stalled {
			t.used[s.ID] = t.start(now, s)
		} else {
			t.downloads.reported(s.ID)
		}
		if !slices.Contains(t.peers, s.Peer) {
			t.peers = append(t.peers, s.Peer)
		}
	}
	t.log("%d TCP connection(s) stalled (%s): probing", len(fresh), peerList(t.peers))
	return true, next
}

// freshStalls picks the retransmission stalls worth a probe, and forgets the connections no
// longer stalled.
func (t *tcpTrigger) freshStalls(now time.Time, conns []tcpConn) []tcpConn {
	for p, until := range t.muted {
		if !now.Before(until) {
			delete(t.muted, p)
		}
	}
	var fresh []tcpConn
	still := make(map[uint64]bool, len(conns))
	for _, s := range conns {
		if !s.Stalled {
			continue
		}
		still[s.ID] = true
		if _, muted := t.muted[s.Peer]; muted {
			continue
		}
		if !s.Connecting && s.Silent > t.fresh {
			continue
		}
		// The same stall as before, give or take the clock's resolution; a connection that
		// recovered and stalled again has a later start.
		if was, ok := t.used[s.ID]; ok && t.start(now, s).Sub(was) < time.Second {
			continue
		}
		fresh = append(fresh, s)
	}
	for id := range t.used {
		if !still[id] {
			delete(t.used, id)
		}
	}
	return fresh
}

func peerList(peers []netip.Addr) string {
	const most = 3
	s := ""
	for i, p := range peers {
		if i == most {
			return s + fmt.Sprintf(" and %d more", len(peers)-most)
		}
		if i > 0 {
			s += ", "
		}
		s += p.String()
	}
	return s
}
