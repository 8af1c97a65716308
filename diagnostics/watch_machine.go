package diagnostics

import (
	"math"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// The watcher's state machine: from probe outcomes alone it decides when a failure counts as
// lost, when the connection is restored or degraded, and how long to wait before the next
// probe (grace, back-off, hold-down).

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
	// wakeGrace replaces grace for a failure that begins soon after the computer woke
	// (watch_wake.go); wokeAt is when it last woke.
	wakeGrace time.Duration
	wokeAt    time.Time

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
		minBackoff: w.Backoff, maxBackoff: w.MaxBackoff, wakeGrace: w.WakeGrace,
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
		events = append(events, m.event(o, WatchStarted, o.End, i18n.Msg("watch.started")))
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
	if until, waking := m.rejoining(); waking && o.End.Before(until) {
		return nil, until.Sub(o.End)
	}
	m.phase, m.since, m.cause, m.bounces = phaseLost, m.failSince, o.Verdict.Cause, 0
	m.backoff = m.minBackoff
	m.degraded = false // the loss supersedes the degradation
	ev := m.event(o, WatchLost, o.End, i18n.Msg(watchKeyFor("watch.lost", o.Verdict.Cause)))
	ev.Since = m.since.UTC()
	return []WatchEvent{ev}, m.nextBackoff()
}

// woke notes that the computer woke from sleep at t.
func (m *watchMachine) woke(t time.Time) { m.wokeAt = t }

// rejoining reports whether the current failure began while the computer was still joining
// its network after waking, and until when that lasts. The OS may say it woke a moment after
// the first probe of the morning failed: a failure up to wakeSlack older counts too.
func (m *watchMachine) rejoining() (time.Time, bool) {
	if m.wokeAt.IsZero() || m.wakeGrace <= 0 || m.failSince.Before(m.wokeAt.Add(-wakeSlack)) {
		return time.Time{}, false
	}
	until := m.wokeAt.Add(m.wakeGrace)
	return until, m.failSince.Before(until)
}

// recovering ends the incident once the connection has worked for HoldDown.
func (m *watchMachine) recovering(o WatchProbe) ([]WatchEvent, time.Duration) {
	if held := o.End.Sub(m.okSince); held < m.hold {
		return nil, m.hold - held
	}
	lost := m.okSince.Sub(m.since)
	ev := m.event(o, WatchRestored, o.End, i18n.Msg(watchKeyFor("watch.restored", m.cause), "duration", FormatWatchDuration(lost)))
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
		ev := m.event(o, WatchDegraded, o.End, i18n.Msg("watch.degraded"))
		ev.Since = o.Start.UTC()
		return []WatchEvent{ev}
	}
	if !m.degraded || o.End.Sub(m.lastWarn) < m.hold {
		return nil
	}
	m.degraded = false
	d := o.Start.Sub(m.degradedSince)
	ev := m.event(o, WatchRestored, o.End, i18n.Msg("watch.recovered", "duration", FormatWatchDuration(d)))
	ev.Cause = CauseDegraded
	ev.Since, ev.DurationS, ev.Ended = m.degradedSince.UTC(), seconds(d), WatchDegraded
	return []WatchEvent{ev}
}

func (m *watchMachine) nextBackoff() time.Duration {
	wait := m.backoff
	m.backoff = min(2*m.backoff, m.maxBackoff)
	return wait
}

func (m *watchMachine) event(o WatchProbe, kind WatchEventKind, at time.Time, msg i18n.Message) WatchEvent {
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
	if v, ok := number(r.Details[DetailLatencyMS]); ok {
		q.LatencyMS = v
	}
	if v, ok := number(r.Details[DetailLossPercent]); ok {
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
