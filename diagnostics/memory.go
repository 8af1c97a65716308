package diagnostics

import (
	"context"
	"math"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/mem"
)

const (
	defaultMemoryUsedPercent = 90
	// memoryFullPercent is where the system starts swapping hard or killing programs.
	memoryFullPercent = 98
)

// memoryCheck looks at how much of the RAM is in use: when it runs out, everything slows down
// and programs may close, which looks to the user like a network or service problem.
type memoryCheck struct {
	usedWarn float64
	virtual  func(ctx context.Context) (*mem.VirtualMemoryStat, error)
}

func newMemoryCheck(p *profile.Profile) Check {
	return &memoryCheck{
		usedWarn: thresholdOr(p.Thresholds.MemoryUsedPercent, defaultMemoryUsedPercent),
		virtual:  mem.VirtualMemoryWithContext,
	}
}

func (c *memoryCheck) ID() string   { return IDMemory }
func (c *memoryCheck) Group() Group { return GroupSystem }

func (c *memoryCheck) Run(ctx context.Context) Result {
	v, err := c.virtual(ctx)
	if err != nil || v == nil || v.Total == 0 {
		Logf(ctx, "reading memory: %v", err)
		return Skip(i18n.Msg("check.memory.unavailable")).Because(ReasonNoData)
	}
	used := oneDecimal(v.UsedPercent)
	Logf(ctx, "memory %.1f %% used, %d of %d bytes available", used, v.Available, v.Total)
	pct := int(math.Round(used))
	var r Result
	switch {
	case used >= memoryFullPercent:
		r = Fail(i18n.Msg("check.memory.full", "percent", pct)).Because(ReasonMemoryFull)
	case used > c.usedWarn:
		r = Warn(i18n.Msg("check.memory.high", "percent", pct)).Because(ReasonMemoryHigh)
	default:
		r = OK(i18n.Msg("check.memory.ok", "percent", pct))
	}
	return r.Detail(DetailUsedPercent, used).Detail(DetailTotalBytes, v.Total).Detail(DetailAvailableBytes, v.Available)
}
