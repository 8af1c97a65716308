package diagnostics

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeTCP is a tcpSource whose counters and stalled connections a test sets.
type fakeTCP struct {
	mu        sync.Mutex
	c         tcpCounters
	conns     []tcpConn
	err       error
	listReads int
	reads     int
}

func (f *fakeTCP) source() *tcpSource {
	return &tcpSource{
		Counters: func() (tcpCounters, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.reads++
			return f.c, f.err
		},
		Conns: func() ([]tcpConn, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.listReads++
			return slices.Clone(f.conns), f.err
		},
	}
}

var (
	peerA = netip.MustParseAddr("198.51.100.81")
	peerB = netip.MustParseAddr("2001:db8::5")
)

// stalled is established connection id to peer, last acknowledged silent ago.
func stalled(id uint64, peer netip.Addr, silent time.Duration) tcpConn {
	return tcpConn{ID: id, Peer: peer, Stalled: true, Silent: silent}
}

// trigStep is one thing that happens to the trigger: the counters grow by out (segments sent),
// re (retransmission timeouts), open (connections begun) and in (bytes received), the
// connections listed become conns, and then either a sample is taken or, with probe set, a
// probe is reported. fire and wait are what must come of it (for a probe: on and wait).
type trigStep struct {
	at                time.Duration
	out, re, open, in uint64
	conns             []tcpConn
	probe             *probeReport
	fire              bool
	wait              time.Duration
}

// playTrigger feeds steps to a new trigger over f and checks what each step brings.
func playTrigger(t *testing.T, f *fakeTCP, steps []trigStep) {
	t.Helper()
	tr := newTCPTrigger(f.source(), 30*time.Second)
	for i, st := range steps {
		f.c.Sent += st.out
		f.c.Timeouts += st.re
		f.c.Opened += st.open
		f.c.Received += st.in
		f.conns = st.conns
		now := t0.Add(st.at)
		if st.probe != nil {
			wait, on := tr.probed(now, st.probe.triggered, st.probe.failing, st.probe.healthy)
			if on != (st.wait > 0) || wait != st.wait {
				t.Fatalf("step %d (probe): sampling %v in %v, want in %v", i, on, wait, st.wait)
			}
			continue
		}
		fire, wait := tr.sample(now)
		if fire != st.fire || wait != st.wait {
			t.Fatalf("step %d: fire %v, next sample in %v; want %v, %v", i, fire, wait, st.fire, st.wait)
		}
	}
}

// probeReport is a probe the watcher ran: the trigger's or not, failing or not, and whether the
// watcher then counts the connection as working.
type probeReport struct{ triggered, failing, healthy bool }

var (
	healthyProbe   = &probeReport{healthy: true}
	harmlessProbe  = &probeReport{triggered: true, healthy: true}
	confirmedProbe = &probeReport{triggered: true, failing: true}
)

func TestTCPTrigger(t *testing.T) {
	const s = time.Second
	ms := time.Millisecond
	tests := []struct {
		name  string
		steps []trigStep
		// listReads is how often the connections may be listed, -1 for any number.
		listReads int
	}{
		{"a black hole under traffic: the stalled connection probes at once", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, out: 40, fire: false, wait: 1 * s},
			{at: 2 * s, out: 3, re: 2, conns: []tcpConn{stalled(1, peerA, 600*ms)}, fire: true, wait: 1 * s},
		}, 2},
		{"new connections alone keep the sampling fast until their SYNs are sent again", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, out: 6, open: 3, wait: 1 * s},
			// The path broke just after the last answer: only SYNs since, none yet sent again.
			{at: 2 * s, open: 3, wait: 1 * s},
			{at: 3 * s, open: 3, re: 3, conns: []tcpConn{{ID: 7, Peer: peerA, Stalled: true, Connecting: true}},
				fire: true, wait: 1 * s},
		}, 2},
		{"the probe's own connection is not the user's", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, wait: 10 * s},
			{at: 5 * s, open: 1, out: 1, probe: healthyProbe, wait: 10 * s},
			{at: 15 * s, wait: 10 * s},
		}, 1},
		{"healthy traffic never lists the connections", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 5 * s, out: 100, wait: 1 * s},
			{at: 6 * s, out: 100, wait: 1 * s},
			{at: 7 * s, wait: 10 * s},
			{at: 17 * s, wait: 10 * s},
		}, 1},
		{"a lossy network that works: timeouts repaired, nothing stalled", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, out: 50, re: 3, wait: 1 * s},
			{at: 2 * s, out: 50, re: 5, wait: 1 * s},
			{at: 3 * s, out: 50, re: 2, wait: 1 * s},
		}, 4},
		{"a connection idle for minutes that stalls is no news; a SYN never answered is", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, out: 2, re: 1, conns: []tcpConn{stalled(1, peerA, 10*time.Minute)}, wait: 1 * s},
			{at: 2 * s, out: 1, re: 1, conns: []tcpConn{stalled(1, peerA, 10*time.Minute),
				{ID: 2, Peer: peerB, Stalled: true, Connecting: true}}, fire: true, wait: 1 * s},
		}, -1},
		{"each stall probes once, however long it lasts", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 500*ms)}, fire: true, wait: 1 * s},
			{at: 2 * s, probe: harmlessProbe, wait: 1 * s},
			{at: 30 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 29500*ms)}, wait: 1 * s},
		}, -1},
		{"within the gap a trigger waits for its end and fires then if the stall lasts", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 400*ms)}, fire: true, wait: 1 * s},
			{at: 2 * s, probe: harmlessProbe, wait: 1 * s},
			// The gap doubled to 20 s after a harmless probe: the next may come at 21 s.
			{at: 3 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 2400*ms), stalled(2, peerB, 300*ms)},
				wait: 1 * s},
			{at: 20500 * ms, conns: []tcpConn{stalled(1, peerA, 20*s), stalled(2, peerB, 17800*ms)}, wait: 500 * ms},
			{at: 21 * s, conns: []tcpConn{stalled(1, peerA, 20500*ms), stalled(2, peerB, 18300*ms)}, fire: true, wait: 10 * s},
		}, -1},
		{"a waiting trigger whose connection recovered does not fire", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 400*ms)}, fire: true, wait: 1 * s},
			{at: 2 * s, probe: harmlessProbe, wait: 1 * s},
			{at: 3 * s, re: 1, conns: []tcpConn{stalled(2, peerB, 300*ms)}, wait: 1 * s},
			{at: 21 * s, wait: 10 * s},
			{at: 31 * s, wait: 10 * s},
		}, -1},
		{"a peer whose stall was harmless is left alone for a while", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 400*ms)}, fire: true, wait: 1 * s},
			{at: 2 * s, probe: harmlessProbe, wait: 1 * s},
			{at: 60 * s, re: 1, conns: []tcpConn{stalled(2, peerA, 300*ms)}, wait: 1 * s},
			{at: 11 * time.Minute, re: 1, conns: []tcpConn{stalled(3, peerA, 300*ms)}, fire: true, wait: 1 * s},
		}, -1},
		{"the gap doubles up to the interval while probes find nothing, and resets after a loss", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 400*ms)}, fire: true, wait: 1 * s},
			{at: 2 * s, probe: harmlessProbe, wait: 1 * s}, // gap 20 s
			{at: 21 * s, re: 1, conns: []tcpConn{stalled(2, peerB, 400*ms)}, fire: true, wait: 1 * s},
			{at: 22 * s, probe: harmlessProbe, wait: 1 * s}, // gap 30 s, the interval
			{at: 50 * s, re: 1, conns: []tcpConn{stalled(3, netip.MustParseAddr("203.0.113.7"), 400*ms)}, wait: 1 * s},
			{at: 51 * s, re: 1, conns: []tcpConn{stalled(3, netip.MustParseAddr("203.0.113.7"), 1400*ms)}, fire: true, wait: 1 * s},
			{at: 53 * s, probe: confirmedProbe, wait: 0},
			{at: 60 * s, probe: healthyProbe, wait: 1 * s},
			{at: 61 * s, re: 1, conns: []tcpConn{stalled(4, netip.MustParseAddr("203.0.113.8"), 400*ms)}, fire: true, wait: 1 * s},
			{at: 62 * s, probe: harmlessProbe, wait: 1 * s}, // gap 20 s, from 10 s again
			{at: 80 * s, re: 1, conns: []tcpConn{stalled(5, netip.MustParseAddr("203.0.113.9"), 400*ms)}, wait: 1 * s},
			{at: 81 * s, re: 1, conns: []tcpConn{stalled(5, netip.MustParseAddr("203.0.113.9"), 1400*ms)}, fire: true, wait: 1 * s},
		}, -1},
		{"while the connection is lost nothing is sampled, and what stalled meanwhile is no news", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, probe: &probeReport{failing: true}, wait: 0},
			{at: 20 * s, re: 30, conns: []tcpConn{stalled(1, peerA, 15*s)}, probe: healthyProbe, wait: 1 * s},
			{at: 25 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 20*s)}, wait: 1 * s},
		}, -1},
		{"a connection that recovered and stalled again probes again", []trigStep{
			{at: 0, probe: healthyProbe, wait: 1 * s},
			{at: 1 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 400*ms)}, fire: true, wait: 1 * s},
			{at: 2 * s, probe: &probeReport{triggered: true, failing: true}, wait: 0}, // lost
			{at: 5 * s, probe: healthyProbe, wait: 1 * s},
			{at: 40 * s, re: 1, conns: []tcpConn{stalled(1, peerA, 400*ms)}, fire: true, wait: 1 * s},
		}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTCP{}
			playTrigger(t, f, tt.steps)
			if tt.listReads >= 0 && f.listReads != tt.listReads {
				t.Errorf("connections listed %d times, want %d", f.listReads, tt.listReads)
			}
		})
	}
}

func TestTCPTriggerDisablesOnError(t *testing.T) {
	f := &fakeTCP{err: errors.New("no /proc here")}
	var logged []string
	tr := newTCPTrigger(f.source(), 30*time.Second)
	tr.logf = func(format string, _ ...any) { logged = append(logged, format) }
	if _, on := tr.probed(t0, false, false, true); on {
		t.Fatal("a trigger whose source fails samples")
	}
	f.err = nil
	if _, on := tr.probed(t0.Add(time.Minute), false, false, true); on {
		t.Error("a disabled trigger came back")
	}
	if len(logged) != 1 {
		t.Errorf("logged %q, want one line", logged)
	}
	if newTCPTrigger(nil, time.Minute) != nil {
		t.Error("a trigger without a source")
	}
}

// TestWatcherProbesWhenConnectionsStall runs the watcher with every timer an hour away: only
// the stall trigger can make the second probe, which finds the loss.
func TestWatcherProbesWhenConnectionsStall(t *testing.T) {
	probe := &scriptedProbe{statuses: []Status{StatusOK, StatusFail}, called: make(chan int, 10)}
	f := &fakeTCP{}
	tr := newTCPTrigger(f.source(), time.Hour)
	tr.fast, tr.slow = time.Millisecond, time.Millisecond
	events := make(chan WatchEventKind, 10)
	w := &Watcher{
		Interval: time.Hour, Grace: 0, HoldDown: time.Hour, Backoff: time.Hour, MaxBackoff: time.Hour,
		Probe:  probe.run,
		Emit:   func(e WatchEvent) { events <- e.Event },
		stalls: tr,
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	if e := <-events; e != WatchStarted {
		t.Fatalf("first event %v", e)
	}
	f.mu.Lock()
	f.c.Timeouts++
	f.conns = []tcpConn{stalled(7, peerA, 300*time.Millisecond)}
	f.mu.Unlock()
	if e := <-events; e != WatchLost {
		t.Errorf("after the stall: %v, want lost", e)
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if n := <-probe.called; n != 1 || len(probe.called) != 1 {
		t.Errorf("probes %d then %d more, want the start's and the trigger's", n, len(probe.called))
	}
}
