package cli

import (
	"context"
	"fmt"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// diagnoseNotingDisruptions runs a diagnosis and reads the known disruptions beside it: the
// profile's feed and the organisation's Alertmanager, as the agent does. The diagnosis never
// waits for them: what has not arrived when it finishes is taken from the cache of the last
// good reading.
func diagnoseNotingDisruptions(ctx context.Context, env Env, opts program.Options, p *profile.Profile,
	progress func(diagnostics.Event)) *diagnostics.Report {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	readings := readDisruptions(ctx, p)
	report := env.Diagnose(ctx, p, progress)
	if report != nil && len(readings) > 0 {
		var list []diagnostics.Disruption
		for _, r := range readings {
			list = append(list, r.known(env, opts)...)
		}
		report.NoteDisruptions(list, p)
	}
	return report
}

// feedReading is one reading of a source of known disruptions in progress.
type feedReading struct {
	src  *disruptions.Source
	done chan disruptions.State
}

// readDisruptions starts reading what the profile names: the Alertmanager's alerts for the
// site this computer is at first, since they are about this site now (the agent's order),
// then the feed. None when it names neither.
func readDisruptions(ctx context.Context, p *profile.Profile) []*feedReading {
	var sources []*disruptions.Source
	if p.Disruptions.AlertmanagerURL != "" {
		site := fleet.Site(p.Fleet, fleet.SearchDomains())
		sources = append(sources, disruptions.NewAlertmanagerSource(p.Disruptions, func() string { return site }, ""))
	}
	if p.Disruptions.FeedURL != "" {
		sources = append(sources, disruptions.NewSource(p.Disruptions, ""))
	}
	readings := make([]*feedReading, len(sources))
	for i, src := range sources {
		r := &feedReading{src: src, done: make(chan disruptions.State, 1)}
		go func() { r.done <- r.src.Fetch(ctx) }()
		readings[i] = r
	}
	return readings
}

// known is what is known now: the reading if it has arrived, else the cached one. A failed
// reading is told on stderr, so an administrator sees why no disruption shows.
func (f *feedReading) known(env Env, opts program.Options) []diagnostics.Disruption {
	var st disruptions.State
	select {
	case st = <-f.done:
	default:
		st = f.src.Cached()
	}
	if st.Problem != nil && opts.Tr() != nil {
		fmt.Fprintln(env.Stderr, opts.Tr().Message(*st.Problem))
	}
	return st.Disruptions
}
