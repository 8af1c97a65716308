package diagnostics

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/apuri-project/apuri/internal/words"
	"github.com/apuri-project/apuri/profile"
)

// Disruption is one known disruption from the organisation's status feed: the answer to the
// support guide's "do colleagues have the same problem?" before anyone has to ask.
type Disruption struct {
	Title string `json:"title"`
	// URL is the bulletin to follow.
	URL string `json:"url,omitempty"`
	// Status and Impact are as the feed writes them ("investigating", "major"); empty when the
	// feed has no such field.
	Status string `json:"status,omitempty"`
	Impact string `json:"impact,omitempty"`
	// Components are the services the feed names as affected.
	Components []string `json:"components,omitempty"`
	// Body is the latest update as plain text, shortened.
	Body    string    `json:"body,omitempty"`
	Started time.Time `json:"started,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
	// Detected is set when no one wrote the disruption: the organisation's monitoring saw
	// many computers at this site lose their connection (docs/fleet.md).
	Detected *Detection `json:"detected,omitempty"`
}

// Detection is what the organisation's monitoring saw: how many computers at a site had the
// same problem, and its cause as their verdicts named it.
type Detection struct {
	Site     string `json:"site"`
	Cause    Cause  `json:"cause"`
	Affected int    `json:"affected"`
}

// causesNamingAService are the causes whose headline names a service, which a detection
// cannot: its computers may each have lost another.
var causesNamingAService = map[Cause]bool{CauseServiceDown: true, CausePathMTU: true}

// Heading is what a list or a notification calls the disruption: its title, or for one
// detected automatically, the problem and how many computers at the site have it, in the
// reader's language.
func (d Disruption) Heading(tr Translator) string {
	if d.Detected == nil {
		return d.Title
	}
	problem := tr.T("disruption.detected.problem", nil)
	if key := "tray.cause." + string(d.Detected.Cause); d.Detected.Cause != "" && !causesNamingAService[d.Detected.Cause] {
		if s := tr.T(key, nil); s != key {
			problem = s
		}
	}
	return tr.T("disruption.detected.heading", map[string]any{"problem": problem, "count": d.Detected.Affected})
}

// adviceKnownDisruption replaces asking colleagues and calling: support already knows.
const adviceKnownDisruption = "advice.follow_disruption"

// NoteDisruptions records the known disruptions in the report and, when one of them matches
// what failed — a service by its name or host, the VPN by name —, says so in the verdict: the
// problem is known and being worked on, so the advice is to follow the bulletin rather than
// to ask around or file a request. Calling it again with a new list replaces the old one.
func (r *Report) NoteDisruptions(list []Disruption, p *profile.Profile) {
	r.Disruptions = slices.Clone(list)
	r.Verdict.Disruption = nil
	r.Verdict.AdviceKeys = verdictAdvice(r.Verdict)
	if r.Verdict.Status != StatusFail && r.Verdict.Status != StatusWarn {
		return
	}
	for _, d := range list {
		if r.disruptionMatches(d, p) {
			d := d
			r.Verdict.Disruption = &d
			break
		}
	}
	if r.Verdict.Disruption == nil {
		return
	}
	advice := []string{adviceKnownDisruption}
	for _, k := range r.Verdict.AdviceKeys {
		if k != "advice.ask_colleagues" && k != "advice.call_if_urgent" {
			advice = append(advice, k)
		}
	}
	r.Verdict.AdviceKeys = advice
}

// disruptionMatches says whether d is about a check that shows the verdict's cause.
func (r *Report) disruptionMatches(d Disruption, p *profile.Profile) bool {
	if d.Detected != nil {
		// The computers' own verdicts named the cause: the same one explains this verdict.
		return d.Detected.Cause != "" && d.Detected.Cause == r.Verdict.Cause
	}
	if r.Verdict.Cause == CauseVPNMTU && d.mentions("VPN") {
		return true // the evidence is a service, the fault the VPN's
	}
	for _, id := range r.Verdict.Evidence {
		switch {
		case strings.HasPrefix(id, ServicePrefix):
			name := strings.TrimPrefix(id, ServicePrefix)
			if d.concerns(serviceWords(p, name), serviceHost(p, name)) {
				return true
			}
		case id == IDVPNTunnel || id == IDVPNInternal:
			if d.mentions("VPN") {
				return true
			}
		}
	}
	return false
}

// DisruptionFor is the known disruption that concerns the profile's service called name, nil
// when none does: the user may name a service that works from here but not for them.
func (r *Report) DisruptionFor(name string, p *profile.Profile) *Disruption {
	if name == "" {
		return nil
	}
	names, host := serviceWords(p, name), serviceHost(p, name)
	for _, d := range r.Disruptions {
		if d.concerns(names, host) {
			return &d
		}
	}
	return nil
}

// serviceWords are the names people may use for the profile's service called name: the name
// and its titles, since a bulletin speaks of the service as people know it.
func serviceWords(p *profile.Profile, name string) []string {
	if p != nil {
		if s, ok := p.ServiceByName(name); ok {
			return s.Words()
		}
	}
	return []string{name}
}

// serviceHost is the host name of the profile's service called name, "" when unknown.
func serviceHost(p *profile.Profile, name string) string {
	if p == nil {
		return ""
	}
	for _, s := range p.Services {
		if s.Name == name {
			if u, err := url.Parse(s.URL); err == nil {
				return u.Hostname()
			}
		}
	}
	return ""
}

// concerns says whether d is about the service known by names at host: any of them named in it.
func (d Disruption) concerns(names []string, host string) bool {
	return slices.ContainsFunc(names, d.mentions) || d.mentionsHost(host)
}

// texts are what a disruption says about itself, the affected components first.
func (d Disruption) texts() []string {
	return append(slices.Clone(d.Components), d.Title, d.Body)
}

// mentions finds name as a whole word (so "TOP" is not found in "stop"), ignoring case.
func (d Disruption) mentions(name string) bool {
	if name == "" {
		return false
	}
	for _, t := range d.texts() {
		if words.Contains(t, name) {
			return true
		}
	}
	return false
}

// mentionsHost finds the service's host name in the disruption, ignoring case.
func (d Disruption) mentionsHost(host string) bool {
	if host == "" {
		return false
	}
	host = strings.ToLower(host)
	for _, t := range d.texts() {
		if strings.Contains(strings.ToLower(t), host) {
			return true
		}
	}
	return false
}
