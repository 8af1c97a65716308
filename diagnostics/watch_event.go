package diagnostics

import (
	"time"

	"github.com/apuri-project/apuri/i18n"
)

// What the watcher reports: the events of `apuri watch --json` and the agent's watch updates,
// the connection states, the samples the timeline draws, and how long an incident lasted in
// words.

// WatchEventKind names one line of `apuri watch --json` (docs/report.md).
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
	Message i18n.Message `json:"message"`
	Summary string       `json:"summary,omitempty"`
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
		v.Advice[i] = tr.T(k, v.Message.Args)
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
		Trigger: trigger, Message: i18n.Msg("watch.diagnosis"), Verdict: &v,
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

// FormatWatchDuration writes how long something lasted, in whole seconds at least, the way all
// three languages read it: "45 s", "3 min", "2 h 5 min" (each unit joined to its number).
func FormatWatchDuration(d time.Duration) string {
	return i18n.FormatDuration(i18n.Fallback, max(d.Round(time.Second), time.Second))
}
