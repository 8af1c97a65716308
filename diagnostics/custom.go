package diagnostics

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// CustomPrefix starts the ID of every check the organisation writes ([[checks]]): custom.<id>.
const CustomPrefix = "custom."

// customCheck runs one of the organisation's own checks ([[checks]] in the profile). Its probe
// says whether what it looked at is as it should be; the check's severity says whether a
// failure is a warning or a failure. A command may say "warning" itself (exit status 1),
// whatever the severity.
type customCheck struct {
	def      profile.CustomCheck
	timeout  time.Duration
	home     string
	now      func() time.Time
	http     http.RoundTripper
	dial     func(ctx context.Context, network, address string) (net.Conn, error)
	resolve  func(ctx context.Context, name string) ([]netip.Addr, error)
	registry registryReader
}

// CustomChecks builds the checks the profile's [[checks]] write, in their order.
func CustomChecks(p *profile.Profile) []Check {
	checks := make([]Check, 0, len(p.Checks))
	for _, c := range p.Checks {
		checks = append(checks, newCustomCheck(p, c))
	}
	return checks
}

func newCustomCheck(p *profile.Profile, c profile.CustomCheck) Check {
	home, _ := os.UserHomeDir()
	return &customCheck{
		def:      c,
		timeout:  p.CheckTimeout(c),
		home:     home,
		now:      time.Now,
		http:     proxiedTransport(netproxy.Shared()), // the way the browser goes, as the service checks
		dial:     defaultHostDialer().DialContext,
		resolve:  defaultHostDialer().lookup,
		registry: systemRegistry(),
	}
}

func (c *customCheck) ID() string   { return CustomPrefix + c.def.ID }
func (c *customCheck) Group() Group { return GroupCustom }

// Title is what people call the check, per language: its rows and sentences say it.
func (c *customCheck) Title() map[string]string { return c.def.Titles() }

// Timeout is how long the check may take: its own timeout, which may be longer than the
// other checks' (a command that asks a licence server), never longer than the whole diagnosis.
func (c *customCheck) Timeout() time.Duration { return c.timeout }

func (c *customCheck) Run(ctx context.Context) Result {
	var r Result
	switch c.def.Kind {
	case profile.CheckHTTP:
		r = c.runHTTP(ctx)
	case profile.CheckTCP:
		r = c.runTCP(ctx)
	case profile.CheckDNS:
		r = c.runDNS(ctx)
	case profile.CheckFile:
		r = c.runFile(ctx)
	case profile.CheckCommand:
		r = c.runCommand(ctx)
	case profile.CheckRegistry:
		r = c.runRegistry(ctx)
	default:
		r = Skip(c.msg("check.custom.unknown_kind"))
	}
	// A failure counts as the organisation says: a warning does not claim anything is down.
	if r.Status == StatusFail && c.def.Severity == profile.SeverityWarn {
		r.Status = StatusWarn
	}
	r = r.Detail(DetailKind, c.def.Kind).Detail(DetailSeverity, severityOf(c.def))
	if advice := c.def.Advices(); advice != nil && r.Status != StatusOK && r.Status != StatusSkip {
		r = r.Detail(DetailAdvice, advice) // the verdict's advice, and the report's reader's
	}
	return r
}

// severityOf is the check's severity, fail when a profile built in code leaves it out.
func severityOf(d profile.CustomCheck) string {
	if d.Severity == profile.SeverityWarn {
		return profile.SeverityWarn
	}
	return profile.SeverityFail
}

// msg is a message of this check: its title first, then kv.
func (c *customCheck) msg(key string, kv ...any) i18n.Message {
	return i18n.Msg(key, append([]any{"title", c.def.Titles()}, kv...)...)
}

// isCustom reports whether a result is one of the organisation's own checks.
func isCustom(r Result) bool { return strings.HasPrefix(r.ID, CustomPrefix) }

// customTitle is what people call a custom check in a sentence: its title per language, or
// its ID written as a name.
func customTitle(r Result) any {
	if len(r.Title) > 0 {
		return r.Title
	}
	return profile.DisplayName(strings.TrimPrefix(r.ID, CustomPrefix))
}
