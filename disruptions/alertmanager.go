package disruptions

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
)

// Reading the organisation's Alertmanager (GET /api/v2/alerts): its ApuriSiteDisruption alerts
// are what many computers at one site reported, and become known disruptions that no one had
// to write (docs/fleet.md).

// AlertName is the alert the organisation's rules raise for a site.
const AlertName = "ApuriSiteDisruption"

// AlertmanagerURL is where the alerts of one site are asked for: only firing ones, neither
// silenced nor inhibited (an administrator who silenced an alert does not want it shown).
func AlertmanagerURL(base, site string) string {
	q := url.Values{}
	q.Set("active", "true")
	q.Set("silenced", "false")
	q.Set("inhibited", "false")
	q.Add("filter", `alertname="`+AlertName+`"`)
	q.Add("filter", `apuri_site="`+site+`"`)
	return strings.TrimRight(base, "/") + "/api/v2/alerts?" + q.Encode()
}

// alert is the part of Alertmanager's v2 gettableAlert that matters here.
type alert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	UpdatedAt   time.Time         `json:"updatedAt"`
	Status      struct {
		State string `json:"state"` // unprocessed, active or suppressed
	} `json:"status"`
}

// parseAlertmanager reads the alerts and keeps the firing ApuriSiteDisruption ones of site:
// the query asks for only those, but a proxy or an older Alertmanager may ignore the filter.
func parseAlertmanager(data []byte, site string) ([]diagnostics.Disruption, error) {
	var alerts []alert
	if err := json.Unmarshal(data, &alerts); err != nil {
		return nil, malformed("Alertmanager", err)
	}
	var out []diagnostics.Disruption
	for _, a := range alerts {
		if a.Labels["alertname"] != AlertName || a.Labels["apuri_site"] != site || a.Status.State == "suppressed" {
			continue
		}
		// Prometheus writes the alert's value as a float: "14", or "1.4e+06" for a large one.
		affected, err := strconv.ParseFloat(strings.TrimSpace(a.Annotations["affected"]), 64)
		if err != nil || math.IsNaN(affected) {
			affected = 0
		}
		d := diagnostics.Disruption{
			Title: a.Annotations["summary"], Body: a.Annotations["description"],
			URL: a.Annotations["bulletin_url"], Started: a.StartsAt, Updated: a.UpdatedAt,
			Detected: &diagnostics.Detection{Site: site, Cause: diagnostics.Cause(safeText(a.Labels["apuri_cause"])),
				Affected: int(max(min(affected, 1e6), 0))},
		}
		if d.Title == "" {
			// The windows show Heading; this is for a reader of the JSON report only.
			d.Title = AlertName + " " + site + " " + string(d.Detected.Cause)
		}
		out = append(out, d)
	}
	return out, nil
}
