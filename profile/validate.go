package profile

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"path"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"

	"github.com/apuri-project/apuri/internal/safetext"
)

// Request channels.
const (
	ChannelPortal  = "portal"  // the user files the request in the service portal, pre-filled by new_request_url
	ChannelEmail   = "email"   // to support.email
	ChannelWebhook = "webhook" // POST to request.webhook.url
	ChannelRT      = "rt"      // a ticket in Request Tracker
)

// Channels lists the request channels a profile may name.
var Channels = []string{ChannelPortal, ChannelEmail, ChannelWebhook, ChannelRT}

// RequestPlaceholders are what support.new_request_url may contain, filled URL-escaped.
var RequestPlaceholders = []string{"{summary}", "{description}", "{category}", "{bundle}"}

// Validate checks a profile's values, for instance one built in code. It fills no defaults,
// and its problems have no lines.
func (p *Profile) Validate() error {
	if probs := validate("", p, nil); len(probs) > 0 {
		return probs
	}
	return nil
}

// ServiceByName finds a service by its name, the suffix of its check ID.
func (p *Profile) ServiceByName(name string) (Service, bool) {
	for _, s := range p.Services {
		if s.Name == name {
			return s, true
		}
	}
	return Service{}, false
}

// HasSupportContacts reports whether the profile tells the user how to reach support. Until IT
// deploys a profile it does not, and the UI says the contacts are on the organisation's intranet.
func (p *Profile) HasSupportContacts() bool {
	s := p.Support
	return s.PortalURL != "" || s.NewRequestURL != "" || s.Phone != "" || s.Email != ""
}

type validator struct {
	file  string
	idx   *index
	probs Errors
}

func (v *validator) add(key, code string, args map[string]any) {
	v.probs = append(v.probs, Problem{File: v.file, Line: v.idx.line(key), Key: key, Code: code, Args: args})
}

func validate(file string, p *Profile, idx *index) Errors {
	v := &validator{file: file, idx: idx}
	if p.Schema != Schema {
		if p.Schema == 0 && !idx.has("schema") {
			v.add("schema", CodeRequired, nil)
		} else {
			v.add("schema", CodeSchema, map[string]any{"value": p.Schema, "want": Schema})
		}
	}

	s := p.Support
	v.webURL("support.portal_url", s.PortalURL, false)
	v.requestURL("support.new_request_url", s.NewRequestURL)
	v.webURL("support.instructions_url", s.InstructionsURL, false)
	v.webURL("support.password_url", s.PasswordURL, false)
	if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			v.add("support.email", CodeBadEmail, map[string]any{"value": shown(s.Email)})
		}
	}
	v.inRange("support.feedback_days", float64(s.FeedbackDays), 1, 60)

	for i, l := range p.Links {
		key := fmt.Sprintf("links[%d]", i)
		v.required(key+".name", l.Name)
		v.title(key+".title", l.Title)
		v.webURL(key+".url", l.URL, true)
	}

	n := p.Network
	for i, name := range n.DNSNames {
		if !isHostName(name) {
			v.add(fmt.Sprintf("network.dns_names[%d]", i), CodeBadHostName, map[string]any{"value": shown(name)})
		}
	}
	switch {
	case n.InternetURL != "":
		v.webURL("network.internet_url", n.InternetURL, true)
		if n.InternetExpect == "" && n.InternetStatus == 0 {
			v.add("network.internet_url", CodeInternetNeedsProof, nil)
		}
	case n.InternetExpect != "":
		v.add("network.internet_expect", CodeInternetNeedsURL, nil)
	case n.InternetStatus != 0:
		v.add("network.internet_status", CodeInternetNeedsURL, nil)
	}
	if n.InternetStatus != 0 {
		v.inRange("network.internet_status", float64(n.InternetStatus), 100, 599)
	}

	for i, pat := range p.VPN.Interfaces {
		key := fmt.Sprintf("vpn.interfaces[%d]", i)
		if _, err := path.Match(pat, ""); pat == "" {
			v.add(key, CodeRequired, nil)
		} else if err != nil {
			v.add(key, CodeBadPattern, map[string]any{"value": shown(pat)})
		}
	}
	for i, hp := range p.VPN.InternalHosts {
		if !isHostPort(hp) {
			v.add(fmt.Sprintf("vpn.internal_hosts[%d]", i), CodeBadHostPort, map[string]any{"value": shown(hp)})
		}
	}

	first := map[string]int{}
	for i, svc := range p.Services {
		key := fmt.Sprintf("services[%d]", i)
		if v.required(key+".name", svc.Name) {
			if !serviceName.MatchString(svc.Name) {
				v.add(key+".name", CodeBadServiceName, map[string]any{"value": shown(svc.Name)})
			} else if j, dup := first[svc.Name]; dup {
				v.add(key+".name", CodeDuplicateService,
					map[string]any{"value": svc.Name, "first": fmt.Sprintf("services[%d]", j)})
			} else {
				first[svc.Name] = i
			}
		}
		v.title(key+".title", svc.Title)
		v.webURL(key+".url", svc.URL, true)
		v.webURL(key+".logout_url", svc.LogoutURL, false)
		v.webURL(key+".instructions_url", svc.InstructionsURL, false)
	}

	v.checks(p)

	t := p.Thresholds
	v.inRange("thresholds.uptime_days", float64(t.UptimeDays), 1, 365)
	v.inRange("thresholds.disk_free_percent", t.DiskFreePercent, 1, 99)
	v.inRange("thresholds.memory_used_percent", t.MemoryUsedPercent, 1, 100)
	v.inRange("thresholds.cpu_busy_percent", t.CPUBusyPercent, 1, 100)
	v.inRange("thresholds.clock_skew_s", t.ClockSkewS, 1, 86400)
	v.inRange("thresholds.latency_ms", float64(t.LatencyMS), 1, 60000)
	v.inRange("thresholds.loss_percent", t.LossPercent, 0, 100)
	v.inRange("thresholds.cert_expiry_days", float64(t.CertExpiryDays), 0, 365)
	v.inRange("thresholds.updates_days", float64(t.UpdatesDays), 1, 365)
	v.inRange("thresholds.password_warn_days", float64(t.PasswordWarnDays), 0, 365)

	check, total := p.Timeouts.Check.Duration, p.Timeouts.Total.Duration
	okCheck, okTotal := v.positive("timeouts.check", check), v.positive("timeouts.total", total)
	if okCheck && okTotal && check > total {
		v.add("timeouts.check", CodeCheckOverTotal, map[string]any{"check": check.String(), "total": total.String()})
	}
	v.durationIn("monitor.interval", p.Monitor.Interval.Duration, 5*time.Second, 24*time.Hour)
	d := p.Disruptions
	v.durationIn("disruptions.refresh", d.Refresh.Duration, time.Minute, 24*time.Hour)
	v.durationIn("disruptions.timeout", d.Timeout.Duration, time.Second, time.Minute)
	v.durationIn("disruptions.max_age", d.MaxAge.Duration, time.Hour, 30*24*time.Hour)

	r := p.Request
	needs := func(what, value string) {
		if value == "" {
			v.add("request.channel", CodeChannelNeeds, map[string]any{"channel": r.Channel, "need": what})
		}
	}
	switch r.Channel {
	case ChannelPortal:
	case ChannelEmail:
		needs("support.email", s.Email)
	case ChannelWebhook:
		needs("request.webhook.url", r.Webhook.URL)
	case ChannelRT:
		needs("request.rt.url", r.RT.URL)
		needs("request.rt.queue", r.RT.Queue)
	default:
		v.add("request.channel", CodeUnknownChannel,
			map[string]any{"value": shown(r.Channel), "known": strings.Join(Channels, ", ")})
	}
	v.webURL("request.webhook.url", r.Webhook.URL, false)
	v.webURL("request.rt.url", r.RT.URL, false)
	v.webURL("disruptions.feed_url", p.Disruptions.FeedURL, false)
	v.webURL("disruptions.alertmanager_url", p.Disruptions.AlertmanagerURL, false)
	v.privacy(p.Privacy)
	v.fleet(p.Fleet)
	if p.Disruptions.AlertmanagerURL != "" && p.Fleet.Site == "" && !p.Fleet.Enabled() {
		// The alerts are per site: without one there is nothing to ask for.
		v.add("fleet.site", CodeRequired, nil)
	}
	return v.probs
}

// siteName is what a [fleet] site may be: a label fit for a metric's attribute and an alert.
var siteName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// fleet checks the export's settings; the site is needed once an endpoint is, since the
// organisation's alerts are per site.
func (v *validator) fleet(f Fleet) {
	v.webURL("fleet.otlp_endpoint", f.OTLPEndpoint, false)
	v.durationIn("fleet.interval", f.Interval.Duration, 10*time.Second, time.Hour)
	if f.Site != "" && f.Site != SiteAuto && !siteName.MatchString(f.Site) {
		v.add("fleet.site", CodeBadSite, map[string]any{"value": shown(f.Site)})
	}
	if f.Enabled() && f.Site == "" {
		v.add("fleet.site", CodeRequired, nil)
	}
	if f.Site == SiteAuto && len(f.SiteDomains) == 0 {
		v.add("fleet.site_domains", CodeRequired, nil)
	}
	for i, d := range f.SiteDomains {
		if !isHostName(d) {
			v.add(fmt.Sprintf("fleet.site_domains[%d]", i), CodeBadHostName, map[string]any{"value": shown(d)})
		}
	}
}

// privacy checks the organisation's redaction rules: a pattern that does not compile would
// leave its secrets in every bundle, and one that matches the empty string would blank
// everything between every two characters.
func (v *validator) privacy(pr Privacy) {
	for i, expr := range pr.RedactPatterns {
		key := fmt.Sprintf("privacy.redact_patterns[%d]", i)
		re, err := regexp.Compile(expr)
		switch {
		case err != nil:
			v.add(key, CodeBadRegexp, map[string]any{"value": shown(expr), "error": shown(regexpError(err))})
		case re.MatchString(""):
			v.add(key, CodeRegexpMatchesEmpty, map[string]any{"value": shown(expr)})
		}
	}
	for i, h := range pr.KeepHosts {
		if !isHostName(strings.TrimPrefix(h, "*.")) && net.ParseIP(h) == nil {
			v.add(fmt.Sprintf("privacy.keep_hosts[%d]", i), CodeBadHostName, map[string]any{"value": shown(h)})
		}
	}
	if pr.IPAddresses != IPPseudonymise && pr.IPAddresses != IPDrop {
		v.add("privacy.ip_addresses", CodeUnknownChoice,
			map[string]any{"value": shown(pr.IPAddresses), "known": strings.Join(IPModes, ", ")})
	}
}

// regexpError is the reason a pattern does not compile, without Go's "error parsing regexp: ".
func regexpError(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		if se.Expr != "" {
			return string(se.Code) + ": " + se.Expr
		}
		return string(se.Code)
	}
	return err.Error()
}

// durationIn reports a duration outside [lo, hi].
func (v *validator) durationIn(key string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		v.add(key, CodeOutOfRange, map[string]any{"value": d.String(), "min": lo.String(), "max": hi.String()})
	}
}

// required reports a missing value; it returns whether the value is there.
func (v *validator) required(key, value string) bool {
	if value == "" {
		v.add(key, CodeRequired, nil)
		return false
	}
	return true
}

// title checks the title of a service or a link: a title written must say something, and each
// of its texts must fit a menu item on one line.
func (v *validator) title(key string, t Title) {
	if t.IsZero() {
		if v.idx.has(key) {
			v.add(key, CodeRequired, nil)
		}
		return
	}
	for _, s := range t.texts() {
		if badTitle(s) {
			v.add(key, CodeBadTitle, map[string]any{"value": shown(s), "max": maxTitle})
			return
		}
	}
}

// webURL accepts an absolute http or https address: the UI opens it in a browser, and the
// checks fetch it. Credentials never belong in a profile; tokens live in the keyring.
func (v *validator) webURL(key, s string, required bool) {
	if s == "" {
		if required {
			v.add(key, CodeRequired, nil)
		}
		return
	}
	u, err := url.Parse(s)
	// An address that would read differently from what it is (a bidi override, a control
	// character) is no address to show the user or open.
	if err != nil || !safetext.Clean(s) || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) ||
		u.Opaque != "" || u.Hostname() == "" {
		v.add(key, CodeNotWebURL, map[string]any{"value": shown(s)})
		return
	}
	if u.User != nil {
		v.add(key, CodeURLCredentials, nil)
	}
}

var placeholder = regexp.MustCompile(`\{[^{}]*\}`)

// requestURL checks the new-request template: a web address once its placeholders are filled.
func (v *validator) requestURL(key, tmpl string) {
	unknown := false
	filled := placeholder.ReplaceAllStringFunc(tmpl, func(ph string) string {
		for _, known := range RequestPlaceholders {
			if ph == known {
				return "x"
			}
		}
		if !unknown {
			unknown = true
			v.add(key, CodeUnknownPlaceholder,
				map[string]any{"name": shown(ph), "known": strings.Join(RequestPlaceholders, " ")})
		}
		return "x"
	})
	if !unknown {
		v.webURL(key, filled, false)
	}
}

func (v *validator) inRange(key string, value, lo, hi float64) {
	if !(value >= lo && value <= hi) { // also catches NaN
		v.add(key, CodeOutOfRange, map[string]any{"value": value, "min": lo, "max": hi})
	}
}

func (v *validator) positive(key string, d time.Duration) bool {
	if d <= 0 {
		v.add(key, CodeNotPositive, map[string]any{"value": d.String()})
		return false
	}
	return true
}

// serviceName is what may follow "service." in a check ID.
var serviceName = regexp.MustCompile(`^[a-z0-9_-]+$`)

var hostLabel = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$`)

// isHostName accepts a DNS name such as "intra.example.fi" (a final dot is fine).
func isHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if !hostLabel.MatchString(label) {
			return false
		}
	}
	return true
}

// isHostPort accepts "host:port" and "[ipv6]:port" with a port from 1 to 65535.
func isHostPort(s string) bool {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return false
	}
	return net.ParseIP(host) != nil || isHostName(host)
}
