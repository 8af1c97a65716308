package diagnostics

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

const defaultUpdatesDays = 14

// updatesCheck asks the operating system which updates wait to be installed and how long they
// have waited: a computer that has not installed updates for weeks misses fixes that support
// would otherwise suggest one by one.
type updatesCheck struct {
	warnDays int
	cache    *updatesCache
	now      func() time.Time
}

// UpdatesState is what the operating system says about updates not yet installed.
type UpdatesState struct {
	Count    int
	Security int      // of Count, the ones the system marks as security updates
	Names    []string // the first few, as the system names them
	// Since dates the wait, as Basis says; zero when the system does not say.
	Since time.Time
	Basis string // an UpdatesBasis* value; empty when Since is zero
}

// The values of DetailUpdatesBasis: what the date of DetailUpdatesSince means.
const (
	// UpdatesBasisPublished: when the oldest waiting update was published (Windows Update
	// gives each update's date).
	UpdatesBasisPublished = "oldest_published"
	// UpdatesBasisLastInstalled: when updates were last installed (Linux: PackageKit's last
	// update and apt's history). The updates waiting now came after it, so the figure says how
	// long the computer has gone without updates, not how old each waiting one is.
	UpdatesBasisLastInstalled = "last_installed"
)

// UpdatesBases lists the values above, so tests can hold them to the documentation.
var UpdatesBases = []string{UpdatesBasisPublished, UpdatesBasisLastInstalled}

// errStillAsking: the system did not answer within the check's deadline; it keeps answering
// in the background, for the next diagnosis.
var errStillAsking = errors.New("the system is still looking for updates")

func newUpdatesCheck(p *profile.Profile) Check {
	return &updatesCheck{
		warnDays: thresholdOr(p.Thresholds.UpdatesDays, defaultUpdatesDays),
		cache:    systemUpdatesCache,
		now:      time.Now,
	}
}

func (c *updatesCheck) ID() string   { return IDUpdates }
func (c *updatesCheck) Group() Group { return GroupSystem }

func (c *updatesCheck) Run(ctx context.Context) Result {
	st, err := c.cache.get(ctx)
	switch {
	case errors.Is(err, errStillAsking):
		Logf(ctx, "%v", err)
		return Skip(i18n.Msg("check.updates.still_asking")).Because(ReasonNoData)
	case err != nil:
		Logf(ctx, "reading the waiting updates: %v", err)
		return Skip(i18n.Msg("check.updates.unavailable")).Because(ReasonNoData)
	case st.Count == 0:
		Logf(ctx, "no updates waiting")
		return OK(i18n.Msg("check.updates.none")).Detail(DetailUpdatesCount, 0)
	}
	Logf(ctx, "%d updates waiting (%d security), %s %v: %v", st.Count, st.Security, st.Basis, st.Since, st.Names)
	var r Result
	if st.Since.IsZero() || st.Basis == "" {
		r = OK(i18n.Msg("check.updates.waiting", "count", st.Count))
	} else {
		days := int(max(c.now().Sub(st.Since), 0) / (24 * time.Hour))
		key := "check.updates.waiting_days"
		if st.Basis == UpdatesBasisLastInstalled {
			key = "check.updates.last_installed_days"
		}
		msg := i18n.Msg(key, "count", st.Count, "days", days)
		if days > c.warnDays {
			r = Warn(msg).Because(ReasonUpdatesWaiting)
		} else {
			r = OK(msg)
		}
		r = r.Detail(DetailDays, days).Detail(DetailUpdatesSince, st.Since.UTC().Format(time.RFC3339)).
			Detail(DetailUpdatesBasis, st.Basis)
	}
	r = r.Detail(DetailUpdatesCount, st.Count).Detail(DetailUpdatesSecurity, st.Security)
	if names := cleanPackages(st.Names); len(names) > 0 {
		r = r.Detail(DetailUpdatesNames, names)
	}
	return r
}

// Asking takes seconds (PackageKit reads the package cache, Windows Update its database) and
// the answer changes seldom, while the runner gives a check a couple of seconds: the answer is
// kept a while, and a question that outlasts one check is still answered for the next.
const (
	updatesCacheFor     = 30 * time.Minute
	updatesQueryTimeout = 2 * time.Minute
)

// updatesCache holds the system's last answer and the one question in flight.
type updatesCache struct {
	query func(ctx context.Context) (UpdatesState, error)
	now   func() time.Time

	mu      sync.Mutex
	st      UpdatesState
	err     error
	at      time.Time
	have    bool
	running chan struct{} // closed when the question in flight is answered
}

var systemUpdatesCache = &updatesCache{query: systemUpdates, now: time.Now}

// get returns the kept answer while it is fresh, else asks (or joins the question in flight)
// and waits for the answer as long as ctx allows.
func (c *updatesCache) get(ctx context.Context) (UpdatesState, error) {
	c.mu.Lock()
	if c.have && c.now().Sub(c.at) < updatesCacheFor {
		defer c.mu.Unlock()
		return c.st, c.err
	}
	if c.running == nil {
		done := make(chan struct{})
		c.running = done
		// The question outlives the check that asked it, within its own bound.
		qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), updatesQueryTimeout)
		go func() {
			defer cancel()
			st, err := c.query(qctx)
			c.mu.Lock()
			c.st, c.err, c.at, c.have, c.running = st, err, c.now(), true, nil
			c.mu.Unlock()
			close(done)
		}()
	}
	running := c.running
	c.mu.Unlock()
	select {
	case <-running:
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.st, c.err
	case <-ctx.Done():
		return UpdatesState{}, errStillAsking
	}
}
