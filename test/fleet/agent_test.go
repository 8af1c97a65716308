//go:build linux

package fleet_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
)

// agent is one simulated computer running Apuri, as the organisation's side sees it: it counts
// connectivity events, samples the path's quality and sends what it has when told to. The
// simulation drives agents only through this interface, so that the desktop's own exporter can
// replace the raw SDK below by writing another newAgent.
type agent interface {
	// event counts one connectivity event (lost, restored, degraded, diagnosis) and its cause,
	// and logs it.
	event(ctx context.Context, kind, cause string)
	// sample records the path's quality: gateway and internet latency (ms), gateway loss (%),
	// Apuri's uptime (s).
	sample(ctx context.Context, gatewayMs, internetMs, lossPct, uptimeS float64)
	// flush sends everything recorded so far over OTLP/HTTP (/v1/metrics, /v1/logs) and
	// returns when the collector has answered.
	flush(ctx context.Context) error
	close(ctx context.Context) error
}

// agentConfig is one simulated computer's identity and where it sends.
type agentConfig struct {
	endpoint string // host:port of the collector's OTLP/HTTP receiver
	site     string
	hostID   string // 16 hex characters, as the contract's host.id
	version  string
	client   *http.Client // shared by every agent, as the connections of many computers would be
}

// newAgent makes a simulated computer. This one speaks the fleet contract with the OpenTelemetry
// Go SDK directly.
var newAgent = newSDKAgent

// sdkAgent holds a meter provider whose reader is collected and exported on flush, and a
// logger provider whose batch is flushed then, so that a test decides when a computer reports
// rather than a timer.
type sdkAgent struct {
	site     string
	logs     *sdklog.LoggerProvider
	logger   otellog.Logger
	reader   *sdkmetric.ManualReader
	exporter sdkmetric.Exporter
	provider *sdkmetric.MeterProvider
	events   metric.Int64Counter
	gateway  metric.Float64Gauge
	internet metric.Float64Gauge
	loss     metric.Float64Gauge
	uptime   metric.Float64Gauge
}

func newSDKAgent(ctx context.Context, cfg agentConfig) (agent, error) {
	exporter, err := otlpmetrichttp.New(ctx,
		otlpmetrichttp.WithEndpoint(cfg.endpoint),
		otlpmetrichttp.WithInsecure(),
		otlpmetrichttp.WithHTTPClient(cfg.client),
		otlpmetrichttp.WithRetry(otlpmetrichttp.RetryConfig{Enabled: false}),
		otlpmetrichttp.WithTimeout(30*time.Second),
	)
	if err != nil {
		return nil, fmt.Errorf("otlp exporter: %w", err)
	}
	res := resource.NewSchemaless(
		attribute.String("service.name", "apuri"),
		attribute.String("service.version", cfg.version),
		attribute.String("os.type", "linux"),
		attribute.String("host.id", cfg.hostID),
		attribute.String("apuri.site", cfg.site),
	)
	logExporter, err := otlploghttp.New(ctx,
		otlploghttp.WithEndpoint(cfg.endpoint),
		otlploghttp.WithInsecure(),
		otlploghttp.WithHTTPClient(cfg.client),
		otlploghttp.WithRetry(otlploghttp.RetryConfig{Enabled: false}),
		otlploghttp.WithTimeout(30*time.Second),
	)
	if err != nil {
		return nil, fmt.Errorf("otlp log exporter: %w", err)
	}
	a := &sdkAgent{site: cfg.site, reader: sdkmetric.NewManualReader(), exporter: exporter}
	// The batch goes out on flush; the interval only bounds how long a forgotten record waits.
	// A computer has a few events between two reports: a small queue, since the processor
	// allocates a whole queue's worth on every flush.
	a.logs = sdklog.NewLoggerProvider(sdklog.WithResource(res),
		sdklog.WithProcessor(sdklog.NewBatchProcessor(logExporter, sdklog.WithExportInterval(time.Hour),
			sdklog.WithMaxQueueSize(64), sdklog.WithExportMaxBatchSize(64))))
	a.logger = a.logs.Logger("github.com/apuri-project/apuri/fleet")
	a.provider = sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(a.reader))
	meter := a.provider.Meter("github.com/apuri-project/apuri/fleet")
	if a.events, err = meter.Int64Counter("apuri.connectivity.events"); err != nil {
		return nil, err
	}
	if a.gateway, err = meter.Float64Gauge("apuri.gateway.latency", metric.WithUnit("ms")); err != nil {
		return nil, err
	}
	if a.internet, err = meter.Float64Gauge("apuri.internet.latency", metric.WithUnit("ms")); err != nil {
		return nil, err
	}
	if a.loss, err = meter.Float64Gauge("apuri.gateway.loss", metric.WithUnit("%")); err != nil {
		return nil, err
	}
	if a.uptime, err = meter.Float64Gauge("apuri.uptime", metric.WithUnit("s")); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *sdkAgent) event(ctx context.Context, kind, cause string) {
	a.events.Add(ctx, 1, metric.WithAttributes(
		attribute.String("apuri.event", kind),
		attribute.String("apuri.cause", cause),
		attribute.String("apuri.site", a.site),
	))
	var rec otellog.Record
	rec.SetTimestamp(time.Now())
	rec.SetBody(attribute.StringValue(kind))
	status, failing := "ok", []string{}
	if kind == "lost" {
		status, failing = "broken", []string{"vpn", "internet"}
	}
	rec.AddAttributes(
		attribute.String("apuri.event", kind),
		attribute.String("apuri.cause", cause),
		attribute.String("apuri.status", status),
		attribute.String("apuri.site", a.site),
		attribute.String("apuri.vpn_client", "openvpn"),
		attribute.StringSlice("apuri.failing_checks", failing),
	)
	a.logger.Emit(ctx, rec)
}

func (a *sdkAgent) sample(ctx context.Context, gatewayMs, internetMs, lossPct, uptimeS float64) {
	a.gateway.Record(ctx, gatewayMs)
	a.internet.Record(ctx, internetMs)
	a.loss.Record(ctx, lossPct)
	a.uptime.Record(ctx, uptimeS)
}

func (a *sdkAgent) flush(ctx context.Context) error {
	var rm metricdata.ResourceMetrics
	if err := a.reader.Collect(ctx, &rm); err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	if err := a.exporter.Export(ctx, &rm); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := a.logs.ForceFlush(ctx); err != nil {
		return fmt.Errorf("export logs: %w", err)
	}
	return nil
}

func (a *sdkAgent) close(ctx context.Context) error {
	if err := a.provider.Shutdown(ctx); err != nil {
		return err
	}
	if err := a.logs.Shutdown(ctx); err != nil {
		return err
	}
	return a.exporter.Shutdown(ctx)
}

// hostID is the simulated computer i's host.id: 16 hex characters, as a real one.
func hostID(i int) string {
	return fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15)
}
