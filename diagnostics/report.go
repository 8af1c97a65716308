package diagnostics

import (
	"context"
	"runtime"
	"time"

	"github.com/apuri-project/apuri/profile"
	"github.com/shirou/gopsutil/v4/host"
)

// ReportSchema identifies the JSON report format (docs/report.md, a contract).
const ReportSchema = "apuri.report/v1"

// Host describes the computer the report was made on.
type Host struct {
	OS       string `json:"os"`
	Platform string `json:"platform"`
	UptimeS  uint64 `json:"uptime_s"`
}

// Report is one whole diagnosis: every check's result and the verdict.
type Report struct {
	Schema     string    `json:"schema"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
	Host       Host      `json:"host"`
	Checks     []Result  `json:"checks"`
	Verdict    Verdict   `json:"verdict"`
	// Disruptions are the organisation's known disruptions when the report was made
	// (NoteDisruptions); the verdict names the one that matches its cause, if any.
	Disruptions []Disruption `json:"known_disruptions,omitempty"`
}

// Translator renders a message key with named arguments in the reader's language.
type Translator interface {
	T(key string, args map[string]any) string
}

// Localize fills every Summary and the advice in the translator's language.
func (r *Report) Localize(tr Translator) {
	for i := range r.Checks {
		r.Checks[i].Summary = tr.T(r.Checks[i].Message.Key, r.Checks[i].Message.Args)
	}
	r.Verdict.Summary = tr.T(r.Verdict.Message.Key, r.Verdict.Message.Args)
	r.Verdict.Advice = make([]string, len(r.Verdict.AdviceKeys))
	for i, k := range r.Verdict.AdviceKeys {
		// Advice may speak of what the verdict found: the disk that is full.
		r.Verdict.Advice[i] = tr.T(k, r.Verdict.Message.Args)
	}
}

// Failed reports whether any check failed: the CLI's exit code 1.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			return true
		}
	}
	return false
}

// Result returns the result of the check with the given ID.
func (r *Report) Result(id string) (Result, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Result{}, false
}

// Diagnose runs every check the profile asks for and decides the verdict.
func Diagnose(ctx context.Context, p *profile.Profile, progress func(Event)) *Report {
	return Run(ctx, p, Checks(p), progress)
}

// Run runs the given checks with the profile's timeouts and decides the verdict.
func Run(ctx context.Context, p *profile.Profile, checks []Check, progress func(Event)) *Report {
	start := time.Now()
	// Host facts can be slow to gather (some platforms ask a helper program), so they are
	// gathered beside the checks, never after them.
	host := make(chan Host, 1)
	go func() { host <- hostFacts(ctx) }()
	runner := Runner{CheckTimeout: p.Timeouts.Check.Duration, Total: p.Timeouts.Total.Duration}
	results := runner.Run(ctx, checks, progress)
	report := &Report{
		Schema:     ReportSchema,
		StartedAt:  start.UTC(),
		DurationMS: time.Since(start).Milliseconds(),
		Checks:     results,
		Verdict:    Decide(results),
	}
	select {
	case report.Host = <-host:
	case <-time.After(hostFactsGrace):
		report.Host = Host{OS: runtime.GOOS}
	}
	return report
}

// hostFactsGrace is how long a finished diagnosis waits for slow host facts.
const hostFactsGrace = 100 * time.Millisecond

func hostFacts(ctx context.Context) Host {
	h := Host{OS: runtime.GOOS}
	if info, err := host.InfoWithContext(ctx); err == nil {
		h.Platform = info.Platform + " " + info.PlatformVersion
		h.UptimeS = info.Uptime
	}
	return h
}
