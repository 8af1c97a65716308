package disruptions

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/words"
	"github.com/mmcdole/gofeed"
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

func parseSyndication(data []byte, now time.Time, maxAge time.Duration) ([]diagnostics.Disruption, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, malformed("RSS/Atom", err)
	}
	if feed.FeedType == "json" && feed.FeedVersion == "" {
		// Any JSON object parses as an empty JSON Feed; without a version it is something else.
		return nil, malformed("JSON Feed", errors.New("no version"))
	}
	var list []diagnostics.Disruption
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		d := diagnostics.Disruption{Title: it.Title, URL: it.Link, Components: it.Categories}
		d.Body = it.Description
		if d.Body == "" {
			d.Body = it.Content
		}
		if it.PublishedParsed != nil {
			d.Started = *it.PublishedParsed
		}
		if it.UpdatedParsed != nil {
			d.Updated = *it.UpdatedParsed
		}
		when := newest(d)
		// Items without a date cannot be judged; they count as current.
		if !when.IsZero() && now.Sub(when) > maxAge {
			continue
		}
		d.Status = itemStatus(plainText(d.Title), plainText(d.Body))
		if d.Status == "resolved" || d.Status == "scheduled" {
			continue
		}
		list = append(list, d)
	}
	return list, nil
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
