package diagnostics

import (
	"context"
	"math"
	"runtime"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/load"
)

const (
	defaultCPUBusyPercent = 90
	// cpuSample is long enough to average out a single busy tick, short enough to keep a run quick.
	cpuSample = 250 * time.Millisecond
)

// cpuCheck measures how busy the processor is: a pegged CPU makes video calls stutter and pages
// crawl even when the network is fine.
type cpuCheck struct {
	busyWarn float64
	sample   time.Duration
	percent  func(ctx context.Context, interval time.Duration, percpu bool) ([]float64, error)
	counts   func(ctx context.Context, logical bool) (int, error)
	// loadAvg is nil where the OS has no load average (gopsutil emulates one on Windows with
	// a background sampler, a cost the tray agent must not pay).
	loadAvg func(ctx context.Context) (*load.AvgStat, error)
}

func newCPUCheck(p *profile.Profile) Check {
	c := &cpuCheck{
		busyWarn: thresholdOr(p.Thresholds.CPUBusyPercent, defaultCPUBusyPercent),
		sample:   cpuSample,
		percent:  cpu.PercentWithContext,
		counts:   cpu.CountsWithContext,
	}
	if runtime.GOOS != "windows" {
		c.loadAvg = load.AvgWithContext
	}
	return c
}

func (c *cpuCheck) ID() string   { return IDCPU }
func (c *cpuCheck) Group() Group { return GroupSystem }

func (c *cpuCheck) Run(ctx context.Context) Result {
	busy, err := c.percent(ctx, c.sample, false)
	if err != nil || len(busy) == 0 {
		Logf(ctx, "sampling CPU: %v", err)
		return Skip(i18n.Msg("check.cpu.unavailable")).Because(ReasonNoData)
	}
	pct := oneDecimal(busy[0])
	Logf(ctx, "CPU %.1f %% busy over %s (warn above %.0f %%)", pct, c.sample, c.busyWarn)
	var r Result
	if pct > c.busyWarn {
		r = Warn(i18n.Msg("check.cpu.busy", "percent", int(math.Round(pct)))).Because(ReasonCPUBusy)
	} else {
		r = OK(i18n.Msg("check.cpu.ok", "percent", int(math.Round(pct))))
	}
	r = r.Detail(DetailBusyPercent, pct)
	if n, err := c.counts(ctx, true); err == nil {
		r = r.Detail(DetailCores, n)
	}
	if c.loadAvg != nil {
		if l, err := c.loadAvg(ctx); err == nil {
			r = r.Detail(DetailLoad1, oneDecimal(l.Load1)).Detail(DetailLoad5, oneDecimal(l.Load5)).Detail(DetailLoad15, oneDecimal(l.Load15))
		} else {
			Logf(ctx, "load average: %v", err)
		}
	}
	return r
}

// oneDecimal rounds for reports: more digits than that only look precise.
func oneDecimal(x float64) float64 { return math.Round(x*10) / 10 }
