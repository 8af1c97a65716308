// Package profile holds the organisation profile: which portals, phone numbers, VPN, hosts and
// services an organisation has. IT deploys it as a TOML file; contact details are internal to each
// organisation, so they always come from a profile and never from code.
package profile

import (
	"fmt"
	"regexp"
	"time"
)

// Schema is the only profile schema version this build understands.
const Schema = 1

// Profile is the effective organisation profile. Field names mirror the TOML keys (docs/profile.md).
type Profile struct {
	Schema       int           `toml:"schema"`
	Organisation Organisation  `toml:"organisation"`
	Support      Support       `toml:"support"`
	Links        []Link        `toml:"links"`
	Network      Network       `toml:"network"`
	VPN          VPN           `toml:"vpn"`
	Services     []Service     `toml:"services"`
	Checks       []CustomCheck `toml:"checks"`
	Thresholds   Thresholds    `toml:"thresholds"`
	Timeouts     Timeouts      `toml:"timeouts"`
	Monitor      Monitor       `toml:"monitor"`
	Request      Request       `toml:"request"`
	Disruptions  Disruptions   `toml:"disruptions"`
	Privacy      Privacy       `toml:"privacy"`
	Fleet        Fleet         `toml:"fleet"`
}

// Organisation names who the profile belongs to.
type Organisation struct {
	Name string `toml:"name"`
}

// Support says how the user reaches their user support.
type Support struct {
	PortalName      string `toml:"portal_name"`
	PortalURL       string `toml:"portal_url"`
	NewRequestURL   string `toml:"new_request_url"` // template: {summary} {description} {category} {bundle}
	InstructionsURL string `toml:"instructions_url"`
	PasswordURL     string `toml:"password_url"` // where the user changes their password
	Phone           string `toml:"phone"`
	PhoneHours      string `toml:"phone_hours"`
	Email           string `toml:"email"`
	FeedbackDays    int    `toml:"feedback_days"`
}

// Link is a portal or service the user may want to open from the tray (TOP, Tokka, Joiku, eOppiva…).
type Link struct {
	Name  string `toml:"name"`
	Title Title  `toml:"title"` // what the menu says, per language; the name when there is none
	URL   string `toml:"url"`
}

// Network configures the connectivity probes.
type Network struct {
	DNSNames       []string `toml:"dns_names"`
	InternetURL    string   `toml:"internet_url"`
	InternetExpect string   `toml:"internet_expect"` // substring of the body that proves the real internet answered
	InternetStatus int      `toml:"internet_status"` // or the status code that proves it
}

// VPN configures the secure remote access checks.
type VPN struct {
	Required      bool     `toml:"required"`
	Interfaces    []string `toml:"interfaces"`     // glob patterns: "tun*", "wg*"
	InternalHosts []string `toml:"internal_hosts"` // "host:port", reachable only through the tunnel
}

// Service is one of the organisation's own services to check.
type Service struct {
	Name            string `toml:"name"`  // the ID: service.NAME in the JSON report and the logs
	Title           Title  `toml:"title"` // what people call it, per language (Titles)
	URL             string `toml:"url"`
	ViaVPN          bool   `toml:"via_vpn"`
	LogoutURL       string `toml:"logout_url"`
	InstructionsURL string `toml:"instructions_url"`
}

// Thresholds decide when a measured value becomes a warning.
type Thresholds struct {
	UptimeDays        int     `toml:"uptime_days"`
	DiskFreePercent   float64 `toml:"disk_free_percent"`
	MemoryUsedPercent float64 `toml:"memory_used_percent"`
	CPUBusyPercent    float64 `toml:"cpu_busy_percent"`
	ClockSkewS        float64 `toml:"clock_skew_s"`
	LatencyMS         int     `toml:"latency_ms"`   // a probe slower than this is degraded
	LossPercent       float64 `toml:"loss_percent"` // packet loss above this is degraded
	CertExpiryDays    int     `toml:"cert_expiry_days"`
	UpdatesDays       int     `toml:"updates_days"`       // waiting updates older than this warn
	PasswordWarnDays  int     `toml:"password_warn_days"` // warn this many days before the password expires
}

// Timeouts bound how long a diagnosis may take.
type Timeouts struct {
	Check Duration `toml:"check"`
	Total Duration `toml:"total"`
}

// Monitor configures the connectivity watcher.
type Monitor struct {
	Enabled  bool     `toml:"enabled"`
	Interval Duration `toml:"interval"`
}

// Request says where support requests go.
type Request struct {
	Channel string     `toml:"channel"` // portal | email | webhook | rt
	Webhook WebhookCfg `toml:"webhook"`
	RT      RTCfg      `toml:"rt"`
}

// WebhookCfg is the webhook channel; its token lives in the OS keyring.
type WebhookCfg struct {
	URL string `toml:"url"`
}

// RTCfg is the Request Tracker channel; its token or credentials live in the OS keyring.
type RTCfg struct {
	URL   string `toml:"url"`
	Queue string `toml:"queue"`
}

// Disruptions points at the feed of known disruptions: Statuspage v2 JSON, RSS 2.0 or Atom.
type Disruptions struct {
	FeedURL string `toml:"feed_url"`
	// Refresh is how often the agent reads the feed again.
	Refresh Duration `toml:"refresh"`
	// Timeout bounds one reading of the feed; a slow feed never delays a diagnosis.
	Timeout Duration `toml:"timeout"`
	// MaxAge is how long an RSS or Atom item counts as current: those formats have no
	// "resolved" state, so an item older than this is taken as over.
	MaxAge Duration `toml:"max_age"`
	// AlertmanagerURL is the organisation's Alertmanager: its ApuriSiteDisruption alerts for
	// this computer's site are read beside the feed, so a disruption many computers report
	// shows without anyone writing a bulletin (docs/fleet.md).
	AlertmanagerURL string `toml:"alertmanager_url"`
}

// Fleet turns on the opt-in export of connectivity events to the organisation's
// OpenTelemetry collector (docs/fleet.md). Without OTLPEndpoint nothing is sent.
type Fleet struct {
	// OTLPEndpoint is the collector's OTLP/HTTP base address; /v1/logs and /v1/metrics follow it.
	OTLPEndpoint string `toml:"otlp_endpoint"`
	// Site names where the computer is, or SiteAuto for the DNS search domain under one of
	// SiteDomains ("other" elsewhere).
	Site        string   `toml:"site"`
	SiteDomains []string `toml:"site_domains"`
	// Interval is how often the metrics are sent and the events' records at the latest.
	Interval Duration `toml:"interval"`
}

// SiteAuto is [fleet] site when the site is the network's DNS search domain.
const SiteAuto = "auto"

// Enabled says whether the profile asks for the export at all.
func (f Fleet) Enabled() bool { return f.OTLPEndpoint != "" }

// Privacy is the organisation's own rules for what the support bundle removes, on top of
// Apuri's own.
type Privacy struct {
	// RedactPatterns are Go regular expressions (RE2 syntax): every match is removed. With a
	// capture group, only the first group's text is. Checked by `apuri profile check`.
	RedactPatterns []string `toml:"redact_patterns"`
	// KeepHosts are host names never pseudonymised ("*.example.fi" for a whole domain),
	// besides those the profile's own addresses name.
	KeepHosts []string `toml:"keep_hosts"`
	// IPAddresses says what becomes of an IP address: IPPseudonymise (ip-1, stable within a
	// bundle) or IPDrop ([ip]).
	IPAddresses string `toml:"ip_addresses"`
}

// What Privacy.IPAddresses may say.
const (
	IPPseudonymise = "pseudonymise"
	IPDrop         = "drop"
)

// IPModes lists the values of privacy.ip_addresses.
var IPModes = []string{IPPseudonymise, IPDrop}

// Patterns compiles RedactPatterns; a validated profile's always compile.
func (p Privacy) Patterns() ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(p.RedactPatterns))
	for i, expr := range p.RedactPatterns {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("privacy.redact_patterns[%d]: %w", i, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// Duration is a time.Duration written as "2s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText reads a Go duration such as "2s" or "1m30s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"2s\"", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration back as "2s", so a profile survives a round trip.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
