package fleet

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"

	"github.com/apuri-project/apuri/diagnostics"
)

// Turning the watcher's events and samples into the contract's metrics and records.

// Event counts a connectivity change or an automatic diagnosis and sends its record. The
// watcher's "started" is no change and is not sent.
func (e *Exporter) Event(ev diagnostics.WatchEvent) {
	if e == nil {
		return
	}
	switch ev.Event {
	case diagnostics.WatchLost, diagnostics.WatchRestored, diagnostics.WatchDegraded, diagnostics.WatchDiagnosis:
	default:
		return
	}
	p, site := e.current()
	if p == nil {
		return
	}
	ctx := context.Background()
	p.events.Add(ctx, 1, metric.WithAttributes(
		attribute.String("apuri.event", string(ev.Event)),
		attribute.String("apuri.cause", string(ev.Cause)),
		attribute.String("apuri.site", site)))
	p.logger.Emit(ctx, e.logRecord(ev, site))
	if ev.Event == diagnostics.WatchRestored {
		// What waited while the connection was down goes now, not at the next interval.
		go func() { _ = e.Flush(context.Background()) }()
	}
}

// logRecord is an event's record: its body the event kind, its attributes the contract's.
func (e *Exporter) logRecord(ev diagnostics.WatchEvent, site string) otellog.Record {
	var r otellog.Record
	r.SetTimestamp(ev.Time)
	r.SetObservedTimestamp(e.cfg.Now())
	r.SetEventName("apuri." + string(ev.Event))
	r.SetBody(attribute.StringValue(string(ev.Event)))
	sev, text := otellog.SeverityInfo, "INFO"
	if ev.Event == diagnostics.WatchLost || ev.Event == diagnostics.WatchDegraded ||
		(ev.Event == diagnostics.WatchDiagnosis && ev.Status == diagnostics.StatusFail) {
		sev, text = otellog.SeverityWarn, "WARN"
	}
	r.SetSeverity(sev)
	r.SetSeverityText(text)
	failing := []string{}
	if ev.Verdict != nil {
		failing = append(failing, ev.Verdict.Evidence...)
	}
	attrs := []attribute.KeyValue{
		attribute.String("apuri.event", string(ev.Event)),
		attribute.String("apuri.cause", string(ev.Cause)),
		attribute.String("apuri.status", string(ev.Status)),
		attribute.String("apuri.site", site),
		attribute.String("apuri.vpn_client", e.vpnClient()),
		attribute.StringSlice("apuri.failing_checks", failing),
	}
	if ev.Event == diagnostics.WatchRestored {
		attrs = append(attrs, attribute.Int64("apuri.lost_s", int64(ev.DurationS+0.5)))
	}
	r.AddAttributes(attrs...)
	return r
}

// Sample keeps the latest latency and loss the watcher measured; the metrics carry them at
// the next interval.
func (e *Exporter) Sample(s diagnostics.WatchSample) {
	if e == nil {
		return
	}
	e.mu.Lock()
	p := e.pipe
	e.mu.Unlock()
	if p == nil {
		return
	}
	ctx := context.Background()
	if g := s.Gateway; g != nil {
		if g.LatencyMS > 0 {
			p.gatewayLatency.Record(ctx, g.LatencyMS)
		}
		p.gatewayLoss.Record(ctx, g.LossPercent)
	}
	if i := s.Internet; i != nil && i.LatencyMS > 0 {
		p.internetLatency.Record(ctx, i.LatencyMS)
	}
}
