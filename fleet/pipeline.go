package fleet

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strings"

	"github.com/shirou/gopsutil/v4/host"
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

// The OpenTelemetry SDK's providers for one site: apuri.site is a resource attribute, so a
// laptop that moves to another site gets new ones.

// scopeName is the instrumentation scope of everything Apuri sends.
const scopeName = "github.com/apuri-project/apuri/fleet"

// The metrics of the contract (docs/fleet.md).
const (
	MetricEvents          = "apuri.connectivity.events"
	MetricGatewayLatency  = "apuri.gateway.latency"
	MetricInternetLatency = "apuri.internet.latency"
	MetricGatewayLoss     = "apuri.gateway.loss"
	MetricUptime          = "apuri.uptime"
)

// sdkQueue and sdkBatch size the SDK's batch processor, which only carries records from the
// watcher to the buffer: the buffer, not this queue, keeps what waits for the collector (at most
// MaxBuffered records, the oldest dropped and counted). The processor allocates its whole queue
// and one batch up front, 584 bytes a record; sized as the buffer, they made an exporter hold
// 665 kB (91 kB now): nothing a desktop notices, but 10,000 simulated ones in one test process
// do, and all to carry a few records a minute. At 32 waiting records the processor hands them
// to the buffer at once, so the queue overflows only when more than 32 further events come
// within one send (at most exportTimeout); the watcher reports a change only once it has held,
// a few a minute at most.
const (
	sdkQueue = 64
	sdkBatch = 32
)

type pipeline struct {
	site   string
	meters *sdkmetric.MeterProvider
	logs   *sdklog.LoggerProvider
	logger otellog.Logger

	events          metric.Int64Counter
	gatewayLatency  metric.Float64Gauge
	internetLatency metric.Float64Gauge
	gatewayLoss     metric.Float64Gauge
}

// otlpPaths are where an endpoint's records and metrics go: under its own path, if it has one.
func otlpPath(u *url.URL, signal string) string {
	return strings.TrimRight(u.Path, "/") + "/v1/" + signal
}

func newLogExporter(u *url.URL, c *http.Client) (sdklog.Exporter, error) {
	opts := []otlploghttp.Option{
		otlploghttp.WithEndpoint(u.Host), otlploghttp.WithURLPath(otlpPath(u, "logs")),
		otlploghttp.WithHTTPClient(c), otlploghttp.WithRetry(otlploghttp.RetryConfig{Enabled: false}),
	}
	if u.Scheme == "http" {
		opts = append(opts, otlploghttp.WithInsecure())
	}
	return otlploghttp.New(context.Background(), opts...)
}

// Resource is what describes every record and metric: Apuri, its version, the OS, the
// salted host.id and the site. Never a host name, a user name or an address.
func Resource(version, hostID, site string) *resource.Resource {
	return resource.NewSchemaless(
		attribute.String("service.name", "apuri"),
		attribute.String("service.version", version),
		attribute.String("os.type", runtime.GOOS),
		attribute.String("host.id", hostID),
		attribute.String("apuri.site", site),
	)
}

func (e *Exporter) newPipeline(u *url.URL, site string) (*pipeline, error) {
	mopts := []otlpmetrichttp.Option{
		otlpmetrichttp.WithEndpoint(u.Host), otlpmetrichttp.WithURLPath(otlpPath(u, "metrics")),
		otlpmetrichttp.WithHTTPClient(e.client), otlpmetrichttp.WithRetry(otlpmetrichttp.RetryConfig{Enabled: false}),
	}
	if u.Scheme == "http" {
		mopts = append(mopts, otlpmetrichttp.WithInsecure())
	}
	mexp, err := otlpmetrichttp.New(context.Background(), mopts...)
	if err != nil {
		return nil, err
	}
	res := Resource(e.cfg.Version, e.hostID, site)
	interval := e.cfg.Fleet.Interval.Duration
	p := &pipeline{site: site}
	p.meters = sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(
		sdkmetric.NewPeriodicReader(&noting{Exporter: mexp, res: res, delivered: e.delivered},
			sdkmetric.WithInterval(interval), sdkmetric.WithTimeout(exportTimeout))))
	p.logs = sdklog.NewLoggerProvider(sdklog.WithResource(res), sdklog.WithProcessor(
		sdklog.NewBatchProcessor(&shared{e.buf}, sdklog.WithExportInterval(interval),
			sdklog.WithExportTimeout(exportTimeout), sdklog.WithMaxQueueSize(sdkQueue),
			sdklog.WithExportMaxBatchSize(sdkBatch))))
	p.logger = p.logs.Logger(scopeName)
	m := p.meters.Meter(scopeName)
	errs := make([]error, 0, 5)
	var err2 error
	p.events, err2 = m.Int64Counter(MetricEvents, metric.WithUnit("{event}"),
		metric.WithDescription("Connectivity changes and automatic diagnoses, by event and cause"))
	errs = append(errs, err2)
	p.gatewayLatency, err2 = m.Float64Gauge(MetricGatewayLatency, metric.WithUnit("ms"),
		metric.WithDescription("Round-trip time to the default gateway"))
	errs = append(errs, err2)
	p.internetLatency, err2 = m.Float64Gauge(MetricInternetLatency, metric.WithUnit("ms"),
		metric.WithDescription("Round-trip time to the internet probe"))
	errs = append(errs, err2)
	p.gatewayLoss, err2 = m.Float64Gauge(MetricGatewayLoss, metric.WithUnit("%"),
		metric.WithDescription("Packet loss to the default gateway"))
	errs = append(errs, err2)
	_, err2 = m.Float64ObservableGauge(MetricUptime, metric.WithUnit("s"),
		metric.WithDescription("How long the computer has run since it was started"),
		metric.WithFloat64Callback(func(ctx context.Context, o metric.Float64Observer) error {
			up, err := host.UptimeWithContext(ctx)
			if err == nil {
				o.Observe(float64(up))
			}
			return nil
		}))
	errs = append(errs, err2)
	if err := errors.Join(errs...); err != nil {
		_ = p.shutdown(context.Background())
		return nil, err
	}
	return p, nil
}

// flush sends the metrics and the waiting records now.
func (p *pipeline) flush(ctx context.Context) error {
	return errors.Join(p.logs.ForceFlush(ctx), p.meters.ForceFlush(ctx))
}

// shutdown sends what it can and stops the providers; the shared buffer stays.
func (p *pipeline) shutdown(ctx context.Context) error {
	return errors.Join(p.logs.Shutdown(ctx), p.meters.Shutdown(ctx))
}

// shared hands a pipeline's records to the Exporter's one buffer, which outlives the
// pipeline: a site's providers stop without taking the buffer with them.
type shared struct{ b *buffer }

func (s *shared) Export(ctx context.Context, records []sdklog.Record) error {
	return s.b.Export(ctx, records)
}

func (s *shared) ForceFlush(ctx context.Context) error { return s.b.ForceFlush(ctx) }

// Shutdown gives what is kept a last chance; the buffer itself ends with the Exporter.
func (s *shared) Shutdown(ctx context.Context) error { return s.b.send(ctx) }

// noting tells the Exporter when metrics reached the collector, and holds the resource to
// Apuri's own: the SDK would merge OTEL_RESOURCE_ATTRIBUTES from the environment into it.
type noting struct {
	sdkmetric.Exporter
	res       *resource.Resource
	delivered func()
}

func (n *noting) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	rm.Resource = n.res
	if err := n.Exporter.Export(ctx, rm); err != nil {
		return err
	}
	n.delivered()
	return nil
}
