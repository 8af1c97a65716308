// Package disruptions reads the organisation's feed of known disruptions — Atlassian
// Statuspage v2 JSON, RSS 2.0 or Atom — so that Apuri can say "this is known and being worked
// on" before anyone files a request. The feed is untrusted input: it is size-limited, every
// text is shortened to plain text, and only http(s) links survive.
package disruptions

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/safetext"
)

// Limits on what one feed may put in front of the user.
const (
	maxDisruptions = 20
	maxTitleRunes  = 160
	maxBodyRunes   = 400
)

// ErrMalformed says the feed is none of the formats Apuri reads, or is broken.
var ErrMalformed = errors.New("not a Statuspage, RSS or Atom feed")

// Parse reads a feed and returns its current disruptions, newest first. base resolves
// relative links; now and maxAge decide which RSS and Atom items are still current.
func Parse(data []byte, base *url.URL, now time.Time, maxAge time.Duration) ([]diagnostics.Disruption, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	var (
		list []diagnostics.Disruption
		err  error
	)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		list, err = parseStatuspage(trimmed, now)
		if errors.Is(err, errNotStatuspage) {
			list, err = parseSyndication(trimmed, now, maxAge)
		}
	} else {
		list, err = parseSyndication(trimmed, now, maxAge)
	}
	if err != nil {
		return nil, err
	}
	return tidyAll(list, base), nil
}

// tidyAll tidies every entry and keeps the newest maxDisruptions, newest first.
func tidyAll(list []diagnostics.Disruption, base *url.URL) []diagnostics.Disruption {
	for i := range list {
		list[i] = tidy(list[i], base)
	}
	sort.SliceStable(list, func(i, j int) bool { return newest(list[i]).After(newest(list[j])) })
	if len(list) > maxDisruptions {
		list = list[:maxDisruptions]
	}
	return list
}

func newest(d diagnostics.Disruption) time.Time {
	if d.Updated.After(d.Started) {
		return d.Updated
	}
	return d.Started
}

// tidy makes a feed's entry safe to show: plain, short texts without control, escape or
// bidi characters (entities decode to those too, so they are removed after decoding), and
// an http(s) link or none.
func tidy(d diagnostics.Disruption, base *url.URL) diagnostics.Disruption {
	d.Title = shorten(safeText(d.Title), maxTitleRunes)
	d.Body = shorten(safeText(d.Body), maxBodyRunes)
	d.Status = shorten(safeText(d.Status), 40)
	d.Impact = shorten(safeText(d.Impact), 40)
	var comps []string
	for _, c := range d.Components {
		if c = shorten(safeText(c), 80); c != "" {
			comps = append(comps, c)
		}
	}
	d.Components = comps
	d.URL = safeLink(d.URL, base)
	if det := d.Detected; det != nil {
		c := *det
		c.Site = shorten(safeText(c.Site), 64)
		c.Cause = diagnostics.Cause(shorten(safeText(string(c.Cause)), 40))
		d.Detected = &c
	}
	if d.Title == "" {
		d.Title = d.Body
	}
	return d
}

// safeLink resolves a link against the feed's address and keeps it only if it is http(s):
// the windows open it in a browser, so "javascript:" or "file:" must never get through.
func safeLink(link string, base *url.URL) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.User = nil
	// A link that would show differently from what it is (a bidi override in its host) is
	// no link to offer.
	if s := u.String(); safetext.Line(s, 0) == s {
		return s
	}
	return ""
}

// shorten cuts s to at most n characters, at a space when one is near, with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// malformed wraps a parser's complaint so callers can tell bad content from a dead server.
func malformed(format string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrMalformed, format, err)
}
