package diagnostics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/apuri-project/apuri/profile"
)

// WatchProbe is the outcome of one quick probe.
type WatchProbe struct {
	Start, End time.Time
	Results    []Result
	// Verdict is Decide over the quick probe's results.
	Verdict Verdict
	// VPN is the via_vpn hosts' quality, nil when the tunnel was down or none are configured.
	VPN *Quality
}

// Watcher notices when the connection breaks and comes back, cheaply enough to run all day.
//
// It probes when the operating system says the network changed (links, addresses, routes), when
// the user's own TCP connections stall (an upstream loss no local event shows; see
// watch_trigger.go), and otherwise every Interval. A failure must last Grace before it counts
// (a blip is hidden); then it is re-probed with back-off (Backoff, doubling, capped at
// MaxBackoff) until it works again, and it counts as restored only once it has worked for
// HoldDown, so a flapping link makes one incident, not one per bounce. Between probes it sleeps
// on one timer, and while the connection works on the stall trigger's sampling timer too.
type Watcher struct {
	Interval   time.Duration
	Grace      time.Duration
	HoldDown   time.Duration
	Backoff    time.Duration
	MaxBackoff time.Duration
	// WakeGrace replaces Grace for a failure that begins as the computer wakes from sleep
	// (watch_wake.go).
	WakeGrace time.Duration
	// Debounce gathers the burst of notifications one change brings (a link going down takes
	// its addresses and routes with it) into one probe.
	Debounce time.Duration
	// Probe runs one quick probe; NewWatcher gives the real one.
	Probe func(ctx context.Context) WatchProbe
	// Changes calls notify whenever the OS reports a network change, until ctx ends. Nil, or
	// an error, leaves the periodic probe alone to notice changes.
	Changes func(ctx context.Context, notify func()) error
	// Wakes calls woke whenever the computer wakes from sleep, until ctx ends. Nil, or an
	// error, leaves every failure to Grace.
	Wakes func(ctx context.Context, woke func()) error
	// Emit receives the events, Sample every probe's measurements; both may be nil.
	Emit   func(WatchEvent)
	Sample func(WatchSample)
	// Logf receives what the watcher does; nil discards it.
	Logf func(format string, args ...any)

	// stalls samples the computer's TCP connections while the connection works, so that the
	// user's traffic tells of an upstream loss at once; nil leaves it to the periodic probe.
	stalls *tcpTrigger
}

// The watcher's defaults. Grace is short enough that an unplugged cable is reported within a
// second, HoldDown long enough to span the bounces of a flapping link or a Wi-Fi roam.
const (
	DefaultWatchInterval = 30 * time.Second
	DefaultWatchGrace    = 500 * time.Millisecond
	DefaultWatchHoldDown = 5 * time.Second
	DefaultWatchBackoff  = time.Second
	maxWatchBackoff      = 30 * time.Second
	defaultWatchDebounce = 50 * time.Millisecond
)

// NewWatcher returns a watcher with the real probe and the OS's change notifications.
func NewWatcher(p *profile.Profile) *Watcher {
	interval := p.Monitor.Interval.Duration
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	return &Watcher{
		Interval:   interval,
		Grace:      DefaultWatchGrace,
		HoldDown:   DefaultWatchHoldDown,
		Backoff:    DefaultWatchBackoff,
		MaxBackoff: min(interval, maxWatchBackoff),
		WakeGrace:  DefaultWakeGrace,
		Debounce:   defaultWatchDebounce,
		Probe:      newQuickProbe(p, SystemNetInfo()).run,
		Changes:    systemChanges,
		Wakes:      systemWakes,
		stalls:     newTCPTrigger(systemTCPSource(), interval),
	}
}

// Watch runs the real watcher for the profile until ctx ends.
func Watch(ctx context.Context, p *profile.Profile, emit func(WatchEvent), sample func(WatchSample)) error {
	return WatchLogged(ctx, p, emit, sample, nil)
}

// WatchLogged is Watch that also tells logf what the watcher does: why each probe ran and what
// it found, and what the stall trigger decided. It explains a loss noticed late.
func WatchLogged(ctx context.Context, p *profile.Profile, emit func(WatchEvent), sample func(WatchSample),
	logf func(format string, args ...any)) error {
	w := NewWatcher(p)
	w.Emit, w.Sample, w.Logf = emit, sample, logf
	return w.Run(ctx)
}

func (w *Watcher) logf(format string, args ...any) {
	if w.Logf != nil {
		w.Logf(format, args...)
	}
}

// Run watches until ctx ends; it returns nil then. It probes at once, to learn where it starts.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Probe == nil {
		return fmt.Errorf("watcher without a probe")
	}
	changes := make(chan struct{}, 1)
	notify := func() {
		select {
		case changes <- struct{}{}:
		default: // one pending change stands for any number
		}
	}
	woke := make(chan time.Time, 1)
	wake := func() {
		select {
		case woke <- time.Now():
		default:
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	var listeners sync.WaitGroup
	defer func() { cancel(); listeners.Wait() }()
	listeners.Go(func() {
		if w.Changes == nil {
			return
		}
		if err := w.Changes(ctx, notify); err != nil && ctx.Err() == nil {
			w.logf("network change notifications unavailable, relying on the periodic probe: %v", err)
		}
	})
	listeners.Go(func() {
		if w.Wakes == nil {
			return
		}
		if err := w.Wakes(ctx, wake); err != nil && ctx.Err() == nil {
			w.logf("no word of waking from sleep, so a network rejoining after sleep may count as lost: %v", err)
		}
	})

	m := newWatchMachine(w)
	stalls := w.stalls
	if stalls != nil {
		stalls.logf, stalls.on = w.Logf, false // it resumes once a probe finds the connection working
	}
	next := time.NewTimer(0)
	defer next.Stop()
	// Stopped until a change arms them; since Go 1.23 a stopped timer delivers nothing stale.
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	settling := false
	// sampleTCP runs only while the connection is confirmed working.
	sampleTCP := time.NewTimer(time.Hour)
	sampleTCP.Stop()
	defer sampleTCP.Stop()
	for {
		triggered := false
		why := "scheduled"
		select {
		case <-ctx.Done():
			return nil
		case <-changes:
			if !settling {
				settling = true
				settle.Reset(w.Debounce)
			}
			continue
		case t := <-woke:
			// The network changes as the computer rejoins it; probe as for a change.
			m.woke(t)
			w.logf("the computer woke: a failure in the next %v counts only if it lasts", m.wakeGrace)
			if !settling {
				settling = true
				settle.Reset(w.Debounce)
			}
			continue
		case <-settle.C:
			settling = false
			w.logf("network changed: probing")
			why = "network change"
		case <-next.C:
		case <-sampleTCP.C:
			probe, wait := stalls.sample(time.Now())
			if !probe {
				if wait > 0 {
					sampleTCP.Reset(wait)
				}
				continue
			}
			triggered, why = true, "stall trigger"
		}
		o := w.Probe(ctx)
		if ctx.Err() != nil {
			return nil
		}
		w.logf("%s probe: %s (%s) in %v", why, o.Verdict.Status, o.Verdict.Cause, o.End.Sub(o.Start).Round(time.Millisecond))
		events, wait := m.observe(o)
		if w.Sample != nil {
			w.Sample(m.sample(o))
		}
		if w.Emit != nil {
			for _, ev := range events {
				w.Emit(ev)
			}
		}
		next.Reset(wait)
		if stalls != nil {
			if wait, on := stalls.probed(o.End, triggered, o.Verdict.Status == StatusFail, m.phase == phaseHealthy); on {
				sampleTCP.Reset(wait)
			} else {
				sampleTCP.Stop()
			}
		}
	}
}
