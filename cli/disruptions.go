package cli

import (
	"context"
	"fmt"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
)

// diagnoseNotingDisruptions runs a diagnosis and reads the feed of known disruptions beside
// it. The diagnosis never waits for the feed: what has not arrived when it finishes is taken
// from the cache of the last good reading.
func diagnoseNotingDisruptions(ctx context.Context, env Env, opts program.Options, p *profile.Profile,
	progress func(diagnostics.Event)) *diagnostics.Report {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := readFeed(ctx, p)
	report := env.Diagnose(ctx, p, progress)
	if report != nil {
		feed.note(env, opts, report, p)
	}
	return report
}

// feedReading is one reading of the feed in progress; nil when the profile names none.
type feedReading struct {
	src  *disruptions.Source
	done chan disruptions.State
}

func readFeed(ctx context.Context, p *profile.Profile) *feedReading {
	if p.Disruptions.FeedURL == "" {
		return nil
	}
	f := &feedReading{src: disruptions.NewSource(p.Disruptions, ""), done: make(chan disruptions.State, 1)}
	go func() { f.done <- f.src.Fetch(ctx) }()
	return f
}

// note puts what is known now into the report: the reading if it has arrived, else the
// cached one. A failed reading is told on stderr, so an administrator sees why no
// disruption shows.
func (f *feedReading) note(env Env, opts program.Options, report *diagnostics.Report, p *profile.Profile) {
	if f == nil {
		return
	}
	var st disruptions.State
	select {
	case st = <-f.done:
	default:
		st = f.src.Cached()
	}
	if st.Problem != nil && opts.Tr() != nil {
		fmt.Fprintln(env.Stderr, opts.Tr().Message(*st.Problem))
	}
	report.NoteDisruptions(st.Disruptions, p)
}
