package agent

import (
	"context"
	"net/http"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/profile"
)

// FeedConfig says how the agent reads the profile's feed of known disruptions.
type FeedConfig struct {
	// CachePath keeps the last good copy; default disruptions.DefaultCachePath().
	CachePath string
	// AlertsCachePath keeps the Alertmanager's; default disruptions.DefaultAlertsCachePath().
	AlertsCachePath string
	// Client makes the requests; default one through the proxy the desktop chooses.
	Client *http.Client
}

// feedKickSpacing is the least time between two readings that something other than the
// refresh timer asked for: a burst of diagnoses must not hammer the status page.
const feedKickSpacing = 30 * time.Second

// alertsRefreshOnProblem is how often the organisation's Alertmanager is read while this
// computer has a problem: a disruption at the site should show within a minute.
const alertsRefreshOnProblem = 30 * time.Second

// feeding is the agent's reader of known disruptions; guarded by Agent.mu.
type feeding struct {
	state   *disruptions.State // nil while the profile names no feed
	alerts  *disruptions.State // the Alertmanager's, nil while the profile names none
	cancel  context.CancelFunc // stops the running readers; nil when none runs
	started bool
	gen     uint64
	kick    chan struct{}
	kickAM  chan struct{}
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
	a.feed.kick, a.feed.kickAM = nil, nil
	a.feed.alerts = nil
	if p.Disruptions.FeedURL == "" && p.Disruptions.AlertmanagerURL == "" {
		a.setFeedLocked(nil)
		return
	}
	ctx, cancel := context.WithCancel(a.ctx)
	a.feed.cancel = cancel
	gen, refresh := a.feed.gen, p.Disruptions.Refresh.Duration
	if p.Disruptions.FeedURL != "" {
		src := a.feedSource(p)
		a.setFeedLocked(&disruptions.State{URL: src.URL})
		a.feed.kick = make(chan struct{}, 1)
		kick := a.feed.kick
		a.goroutines.Go("disruptions", func() {
			a.readFeed(ctx, gen, src, func() time.Duration { return refresh }, kick, a.setFeedLocked)
		})
	} else {
		a.setFeedLocked(&disruptions.State{})
	}
	if p.Disruptions.AlertmanagerURL != "" {
		src := a.alertsSource(p)
		a.setAlertsLocked(&disruptions.State{URL: src.URL})
		a.feed.kickAM = make(chan struct{}, 1)
		kick := a.feed.kickAM
		a.goroutines.Go("alertmanager", func() {
			a.readFeed(ctx, gen, src, func() time.Duration { return a.alertsRefresh(refresh) }, kick, a.setAlertsLocked)
		})
	}
}

// alertsSource reads the Alertmanager's alerts for the site the computer is at now.
func (a *Agent) alertsSource(p *profile.Profile) *disruptions.Source {
	search := a.cfg.Fleet.SearchDomains
	if search == nil {
		search = fleet.SearchDomains
	}
	f := p.Fleet
	src := disruptions.NewAlertmanagerSource(p.Disruptions, func() string { return fleet.Site(f, search()) },
		a.cfg.Feed.AlertsCachePath)
	src.Client, src.Now = a.cfg.Feed.Client, a.cfg.Now
	return src
}

// alertsRefresh is how long until the Alertmanager is read again: soon while this computer
// has a problem, else as often as the feed.
func (a *Agent) alertsRefresh(refresh time.Duration) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.watch.status.State
	troubled := st == diagnostics.ConnLost || st == diagnostics.ConnDegraded
	if a.report != nil && (a.report.Verdict.Status == diagnostics.StatusFail || a.report.Verdict.Status == diagnostics.StatusWarn) {
		troubled = true
	}
	if troubled {
		return min(refresh, alertsRefreshOnProblem)
	}
	return refresh
}

func (a *Agent) feedSource(p *profile.Profile) *disruptions.Source {
	src := disruptions.NewSource(p.Disruptions, a.cfg.Feed.CachePath)
	src.Client, src.Now = a.cfg.Feed.Client, a.cfg.Now
	return src
}

// readFeed shows the cached copy, then reads the feed now and on every refresh or kick,
// until ctx ends.
func (a *Agent) readFeed(ctx context.Context, gen uint64, src *disruptions.Source, refresh func() time.Duration,
	kick <-chan struct{}, set func(*disruptions.State)) {
	update := func(st disruptions.State) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if gen == a.feed.gen && !a.closed {
			set(&st)
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
		timer.Reset(refresh())
	}
}

// kickFeedLocked asks for a fresh reading without waiting for it.
func (a *Agent) kickFeedLocked() {
	for _, k := range []chan struct{}{a.feed.kick, a.feed.kickAM} {
		if k == nil {
			continue
		}
		select {
		case k <- struct{}{}:
		default:
		}
	}
}

// setAlertsLocked records a reading of the Alertmanager, as setFeedLocked does the feed's.
func (a *Agent) setAlertsLocked(st *disruptions.State) {
	old := a.disruptionsStateLocked()
	a.feed.alerts = st
	a.noteShownLocked(old)
}

// setFeedLocked records a reading and brings the last report up to date with it, telling
// subscribers only when what they show changed.
func (a *Agent) setFeedLocked(st *disruptions.State) {
	old := a.disruptionsStateLocked()
	a.feed.state = st
	a.noteShownLocked(old)
}

// noteShownLocked brings the last report up to date with what is now shown, and tells
// subscribers, when that differs from old.
func (a *Agent) noteShownLocked(old *disruptions.State) {
	if disruptions.SameShown(old, a.disruptionsStateLocked()) {
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
	if st := a.disruptionsStateLocked(); st != nil {
		return st.Disruptions
	}
	return nil
}

// disruptionsStateLocked is State.Disruptions: a copy, nil while no feed is configured. The
// Alertmanager's detected disruptions come first: they are about this site, now. A failed
// reading of either is the problem shown, the feed's first.
func (a *Agent) disruptionsStateLocked() *disruptions.State {
	if a.feed.state == nil {
		return nil
	}
	c := *a.feed.state
	if am := a.feed.alerts; am != nil {
		c.Disruptions = append(append([]diagnostics.Disruption(nil), am.Disruptions...), c.Disruptions...)
		if c.Problem == nil {
			c.Problem = am.Problem
		}
		if c.URL == "" {
			c.URL, c.CheckedAt = am.URL, am.CheckedAt
		}
	}
	return &c
}
