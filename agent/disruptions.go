package agent

import (
	"context"
	"net/http"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/profile"
)

// FeedConfig says how the agent reads the profile's feed of known disruptions.
type FeedConfig struct {
	// CachePath keeps the last good copy; default disruptions.DefaultCachePath().
	CachePath string
	// Client makes the requests; default one through the proxy the desktop chooses.
	Client *http.Client
}

// feedKickSpacing is the least time between two readings that something other than the
// refresh timer asked for: a burst of diagnoses must not hammer the status page.
const feedKickSpacing = 30 * time.Second

// feeding is the agent's reader of known disruptions; guarded by Agent.mu.
type feeding struct {
	state   *disruptions.State // nil while the profile names no feed
	cancel  context.CancelFunc // stops the running reader; nil when none runs
	started bool
	gen     uint64
	kick    chan struct{}
}

// StartDisruptions starts reading the profile's [disruptions] feed: at once from the cache,
// then from the network every disruptions.refresh, and sooner when a diagnosis starts. The
// reading runs beside diagnoses and never delays one: a diagnosis uses the list as it stands.
// It follows SetProfile; calling it again does nothing.
func (a *Agent) StartDisruptions() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return ErrClosed
	}
	if a.feed.started {
		return nil
	}
	a.feed.started = true
	a.startFeedLocked()
	return nil
}

// restartFeedLocked follows a new profile.
func (a *Agent) restartFeedLocked() {
	if !a.feed.started || a.closed {
		return
	}
	if a.feed.cancel != nil {
		a.feed.cancel()
		a.feed.cancel = nil
	}
	a.startFeedLocked()
}

func (a *Agent) startFeedLocked() {
	p := a.loaded.Profile
	a.feed.gen++
	if p.Disruptions.FeedURL == "" {
		a.setFeedLocked(nil)
		return
	}
	src := a.feedSource(p)
	a.setFeedLocked(&disruptions.State{URL: src.URL})
	ctx, cancel := context.WithCancel(a.ctx)
	a.feed.cancel = cancel
	a.feed.kick = make(chan struct{}, 1)
	gen, refresh, kick := a.feed.gen, p.Disruptions.Refresh.Duration, a.feed.kick
	a.goroutines.Go("disruptions", func() { a.readFeed(ctx, gen, src, refresh, kick) })
}

func (a *Agent) feedSource(p *profile.Profile) *disruptions.Source {
	src := disruptions.NewSource(p.Disruptions, a.cfg.Feed.CachePath)
	src.Client, src.Now = a.cfg.Feed.Client, a.cfg.Now
	return src
}

// readFeed shows the cached copy, then reads the feed now and on every refresh or kick,
// until ctx ends.
func (a *Agent) readFeed(ctx context.Context, gen uint64, src *disruptions.Source, refresh time.Duration, kick <-chan struct{}) {
	update := func(st disruptions.State) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if gen == a.feed.gen && !a.closed {
			a.setFeedLocked(&st)
		}
	}
	update(src.Cached())
	timer := time.NewTimer(0)
	defer timer.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-kick:
			if time.Since(last) < feedKickSpacing {
				continue
			}
			timer.Stop()
		}
		last = time.Now()
		st := src.Fetch(ctx)
		if ctx.Err() != nil {
			return
		}
		update(st)
		timer.Reset(refresh)
	}
}

// kickFeedLocked asks for a fresh reading without waiting for it.
func (a *Agent) kickFeedLocked() {
	if a.feed.kick == nil {
		return
	}
	select {
	case a.feed.kick <- struct{}{}:
	default:
	}
}

// setFeedLocked records a reading and brings the last report up to date with it, telling
// subscribers only when what they show changed.
func (a *Agent) setFeedLocked(st *disruptions.State) {
	old := a.feed.state
	a.feed.state = st
	if disruptions.SameShown(old, st) {
		return // only the time of reading moved: the report already notes this list
	}
	if a.report != nil {
		r := cloneReport(a.report)
		r.NoteDisruptions(a.activeDisruptionsLocked(), a.loaded.Profile)
		a.report = r
	}
	if !a.closed {
		a.publishStateLocked()
	}
}

// activeDisruptionsLocked is the list a new report notes.
func (a *Agent) activeDisruptionsLocked() []diagnostics.Disruption {
	if a.feed.state == nil {
		return nil
	}
	return a.feed.state.Disruptions
}

// disruptionsStateLocked is State.Disruptions: a copy, nil while no feed is configured.
func (a *Agent) disruptionsStateLocked() *disruptions.State {
	if a.feed.state == nil {
		return nil
	}
	c := *a.feed.state
	return &c
}
