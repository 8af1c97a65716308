package diagnostics

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/apuri-project/apuri/profile"
)

// WatchEventKind names one line of `apuri watch --json` (DESIGN.md §4).
type WatchEventKind string

// The watch events. Lost, restored, degraded and diagnosis are the contract; started tells a
// reader the state the watch begins from, so that it never has to guess.
const (
	WatchStarted   WatchEventKind = "started"
	WatchLost      WatchEventKind = "lost"
	WatchRestored  WatchEventKind = "restored"
	WatchDegraded  WatchEventKind = "degraded"
	WatchDiagnosis WatchEventKind = "diagnosis"
)

// ConnState is the connection as the watcher last saw it.
type ConnState string

// The connection states. A connection that came back stays lost until it has held for the
// watcher's hold-down time, so a flapping link is one incident, not one per bounce.
const (
	ConnUnknown  ConnState = "unknown"
	ConnOnline   ConnState = "online"
	ConnDegraded ConnState = "degraded"
	ConnLost     ConnState = "lost"
)

// WatchEvent is one connectivity change, or one automatic diagnosis. Its JSON is a line of
// `apuri watch --json` and the payload of the agent's watch updates.
type WatchEvent struct {
	Time  time.Time      `json:"time"`
	Event WatchEventKind `json:"event"`
	// Cause is the first broken layer: for lost and degraded what the watcher's quick probe
	// found, for diagnosis the full diagnosis' verdict.
	Cause  Cause  `json:"cause"`
	Status Status `json:"status"`
	// Since is when the incident began (lost, restored) or the degradation (degraded).
	Since time.Time `json:"since,omitzero"`
	// DurationS is, for restored, how long the connection was lost (or degraded).
	DurationS float64 `json:"duration_s,omitempty"`
	// Bounces counts how often the connection came back and broke again within the incident.
	Bounces int `json:"bounces,omitempty"`
	// Ended is, for restored, what is over: "lost" or "degraded".
	Ended WatchEventKind `json:"ended,omitempty"`
	// Trigger is, for diagnosis, the event that started it ("lost" or "restored").
	Trigger WatchEventKind `json:"trigger,omitempty"`
	// Run is, for a diagnosis the agent ran, its run number (State.Run).
	Run uint64 `json:"run,omitempty"`
	// Message is the headline as a translation key; Summary is it and the verdict's sentence
	// in the reader's language (filled by Localize).
	Message Message `json:"message"`
	Summary string  `json:"summary,omitempty"`
	// Verdict is the evidence: the quick probe's verdict, or the full diagnosis' for diagnosis.
	Verdict *Verdict `json:"verdict,omitempty"`
}

// Localize fills Summary and the verdict's texts in the translator's language.
func (e *WatchEvent) Localize(tr Translator) {
	e.Summary = tr.T(e.Message.Key, e.Message.Args)
	if e.Verdict == nil {
		return
	}
	v := e.Verdict
	v.Summary = tr.T(v.Message.Key, v.Message.Args)
	v.Advice = make([]string, len(v.AdviceKeys))
	for i, k := range v.AdviceKeys {
		v.Advice[i] = tr.T(k, nil)
	}
	e.Summary += " " + v.Summary
}

// Clone copies the event deeply enough that the copy may be localized on its own.
func (e WatchEvent) Clone() WatchEvent {
	if e.Message.Args != nil {
		args := make(map[string]any, len(e.Message.Args))
		for k, v := range e.Message.Args {
			args[k] = v
		}
		e.Message.Args = args
	}
	if e.Verdict != nil {
		v := *e.Verdict
		v.AdviceKeys = append([]string(nil), v.AdviceKeys...)
		v.Advice = append([]string(nil), v.Advice...)
		v.Evidence = append([]string(nil), v.Evidence...)
		e.Verdict = &v
	}
	return e
}

// DiagnosisEvent is the watch event of a diagnosis run because the connection changed.
func DiagnosisEvent(r *Report, trigger WatchEventKind, now time.Time) WatchEvent {
	v := r.Verdict
	v.AdviceKeys = append([]string(nil), v.AdviceKeys...)
	v.Evidence = append([]string(nil), v.Evidence...)
	v.Advice = nil
	return WatchEvent{
		Time: now.UTC(), Event: WatchDiagnosis, Cause: v.Cause, Status: v.Status,
		Trigger: trigger, Message: Msg("watch.diagnosis"), Verdict: &v,
	}
}

// Quality is latency and packet loss to one target.
type Quality struct {
	LatencyMS   float64 `json:"latency_ms,omitempty"`
	LossPercent float64 `json:"loss_percent"`
}

// WatchSample is what one probe of the watcher measured: the points of the timeline's picture.
type WatchSample struct {
	Time   time.Time `json:"time"`
	State  ConnState `json:"state"`
	Status Status    `json:"status"`
	Cause  Cause     `json:"cause"`
	// Gateway, Internet and VPN are nil when that target was not probed (no route, no tunnel).
	Gateway  *Quality `json:"gateway,omitempty"`
	Internet *Quality `json:"internet,omitempty"`
	// VPN is the organisation's via_vpn hosts, measured while the tunnel is up.
	VPN *Quality `json:"vpn,omitempty"`
}

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
	// Debounce gathers the burst of notifications one change brings (a link going down takes
	// its addresses and routes with it) into one probe.
	Debounce time.Duration
	// Probe runs one quick probe; NewWatcher gives the real one.
	Probe func(ctx context.Context) WatchProbe
	// Changes calls notify whenever the OS reports a network change, until ctx ends. Nil, or
	// an error, leaves the periodic probe alone to notice changes.
	Changes func(ctx context.Context, notify func()) error
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
		Debounce:   defaultWatchDebounce,
		Probe:      newQuickProbe(p, SystemNetInfo()).run,
		Changes:    systemChanges,
		stalls:     newTCPTrigger(systemTCPSource(), interval),
	}
}

// Watch runs the real watcher for the profile until ctx ends.
func Watch(ctx context.Context, p *profile.Profile, emit func(WatchEvent), sample func(WatchSample)) error {
	w := NewWatcher(p)
	w.Emit, w.Sample = emit, sample
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
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	defer func() { cancel(); <-done }()
	go func() {
		defer close(done)
		if w.Changes == nil {
			return
		}
		if err := w.Changes(ctx, notify); err != nil && ctx.Err() == nil {
			w.logf("network change notifications unavailable, relying on the periodic probe: %v", err)
		}
	}()

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
		select {
		case <-ctx.Done():
			return nil
		case <-changes:
			if !settling {
				settling = true
				settle.Reset(w.Debounce)
			}
			continue
		case <-settle.C:
			settling = false
			w.logf("network changed: probing")
		case <-next.C:
		case <-sampleTCP.C:
			probe, wait := stalls.sample(time.Now())
			if !probe {
				if wait > 0 {
					sampleTCP.Reset(wait)
				}
				continue
			}
			triggered = true
		}
		o := w.Probe(ctx)
		if ctx.Err() != nil {
			return nil
		}
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

// watchPhase is where the watcher's state machine stands.
type watchPhase int

const (
	phaseUnknown    watchPhase = iota // before the first probe
	phaseHealthy                      // working (perhaps degraded)
	phaseSuspect                      // failing, but not yet for Grace
	phaseLost                         // an incident is open
	phaseRecovering                   // working again, not yet for HoldDown
)

// watchMachine decides, from probe outcomes alone, which events to emit and when to probe next.
// It reads no clock: every time comes from the outcomes, so tests drive it with made-up times.
type watchMachine struct {
	interval, grace, hold, minBackoff, maxBackoff time.Duration

	phase     watchPhase
	failSince time.Time // first failing probe of the current failure
	since     time.Time // start of the open incident
	cause     Cause     // the incident's first cause
	okSince   time.Time // recovering: the first probe that worked again
	backoff   time.Duration
	bounces   int

	degraded      bool
	degradedSince time.Time
	lastWarn      time.Time
}

func newWatchMachine(w *Watcher) *watchMachine {
	m := &watchMachine{
		interval: w.Interval, grace: w.Grace, hold: w.HoldDown,
		minBackoff: w.Backoff, maxBackoff: w.MaxBackoff,
	}
	if m.interval <= 0 {
		m.interval = DefaultWatchInterval
	}
	if m.minBackoff <= 0 {
		m.minBackoff = DefaultWatchBackoff
	}
	if m.maxBackoff < m.minBackoff {
		m.maxBackoff = max(m.minBackoff, min(m.interval, maxWatchBackoff))
	}
	return m
}

// observe takes one probe outcome and returns the events it causes and how long to wait before
// the next probe.
func (m *watchMachine) observe(o WatchProbe) ([]WatchEvent, time.Duration) {
	failing := o.Verdict.Status == StatusFail
	var events []WatchEvent
	if m.phase == phaseUnknown {
		events = append(events, m.event(o, WatchStarted, o.End, Msg("watch.started")))
		m.phase = phaseHealthy
	}
	switch m.phase {
	case phaseHealthy, phaseSuspect:
		if failing {
			if m.phase == phaseHealthy {
				m.phase, m.failSince = phaseSuspect, o.Start
			}
			evs, wait := m.confirm(o)
			return append(events, evs...), wait
		}
		m.phase = phaseHealthy
		return append(events, m.quality(o)...), m.interval
	case phaseLost:
		if failing {
			return events, m.nextBackoff()
		}
		m.phase, m.okSince = phaseRecovering, o.Start
		return m.recovering(o)
	case phaseRecovering:
		if failing {
			m.phase = phaseLost
			m.bounces++
			m.backoff = m.minBackoff
			return events, m.nextBackoff()
		}
		return m.recovering(o)
	}
	return events, m.interval
}

// confirm turns a failure that has lasted Grace into a lost event; a shorter one is re-probed
// when Grace is up. A probe that itself waited past Grace for an answer has seen enough.
func (m *watchMachine) confirm(o WatchProbe) ([]WatchEvent, time.Duration) {
	if failedFor := o.End.Sub(m.failSince); failedFor < m.grace {
		return nil, m.grace - failedFor
	}
	m.phase, m.since, m.cause, m.bounces = phaseLost, m.failSince, o.Verdict.Cause, 0
	m.backoff = m.minBackoff
	m.degraded = false // the loss supersedes the degradation
	ev := m.event(o, WatchLost, o.End, Msg("watch.lost"))
	ev.Since = m.since.UTC()
	return []WatchEvent{ev}, m.nextBackoff()
}

// recovering ends the incident once the connection has worked for HoldDown.
func (m *watchMachine) recovering(o WatchProbe) ([]WatchEvent, time.Duration) {
	if held := o.End.Sub(m.okSince); held < m.hold {
		return nil, m.hold - held
	}
	lost := m.okSince.Sub(m.since)
	ev := m.event(o, WatchRestored, o.End, Msg("watch.restored", "duration", FormatWatchDuration(lost)))
	ev.Cause = m.cause
	ev.Since, ev.DurationS, ev.Bounces, ev.Ended = m.since.UTC(), seconds(lost), m.bounces, WatchLost
	m.phase = phaseHealthy
	return append([]WatchEvent{ev}, m.quality(o)...), m.interval
}

// quality follows degradation while the connection works: one degraded event when it begins,
// one restored event once no probe has been degraded for HoldDown.
func (m *watchMachine) quality(o WatchProbe) []WatchEvent {
	if o.Verdict.Status == StatusWarn {
		m.lastWarn = o.End
		if m.degraded {
			return nil
		}
		m.degraded, m.degradedSince = true, o.Start
		ev := m.event(o, WatchDegraded, o.End, Msg("watch.degraded"))
		ev.Since = o.Start.UTC()
		return []WatchEvent{ev}
	}
	if !m.degraded || o.End.Sub(m.lastWarn) < m.hold {
		return nil
	}
	m.degraded = false
	d := o.Start.Sub(m.degradedSince)
	ev := m.event(o, WatchRestored, o.End, Msg("watch.recovered", "duration", FormatWatchDuration(d)))
	ev.Cause = CauseDegraded
	ev.Since, ev.DurationS, ev.Ended = m.degradedSince.UTC(), seconds(d), WatchDegraded
	return []WatchEvent{ev}
}

func (m *watchMachine) nextBackoff() time.Duration {
	wait := m.backoff
	m.backoff = min(2*m.backoff, m.maxBackoff)
	return wait
}

func (m *watchMachine) event(o WatchProbe, kind WatchEventKind, at time.Time, msg Message) WatchEvent {
	v := o.Verdict
	v.AdviceKeys = append([]string(nil), v.AdviceKeys...)
	v.Evidence = append([]string(nil), v.Evidence...)
	return WatchEvent{
		Time: at.UTC(), Event: kind, Cause: v.Cause, Status: v.Status, Message: msg, Verdict: &v,
	}
}

// state is the connection state to report; a failure still within its grace is not news yet.
func (m *watchMachine) state() ConnState {
	switch m.phase {
	case phaseLost, phaseRecovering:
		return ConnLost
	case phaseUnknown:
		return ConnUnknown
	}
	if m.degraded {
		return ConnDegraded
	}
	return ConnOnline
}

// sample is the timeline point of one probe.
func (m *watchMachine) sample(o WatchProbe) WatchSample {
	s := WatchSample{
		Time: o.Start.UTC(), State: m.state(), Status: o.Verdict.Status, Cause: o.Verdict.Cause,
		VPN: o.VPN,
	}
	if m.phase == phaseSuspect {
		s.State = ConnOnline
		if m.degraded {
			s.State = ConnDegraded
		}
	}
	for _, r := range o.Results {
		switch r.ID {
		case IDGateway:
			s.Gateway = qualityOf(r)
		case IDInternet:
			s.Internet = qualityOf(r)
		}
	}
	return s
}

// qualityOf reads latency and loss from a gateway or internet result; a failure is total loss.
func qualityOf(r Result) *Quality {
	if r.Status == StatusSkip {
		return nil
	}
	q := &Quality{}
	if v, ok := number(r.Details["latency_ms"]); ok {
		q.LatencyMS = v
	}
	if v, ok := number(r.Details["loss_percent"]); ok {
		q.LossPercent = v
	}
	if r.Status == StatusFail {
		q.LossPercent, q.LatencyMS = 100, 0
	}
	return q
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*10) / 10 }

// FormatWatchDuration writes how long something lasted the way all three languages read it:
// "45 s", "3 min", "2 h 5 min".
func FormatWatchDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", max(int(d.Round(time.Second)/time.Second), 1))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	}
	d = d.Round(time.Minute)
	h, mins := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if mins == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, mins)
}
