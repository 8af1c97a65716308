package disruptions

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/words"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	jsonfeed "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// statusWords are the words feeds use for an incident's state, in the three languages Apuri
// speaks, mapped to the state they mean. RSS and Atom have no field for it: the earliest of
// these words in an item's title or text is taken as its state (Statuspage's own RSS puts
// "<strong>Resolved</strong> -" before the latest update).
var statusWords = map[string]string{
	"resolved": "resolved", "completed": "resolved", "fixed": "resolved",
	"korjattu": "resolved", "ratkaistu": "resolved", "päättynyt": "resolved", "poistunut": "resolved",
	"löst": "resolved", "åtgärdat": "resolved", "avhjälpt": "resolved", "avslutad": "resolved",
	"investigating": "investigating", "selvitetään": "investigating", "undersöker": "investigating",
	"identified": "identified", "tunnistettu": "identified", "identifierat": "identified",
	"monitoring": "monitoring", "seurataan": "monitoring", "övervakar": "monitoring",
	"update": "update", "päivitys": "update", "uppdatering": "update",
	"scheduled": "scheduled", "in progress": "in_progress", "verifying": "verifying",
}

// entry is one item of an RSS, Atom or JSON feed; its title and text may be HTML.
type entry struct {
	title, link, text   string
	categories          []string
	published, modified *time.Time
}

// The format-specific parsers are used rather than gofeed's universal one: that one also
// parses every item's HTML to find an image, which costs a hundred times the feed's size in
// memory and is of no use here.
func parseSyndication(data []byte, now time.Time, maxAge time.Duration) ([]diagnostics.Disruption, error) {
	var (
		entries []entry
		err     error
	)
	switch gofeed.DetectFeedType(bytes.NewReader(data)) {
	case gofeed.FeedTypeRSS:
		entries, err = rssEntries(data)
	case gofeed.FeedTypeAtom:
		entries, err = atomEntries(data)
	case gofeed.FeedTypeJSON:
		entries, err = jsonEntries(data)
	default:
		err = malformed("feed", errors.New("neither RSS, Atom nor JSON Feed"))
	}
	if err != nil {
		return nil, err
	}
	all := make([]diagnostics.Disruption, 0, len(entries))
	for _, e := range entries {
		d := diagnostics.Disruption{Title: e.title, URL: e.link, Body: e.text, Components: e.categories}
		if e.published != nil {
			d.Started = *e.published
		}
		if e.modified != nil {
			d.Updated = *e.modified
		}
		// Items without a date cannot be judged; they count as current.
		if when := newest(d); when.IsZero() || now.Sub(when) <= maxAge {
			all = append(all, d)
		}
	}
	// Newest first, and only as many as will be shown: a long history costs no text work.
	sort.SliceStable(all, func(i, j int) bool { return newest(all[i]).After(newest(all[j])) })
	var list []diagnostics.Disruption
	for _, d := range all {
		d.Title, d.Body = plainText(d.Title), plainText(d.Body)
		d.Status = itemStatus(d.Title, d.Body)
		if d.Status == "resolved" || d.Status == "scheduled" {
			continue
		}
		if list = append(list, d); len(list) == maxDisruptions {
			break
		}
	}
	return list, nil
}

func rssEntries(data []byte) ([]entry, error) {
	var p rss.Parser
	feed, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, malformed("RSS", err)
	}
	var out []entry
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		e := entry{title: it.Title, link: it.Link, text: firstOf(it.Description, it.Content),
			published: it.PubDateParsed}
		for _, c := range it.Categories {
			if c != nil {
				e.categories = append(e.categories, c.Value)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func atomEntries(data []byte) ([]entry, error) {
	var p atom.Parser
	feed, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, malformed("Atom", err)
	}
	var out []entry
	for _, it := range feed.Entries {
		if it == nil {
			continue
		}
		content := ""
		if it.Content != nil {
			content = it.Content.Value
		}
		e := entry{title: it.Title, text: firstOf(it.Summary, content),
			published: it.PublishedParsed, modified: it.UpdatedParsed}
		for _, l := range it.Links {
			if l != nil && (l.Rel == "" || l.Rel == "alternate") {
				e.link = l.Href
				break
			}
		}
		for _, c := range it.Categories {
			if c != nil {
				e.categories = append(e.categories, firstOf(c.Label, c.Term))
			}
		}
		out = append(out, e)
	}
	return out, nil
}

func jsonEntries(data []byte) ([]entry, error) {
	var p jsonfeed.Parser
	feed, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, malformed("JSON Feed", err)
	}
	if !strings.HasPrefix(feed.Version, "https://jsonfeed.org/version/") {
		// Any JSON object parses as an empty JSON Feed; without its version it is something else.
		return nil, malformed("JSON Feed", errors.New("no version"))
	}
	var out []entry
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		out = append(out, entry{
			title: it.Title, link: it.URL,
			text:       firstOf(it.ContentText, it.Summary, it.ContentHTML),
			categories: it.Tags, published: rfc3339(it.DatePublished), modified: rfc3339(it.DateModified),
		})
	}
	return out, nil
}

func firstOf(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

func rfc3339(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil
	}
	return &t
}

// itemStatus finds the state word nearest the start of the title, else of the text.
func itemStatus(texts ...string) string {
	for _, t := range texts {
		lt := strings.ToLower(t)
		best, at := "", len(lt)+1
		for word, state := range statusWords {
			if i := words.Index(lt, word); i >= 0 && (i < at || (i == at && state == "resolved")) {
				best, at = state, i
			}
		}
		if best != "" {
			return best
		}
	}
	return ""
}
