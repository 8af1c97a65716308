package support

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	toml "github.com/pelletier/go-toml/v2"
)

// BundleFormat identifies the bundle's layout in its MANIFEST.
const BundleFormat = "apuri.bundle/v1"

// The files of a bundle.
const (
	FileManifest   = "MANIFEST"
	FileReportJSON = "report.json"
	FileReportText = "report.txt"
	FileSystem     = "system.txt"
	FileProfile    = "profile.toml"
	FileLog        = "log.txt"
	FileTimeline   = "timeline.json"
)

// Bounds on what the bundle takes from each source, so that a long-running agent's history
// cannot make it large: support reads the most recent part.
const (
	maxLogBytes      = 64 << 10
	maxTimelineBytes = 64 << 10
)

// BundleInput is what a bundle is made of. Only Report is required.
type BundleInput struct {
	Report *diagnostics.Report
	// Profile is the profile in use: it goes into the bundle, and the host names and addresses
	// it names are kept (they are the organisation's own, and support needs to see them).
	Profile *profile.Profile
	// ProfileSource says where the profile came from ("user", "system", "embedded", a path).
	ProfileSource string
	// Lang is the language of report.txt; default English.
	Lang string
	// Timeline returns the recent connectivity changes (JSON, or JSON lines); nil or an empty
	// answer leaves the file out.
	Timeline func() ([]byte, error)
	// Logs returns recent log lines of the program; the checks' own log lines are added.
	Logs func() ([]byte, error)
	// Identity is redacted wherever it appears; default OSIdentity().
	Identity *Identity
	// Getenv reads the environment (proxy settings, desktop); default os.Getenv.
	Getenv func(string) string
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Version is written into the MANIFEST; default program.Version, this build's.
	Version string
}

// BundleFile is one file of a bundle, as the preview shows it.
type BundleFile struct {
	Name   string `json:"name"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
	// Redactions counts what was removed from this file, by kind.
	Redactions map[string]int `json:"redactions,omitempty"`
	// Text is the file's exact content, for the preview.
	Text string `json:"text"`
}

// Bundle is a built diagnostics bundle: the zip and what it holds.
type Bundle struct {
	Name    string       `json:"name"` // a file name for it: apuri-diagnostics-YYYYMMDD-HHMMSS.zip
	Created time.Time    `json:"created"`
	Files   []BundleFile `json:"files"`
	// Redactions counts every redaction in the bundle, by kind.
	Redactions map[string]int `json:"redactions"`
	// OrganisationRules counts the matches of each of the profile's own patterns, by index.
	OrganisationRules []int  `json:"organisation_rules,omitempty"`
	Data              []byte `json:"-"`
}

// Size is the zip's size in bytes.
func (b *Bundle) Size() int { return len(b.Data) }

// BuildBundle writes the redacted diagnostics bundle. Nothing unredacted is ever written:
// every file passes through one Redactor, so a host is host-1 in all of them.
func BuildBundle(in BundleInput) (*Bundle, error) {
	if in.Report == nil {
		return nil, fmt.Errorf("build bundle: no report")
	}
	now := time.Now
	if in.Now != nil {
		now = in.Now
	}
	getenv := os.Getenv
	if in.Getenv != nil {
		getenv = in.Getenv
	}
	id := OSIdentity
	if in.Identity != nil {
		fixed := *in.Identity
		id = func() Identity { return fixed }
	}
	version := in.Version
	if version == "" {
		version = program.Version
	}
	created := now().UTC().Truncate(time.Second)
	opts, err := ProfileRedactOptions(in.Profile, id())
	if err != nil {
		return nil, fmt.Errorf("build bundle: %w", err)
	}
	// Check IDs look like host names ("service.intranet", "vpn.internal"): they are Apuri's.
	for _, c := range in.Report.Checks {
		opts.Keep = append(opts.Keep, c.ID)
	}
	red := NewRedactor(opts)
	b := &Bundle{
		Name:    "apuri-diagnostics-" + created.Format("20060102-150405") + ".zip",
		Created: created,
	}
	add := func(name string, make func() (string, error)) error {
		before := red.Counts()
		text, err := make()
		if err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
		sum := sha256.Sum256([]byte(text))
		b.Files = append(b.Files, BundleFile{
			Name: name, Size: len(text), SHA256: hex.EncodeToString(sum[:]),
			Redactions: countsSince(before, red.Counts()), Text: text,
		})
		return nil
	}

	raw, err := json.Marshal(in.Report)
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	var redacted []byte
	if err := add(FileReportJSON, func() (string, error) {
		redacted, err = red.JSON(raw)
		return string(redacted), err
	}); err != nil {
		return nil, err
	}
	if err := add(FileReportText, func() (string, error) {
		var r diagnostics.Report
		if err := json.Unmarshal(redacted, &r); err != nil {
			return "", err
		}
		tr := i18n.New(in.Lang)
		r.Localize(tr)
		return red.String(r.Text(tr)), nil
	}); err != nil {
		return nil, err
	}
	if err := add(FileSystem, func() (string, error) {
		return red.String(systemText(version, in, getenv)), nil
	}); err != nil {
		return nil, err
	}
	if in.Profile != nil {
		if err := add(FileProfile, func() (string, error) {
			data, err := toml.Marshal(withoutPatterns(in.Profile))
			if err != nil {
				return "", err
			}
			return red.String(string(data)), nil
		}); err != nil {
			return nil, err
		}
	}
	if err := add(FileLog, func() (string, error) {
		return red.String(logText(in)), nil
	}); err != nil {
		return nil, err
	}
	if tl := read(in.Timeline, maxTimelineBytes); len(bytes.TrimSpace(tl)) > 0 {
		if err := add(FileTimeline, func() (string, error) { return redactTimeline(red, tl), nil }); err != nil {
			return nil, err
		}
	}
	b.Redactions = red.Counts()
	b.OrganisationRules = red.PatternCounts()
	manifest := manifestText(b, version, opts.DropIPs)
	b.Files = append(b.Files, BundleFile{Name: FileManifest, Size: len(manifest), Text: manifest})

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range b.Files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: created})
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.Name, err)
		}
		if _, err := w.Write([]byte(f.Text)); err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	b.Data = buf.Bytes()
	return b, nil
}

// ProfileHosts lists the host names and addresses a profile names: its services, portals,
// links, probes, internal hosts and request endpoints.
func ProfileHosts(p *profile.Profile) []string {
	if p == nil {
		return nil
	}
	urls := []string{p.Support.PortalURL, p.Support.NewRequestURL, p.Support.InstructionsURL,
		p.Network.InternetURL, p.Request.Webhook.URL, p.Request.RT.URL, p.Disruptions.FeedURL}
	for _, l := range p.Links {
		urls = append(urls, l.URL)
	}
	for _, s := range p.Services {
		urls = append(urls, s.URL, s.LogoutURL, s.InstructionsURL)
	}
	var checkHosts []string
	for _, c := range p.Checks {
		urls = append(urls, c.URL)
		if c.Name != "" {
			checkHosts = append(checkHosts, c.Name)
		}
		if h, _, err := net.SplitHostPort(c.Address); err == nil {
			checkHosts = append(checkHosts, h)
		}
	}
	var hosts []string
	for _, u := range urls {
		if h := urlHost(u); h != "" {
			hosts = append(hosts, h)
		}
	}
	hosts = append(hosts, p.Network.DNSNames...)
	hosts = append(hosts, checkHosts...)
	for _, hp := range p.VPN.InternalHosts {
		h := hp
		if i := strings.LastIndexByte(hp, ':'); i > 0 && !strings.HasSuffix(hp, "]") {
			h = hp[:i]
		}
		hosts = append(hosts, strings.Trim(h, "[]"))
	}
	if _, domain, ok := strings.Cut(p.Support.Email, "@"); ok && domain != "" {
		hosts = append(hosts, p.Support.Email, domain)
	}
	return hosts
}

// urlHost is the host of a URL (or URL template), without port or brackets.
func urlHost(raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if strings.HasPrefix(rest, "[") {
		if i := strings.IndexByte(rest, ']'); i > 0 {
			return rest[1:i]
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// countsSince is what was redacted between two snapshots of the counts.
func countsSince(before, after map[string]int) map[string]int {
	var out map[string]int
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			if out == nil {
				out = map[string]int{}
			}
			out[k] = d
		}
	}
	return out
}

// read calls a source, keeping only its last max bytes from a line start. A failing source
// is noted in its place rather than failing the bundle.
func read(src func() ([]byte, error), max int) []byte {
	if src == nil {
		return nil
	}
	data, err := src()
	if err != nil {
		return []byte(fmt.Sprintf("(unavailable: %v)\n", err))
	}
	if len(data) > max {
		data = data[len(data)-max:]
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		}
	}
	return data
}

// proxyVars are the environment variables that decide where web traffic goes; a proxy is a
// common reason why one machine fails where others work.
var proxyVars = []string{"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
	"http_proxy", "https_proxy", "all_proxy", "no_proxy"}

func systemText(version string, in BundleInput, getenv func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apuri: %s\n", version)
	fmt.Fprintf(&b, "os: %s/%s\n", runtime.GOOS, runtime.GOARCH)
	if in.Report != nil {
		fmt.Fprintf(&b, "platform: %s\n", in.Report.Host.Platform)
		fmt.Fprintf(&b, "uptime_s: %d\n", in.Report.Host.UptimeS)
	}
	if in.Lang != "" {
		fmt.Fprintf(&b, "language: %s\n", in.Lang)
	}
	if in.ProfileSource != "" {
		fmt.Fprintf(&b, "profile: %s\n", in.ProfileSource)
	}
	for _, k := range []string{"XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE", "LANG"} {
		if v := getenv(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", strings.ToLower(k), v)
		}
	}
	for _, k := range proxyVars {
		if v := getenv(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return b.String()
}

func logText(in BundleInput) string {
	var b strings.Builder
	for _, c := range in.Report.Checks {
		for _, line := range c.Log {
			fmt.Fprintf(&b, "%s: %s\n", c.ID, line)
		}
	}
	if logs := read(in.Logs, maxLogBytes); len(logs) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.Write(logs)
		if !bytes.HasSuffix(logs, []byte("\n")) {
			b.WriteString("\n")
		}
	}
	if b.Len() == 0 {
		return "(no log lines)\n"
	}
	return b.String()
}

// redactTimeline redacts a JSON document, or JSON lines one by one; anything else as text.
func redactTimeline(red *Redactor, data []byte) string {
	if json.Valid(data) {
		if out, err := red.JSON(data); err == nil {
			return string(out)
		}
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if json.Valid([]byte(line)) {
			if out, err := red.JSON([]byte(line)); err == nil {
				var compact bytes.Buffer
				if json.Compact(&compact, out) == nil {
					b.Write(compact.Bytes())
					b.WriteByte('\n')
					continue
				}
			}
		}
		b.WriteString(red.String(line))
		b.WriteByte('\n')
	}
	return b.String()
}

// withoutPatterns is the profile as the bundle shows it: the organisation's own patterns
// say what it considers secret, so they are named by number only, as in the MANIFEST.
func withoutPatterns(p *profile.Profile) *profile.Profile {
	if len(p.Privacy.RedactPatterns) == 0 {
		return p
	}
	shown := *p
	shown.Privacy.RedactPatterns = make([]string, len(p.Privacy.RedactPatterns))
	for i := range shown.Privacy.RedactPatterns {
		shown.Privacy.RedactPatterns[i] = fmt.Sprintf("(pattern %d)", i+1)
	}
	return &shown
}

// manifestText lists the files with their checksums and every rule of redaction with what it
// removed, the organisation's own patterns by number, not by content.
func manifestText(b *Bundle, version string, dropIPs bool) string {
	var s strings.Builder
	fmt.Fprintf(&s, "Apuri diagnostics bundle\nformat: %s\nversion: %s\ncreated: %s\n\n",
		BundleFormat, version, b.Created.Format(time.RFC3339))
	s.WriteString("files (sha256, bytes, name):\n")
	for _, f := range b.Files {
		fmt.Fprintf(&s, "%s  %d  %s\n", f.SHA256, f.Size, f.Name)
	}
	s.WriteString("\nredactions (rule: count), every rule applied to every file:\n")
	total := 0
	for _, k := range RedactKinds {
		fmt.Fprintf(&s, "%s: %d\n", k, b.Redactions[k])
		total += b.Redactions[k]
	}
	for i, n := range b.OrganisationRules {
		fmt.Fprintf(&s, "organisation rule %d: %d\n", i+1, n)
	}
	fmt.Fprintf(&s, "total: %d\n", total)
	ips := "pseudonyms (ip-1, ipv6-1)"
	if dropIPs {
		ips = "removed ([ip]), as the organisation's profile asks"
	}
	fmt.Fprintf(&s, "\nHost names are pseudonyms (host-1) that stay the same within this bundle; IP addresses\n"+
		"are %s. Kept as they are: names, addresses, the support e-mail address and phone\n"+
		"number the organisation profile lists, loopback, link-local and multicast addresses, netmasks,\n"+
		"paths, versions, certificate fingerprints and Apuri's check IDs.\n", ips)
	return s.String()
}
