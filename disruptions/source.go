package disruptions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/atomicfile"
	"github.com/apuri-project/apuri/netproxy"
	"github.com/apuri-project/apuri/profile"
)

// DefaultMaxBytes bounds a feed: a status page is a few kilobytes, and a feed that is not
// must not fill the memory of every computer in the organisation.
const DefaultMaxBytes = 1 << 20

// State is what is known of the feed: the current disruptions of the last good reading and,
// when the latest reading failed, why.
type State struct {
	URL         string                   `json:"url,omitempty"`
	Disruptions []diagnostics.Disruption `json:"active"`
	// CheckedAt is when the feed last answered with something Apuri could read.
	CheckedAt time.Time `json:"checked_at,omitzero"`
	// Problem says why the latest reading failed; Disruptions are then the last good ones.
	Problem *i18n.Message `json:"problem,omitempty"`
}

// SameShown says whether two readings look the same to the user: a later time of reading
// alone is no news, but the first reading is. Nil is no feed at all.
func SameShown(a, b *State) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a.Disruptions, b.Disruptions) && reflect.DeepEqual(a.Problem, b.Problem) &&
		a.CheckedAt.IsZero() == b.CheckedAt.IsZero()
}

// Source reads one feed over HTTP and keeps the last good copy on disk, so a restart or a
// dead feed still shows what was known.
type Source struct {
	URL     string
	Timeout time.Duration
	// MaxAge is how long an RSS or Atom item counts as current (profile disruptions.max_age).
	MaxAge time.Duration
	// MaxBytes bounds the feed's size; default DefaultMaxBytes.
	MaxBytes int64
	// CachePath is the file that keeps the last good copy; "" keeps none.
	CachePath string
	// Client makes the request; default a client through the proxy the desktop chooses.
	Client *http.Client
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Site, when set, makes URL an Alertmanager's base address: the source reads the
	// ApuriSiteDisruption alerts of the site it returns (alertmanager.go). A site of "" or
	// "other" asks for nothing.
	Site func() string
}

// NewAlertmanagerSource reads the alerts of the Alertmanager a profile's [disruptions]
// alertmanager_url names, for the site site returns, keeping its copy at cachePath ("" for
// DefaultAlertsCachePath()).
func NewAlertmanagerSource(d profile.Disruptions, site func() string, cachePath string) *Source {
	if cachePath == "" {
		cachePath = DefaultAlertsCachePath()
	}
	return &Source{URL: d.AlertmanagerURL, Timeout: d.Timeout.Duration, CachePath: cachePath, Site: site}
}

// DefaultAlertsCachePath is the Alertmanager's cache file beside the feed's, "" when there is none.
func DefaultAlertsCachePath() string {
	if p := DefaultCachePath(); p != "" {
		return filepath.Join(filepath.Dir(p), "alerts.json")
	}
	return ""
}

// target is what is read: the feed, or the Alertmanager's alerts of the current site ("" when
// there is no site to ask about).
func (s *Source) target() (address, site string) {
	if s.Site == nil {
		return s.URL, ""
	}
	site = s.Site()
	if site == "" || site == "other" {
		return "", site
	}
	return AlertmanagerURL(s.URL, site), site
}

// NewSource reads the feed a profile's [disruptions] table names, keeping its copy at
// cachePath ("" for DefaultCachePath()).
func NewSource(d profile.Disruptions, cachePath string) *Source {
	if cachePath == "" {
		cachePath = DefaultCachePath()
	}
	return &Source{URL: d.FeedURL, Timeout: d.Timeout.Duration, MaxAge: d.MaxAge.Duration, CachePath: cachePath}
}

// DefaultCachePath is the feed's cache file in the user's cache directory, "" when there is none.
func DefaultCachePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "apuri", "disruptions.json")
}

// cached is the cache file: the raw feed, so that RSS and Atom items age by the clock of the
// reading, and the validators for a conditional request.
type cached struct {
	URL string `json:"url"`
	// Address is what was read (the Alertmanager's query of Site); Site is "" for a feed.
	Address      string    `json:"address,omitempty"`
	Site         string    `json:"site,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	CheckedAt    time.Time `json:"checked_at"`
	Body         []byte    `json:"body"`
}

func (s *Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Cached is what the last good reading said, read from the cache file; it never touches the
// network, so a diagnosis can use it without waiting.
func (s *Source) Cached() State {
	c, ok := s.load()
	if _, site := s.target(); ok && c.Site != site {
		ok = false // another site's alerts say nothing about this one
	}
	return s.stateOf(c, ok)
}

// stateOf is what a cached copy says; a copy that no longer parses says nothing.
func (s *Source) stateOf(c cached, ok bool) State {
	st := State{URL: s.URL}
	if !ok {
		return st
	}
	if list, err := s.parse(c.Body, c.Site); err == nil {
		st.Disruptions, st.CheckedAt = list, c.CheckedAt
	}
	return st
}

// Fetch reads the feed, asking only for a newer copy than the cached one. Whatever fails —
// no answer, an error status, a huge or broken feed — the state keeps the last good list
// and says why in Problem.
func (s *Source) Fetch(ctx context.Context) State {
	address, site := s.target()
	if address == "" {
		// No site of the organisation's: there is nothing to ask, and nothing to show.
		return State{URL: s.URL, CheckedAt: s.now()}
	}
	prev, havePrev := s.load()
	if havePrev && prev.Site != site {
		prev, havePrev = cached{}, false // another site's alerts
	}
	body, c, err := s.get(ctx, address, prev, havePrev)
	if err == nil {
		c.Site = site
		var list []diagnostics.Disruption
		if list, err = s.parse(body, site); err == nil {
			s.store(*c)
			return State{URL: s.URL, Disruptions: list, CheckedAt: s.now()}
		}
	}
	st := s.stateOf(prev, havePrev) // the copy read before asking, not a second read of the file
	m := problemOf(err, s.timeout(), s.maxBytes())
	st.Problem = &m
	return st
}

func (s *Source) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 10 * time.Second
}

func (s *Source) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

// errTooLarge and statusError tell the user's message apart from a network failure.
var errTooLarge = errors.New("feed too large")

type statusError struct{ code int }

func (e statusError) Error() string { return fmt.Sprintf("the feed answered HTTP %d", e.code) }

// get asks for the feed; a 304 gives back the cached body with a new time.
func (s *Source) get(ctx context.Context, address string, prev cached, havePrev bool) (body []byte, c *cached, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/json, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
	req.Header.Set("User-Agent", "Apuri")
	if havePrev && prev.Address == address {
		if prev.ETag != "" {
			req.Header.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			req.Header.Set("If-Modified-Since", prev.LastModified)
		}
	}
	client := s.Client
	if client == nil {
		client = netproxy.Client(0)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	switch {
	case resp.StatusCode == http.StatusNotModified && havePrev && prev.Address == address:
		prev.CheckedAt = s.now()
		return prev.Body, &prev, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, nil, statusError{resp.StatusCode}
	case resp.ContentLength > s.maxBytes():
		return nil, nil, errTooLarge
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, s.maxBytes()+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(body)) > s.maxBytes() {
		return nil, nil, errTooLarge
	}
	return body, &cached{
		URL: s.URL, Address: address, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		CheckedAt: s.now(), Body: body,
	}, nil
}

func (s *Source) parse(body []byte, site string) ([]diagnostics.Disruption, error) {
	if s.Site != nil {
		list, err := parseAlertmanager(body, site)
		if err != nil {
			return nil, err
		}
		base, _ := url.Parse(s.URL)
		return tidyAll(list, base), nil
	}
	base, _ := url.Parse(s.URL)
	maxAge := s.MaxAge
	if maxAge <= 0 {
		maxAge = 24 * time.Hour
	}
	return Parse(body, base, s.now(), maxAge)
}

func (s *Source) load() (cached, bool) {
	if s.CachePath == "" {
		return cached{}, false
	}
	data, err := os.ReadFile(s.CachePath)
	if err != nil {
		return cached{}, false
	}
	var c cached
	if json.Unmarshal(data, &c) != nil || c.URL != s.URL || int64(len(c.Body)) > s.maxBytes() {
		return cached{}, false
	}
	return c, true
}

// store keeps the good copy; a cache that cannot be written only costs the next start its
// head start, so the error is dropped.
func (s *Source) store(c cached) {
	if s.CachePath == "" {
		return
	}
	data, err := json.Marshal(c)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(s.CachePath), 0o700) == nil {
		_ = atomicfile.Write(s.CachePath, data, 0o600)
	}
}

// problemOf turns a failed reading into words for the user.
func problemOf(err error, timeout time.Duration, maxBytes int64) i18n.Message {
	var se statusError
	switch {
	case errors.Is(err, ErrMalformed):
		return i18n.Msg("feed.problem.malformed")
	case errors.Is(err, errTooLarge):
		return i18n.Msg("feed.problem.too_large", "limit_kb", maxBytes>>10)
	case errors.As(err, &se):
		return i18n.Msg("feed.problem.status", "status", se.code)
	case errors.Is(err, context.DeadlineExceeded):
		return i18n.Msg("feed.problem.timeout", "seconds", int(timeout.Seconds()))
	default:
		return i18n.Msg("feed.problem.unreachable")
	}
}
