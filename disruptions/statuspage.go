package disruptions

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
)

// errNotStatuspage says a JSON document is not Statuspage's: it may still be a JSON Feed.
var errNotStatuspage = errors.New("not a Statuspage document")

// statuspage is the part of Atlassian Statuspage's v2 API Apuri reads: summary.json,
// incidents.json and incidents/unresolved.json all share it.
type statuspage struct {
	Page *struct {
		URL string `json:"url"`
	} `json:"page"`
	Components   []spComponent `json:"components"`
	Incidents    []spIncident  `json:"incidents"`
	Maintenances []spIncident  `json:"scheduled_maintenances"`
}

type spComponent struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Group  bool   `json:"group"`
}

type spIncident struct {
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Status     string        `json:"status"`
	Impact     string        `json:"impact"`
	Shortlink  string        `json:"shortlink"`
	CreatedAt  time.Time     `json:"created_at"`
	StartedAt  *time.Time    `json:"started_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	Until      *time.Time    `json:"scheduled_until"`
	Updates    []spUpdate    `json:"incident_updates"`
	Components []spComponent `json:"components"`
}

type spUpdate struct {
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// spOver are the states of an incident or maintenance that is no longer going on.
var spOver = map[string]bool{"resolved": true, "postmortem": true, "completed": true, "scheduled": true}

// spDown are the component states worth telling users about.
var spDown = map[string]bool{"degraded_performance": true, "partial_outage": true, "major_outage": true}

func parseStatuspage(data []byte, now time.Time) ([]diagnostics.Disruption, error) {
	var sp statuspage
	if err := json.Unmarshal(data, &sp); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, malformed("Statuspage JSON", err)
		}
		// Right syntax, wrong shape: perhaps a JSON Feed.
		return nil, errNotStatuspage
	}
	if sp.Page == nil && sp.Incidents == nil && sp.Maintenances == nil {
		return nil, errNotStatuspage
	}
	pageURL := ""
	if sp.Page != nil {
		pageURL = strings.TrimRight(sp.Page.URL, "/")
	}
	var list []diagnostics.Disruption
	covered := map[string]bool{}
	add := func(in spIncident) {
		if spOver[in.Status] || (in.Until != nil && in.Until.Before(now)) {
			return
		}
		d := diagnostics.Disruption{
			Title: in.Name, Status: in.Status, Impact: in.Impact, URL: in.Shortlink,
			Started: in.CreatedAt, Updated: in.UpdatedAt,
		}
		if in.StartedAt != nil {
			d.Started = *in.StartedAt
		}
		if d.URL == "" && pageURL != "" && in.ID != "" {
			d.URL = pageURL + "/incidents/" + in.ID
		}
		if latest := latestUpdate(in.Updates); latest != "" {
			d.Body = latest
		}
		for _, c := range in.Components {
			d.Components = append(d.Components, c.Name)
			covered[c.Name] = true
		}
		list = append(list, d)
	}
	for _, in := range sp.Incidents {
		add(in)
	}
	for _, m := range sp.Maintenances {
		add(m)
	}
	// A component marked down with no incident to explain it is still known trouble.
	for _, c := range sp.Components {
		if spDown[c.Status] && !c.Group && !covered[c.Name] {
			list = append(list, diagnostics.Disruption{
				Title: c.Name, Status: c.Status, Components: []string{c.Name}, URL: pageURL,
			})
		}
	}
	return list, nil
}

// latestUpdate is the body of the newest update: what support says now.
func latestUpdate(us []spUpdate) string {
	body, at := "", time.Time{}
	for _, u := range us {
		if body == "" || u.CreatedAt.After(at) {
			body, at = u.Body, u.CreatedAt
		}
	}
	return body
}
