package diagnostics

import (
	"context"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/host"
)

const defaultUptimeDays = 14

// uptimeCheck measures how long since the computer last really started. Windows "shut down"
// with fast startup only hibernates, so a laptop shut down every evening can still have run
// for weeks: the support guide's first step, a restart, is then worth trying.
type uptimeCheck struct {
	warnDays int
	uptime   func(ctx context.Context) (uint64, error)
}

func newUptimeCheck(p *profile.Profile) Check {
	return &uptimeCheck{
		warnDays: thresholdOr(p.Thresholds.UptimeDays, defaultUptimeDays),
		uptime:   host.UptimeWithContext,
	}
}

func (c *uptimeCheck) ID() string   { return IDUptime }
func (c *uptimeCheck) Group() Group { return GroupSystem }

func (c *uptimeCheck) Run(ctx context.Context) Result {
	secs, err := c.uptime(ctx)
	if err != nil {
		Logf(ctx, "reading uptime: %v", err)
		return Skip(i18n.Msg("check.uptime.unavailable")).Because(ReasonNoData)
	}
	up := time.Duration(secs) * time.Second
	days := int(secs / 86400)
	Logf(ctx, "up for %s (warn after %d days)", up, c.warnDays)
	var r Result
	if up > time.Duration(c.warnDays)*24*time.Hour {
		r = Warn(i18n.Msg("check.uptime.long", "days", days)).Because(ReasonLongUptime)
	} else {
		r = OK(i18n.Msg("check.uptime.ok", "days", days))
	}
	return r.Detail(DetailUptimeS, secs).Detail(DetailDays, days)
}
