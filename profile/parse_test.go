package profile_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/profile"
)

// TestBadFiles proves each kind of mistake is found and reported where it is: one problem per
// file, with its file, line, key and code.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file, key, code string
		line            int
	}{
		{"unknown_key", "support.phonee", profile.CodeUnknownKey, 3},
		{"unknown_table", "extras", profile.CodeUnknownKey, 3},
		{"unknown_service_key", "services[1].via_vpm", profile.CodeUnknownKey, 8},
		{"want_text", "organisation.name", profile.CodeWantText, 3},
		{"want_bool", "vpn.required", profile.CodeWantBool, 3},
		{"want_integer", "thresholds.uptime_days", profile.CodeWantInteger, 3},
		{"want_list", "network.dns_names", profile.CodeWantList, 3},
		{"want_table", "support", profile.CodeWantTable, 2},
		{"array_of_tables", "organisation", profile.CodeWantTable, 2},
		{"array_element_type", "vpn.interfaces[1]", profile.CodeWantText, 5},
		{"inline_table_type", "services[1].url", profile.CodeWantText, 4},
		{"bad_duration", "timeouts.check", profile.CodeBadDuration, 3},
		{"duration_number", "monitor.interval", profile.CodeBadDuration, 3},
		{"ftp_url", "services[1].url", profile.CodeNotWebURL, 9},
		{"mailto_url", "support.portal_url", profile.CodeNotWebURL, 3},
		{"relative_url", "links[0].url", profile.CodeNotWebURL, 4},
		{"url_credentials", "disruptions.feed_url", profile.CodeURLCredentials, 3},
		{"link_without_url", "links[0].url", profile.CodeRequired, 3},
		{"service_without_name", "services[0].name", profile.CodeRequired, 2},
		{"bad_service_name", "services[0].name", profile.CodeBadServiceName, 3},
		{"duplicate_service", "services[1].name", profile.CodeDuplicateService, 6},
		{"bad_pattern", "vpn.interfaces[0]", profile.CodeBadPattern, 3},
		{"bad_host_port", "vpn.internal_hosts[1]", profile.CodeBadHostPort, 3},
		{"bad_dns_name", "network.dns_names[0]", profile.CodeBadHostName, 3},
		{"threshold_range", "thresholds.disk_free_percent", profile.CodeOutOfRange, 3},
		{"negative_timeout", "timeouts.total", profile.CodeNotPositive, 3},
		{"check_over_total", "timeouts.check", profile.CodeCheckOverTotal, 3},
		{"interval_too_short", "monitor.interval", profile.CodeOutOfRange, 3},
		{"disruptions_refresh_too_often", "disruptions.refresh", profile.CodeOutOfRange, 3},
		{"disruptions_max_age_days", "disruptions.max_age", profile.CodeBadDuration, 3},
		{"unknown_channel", "request.channel", profile.CodeUnknownChannel, 3},
		{"webhook_without_url", "request.channel", profile.CodeChannelNeeds, 3},
		{"rt_without_queue", "request.channel", profile.CodeChannelNeeds, 3},
		{"email_without_address", "request.channel", profile.CodeChannelNeeds, 3},
		{"bad_email", "support.email", profile.CodeBadEmail, 3},
		{"schema_2", "schema", profile.CodeSchema, 1},
		{"schema_missing", "schema", profile.CodeRequired, 0},
		{"unknown_placeholder", "support.new_request_url", profile.CodeUnknownPlaceholder, 3},
		{"internet_without_proof", "network.internet_url", profile.CodeInternetNeedsProof, 3},
		{"expect_without_url", "network.internet_expect", profile.CodeInternetNeedsURL, 3},
		{"internet_status_range", "network.internet_status", profile.CodeOutOfRange, 4},
		{"feedback_days_zero", "support.feedback_days", profile.CodeOutOfRange, 3},
		{"duplicate_key", "support.phone", profile.CodeDuplicateKey, 4},
		{"syntax", "", profile.CodeSyntax, 3},
		{"title_number", "services[0].title", profile.CodeWantTitle, 4},
		{"title_list", "links[0].title", profile.CodeWantTitle, 5},
		{"title_empty", "services[0].title", profile.CodeRequired, 5},
		{"title_two_lines", "services[0].title", profile.CodeBadTitle, 5},
		{"title_bidi", "links[0].title", profile.CodeBadTitle, 4},
		{"title_language", "services[0].title.de", profile.CodeUnknownKey, 5},
		{"bad_regexp", "privacy.redact_patterns[1]", profile.CodeBadRegexp, 5},
		{"regexp_matches_empty", "privacy.redact_patterns[0]", profile.CodeRegexpMatchesEmpty, 3},
		{"bad_keep_host", "privacy.keep_hosts[1]", profile.CodeBadHostName, 3},
		{"ip_addresses_unknown", "privacy.ip_addresses", profile.CodeUnknownChoice, 3},
		{"bidi_url", "support.portal_url", profile.CodeNotWebURL, 3},
		{"check_bad_id", "checks[0].id", profile.CodeBadCheckID, 4},
		{"check_duplicate_id", "checks[1].id", profile.CodeDuplicateCheck, 10},
		{"check_without_title", "checks[0].title", profile.CodeRequired, 3},
		{"check_unknown_kind", "checks[0].kind", profile.CodeUnknownChoice, 6},
		{"check_http_without_url", "checks[0].url", profile.CodeRequired, 3},
		{"check_bad_expect_address", "checks[0].expect_address", profile.CodeBadIP, 8},
		{"check_relative_path", "checks[0].path", profile.CodeNotAbsolute, 7},
		{"check_bad_registry_key", "checks[0].key", profile.CodeBadRegistryKey, 7},
		{"check_key_of_other_kind", "checks[0].url", profile.CodeKeyNotForKind, 8},
		{"check_sudo", "checks[0].run", profile.CodeBadCommand + ".elevates", 7},
		{"check_inline_shell", "checks[0].run", profile.CodeBadCommand + ".inline_shell", 7},
		{"check_relative_program", "checks[0].run", profile.CodeBadCommand + ".relative", 7},
		{"check_fix_runas", "checks[0].fix", profile.CodeBadCommand + ".elevates", 8},
		{"check_control_argument", "checks[0].run", profile.CodeBadCommand + ".control", 7},
		{"check_advice_too_long", "checks[0].advice", profile.CodeBadAdvice, 8},
		{"check_bad_severity", "checks[0].severity", profile.CodeUnknownChoice, 8},
		{"check_timeout_too_long", "checks[0].timeout", profile.CodeOutOfRange, 8},
		{"check_timeout_over_total", "checks[0].timeout", profile.CodeCheckOverTotal, 11},
		{"fleet_bad_site", "fleet.site", profile.CodeBadSite, 4},
		{"fleet_no_site", "fleet.site", profile.CodeRequired, 2},
		{"fleet_auto_no_domains", "fleet.site_domains", profile.CodeRequired, 2},
		{"fleet_bad_domain", "fleet.site_domains[1]", profile.CodeBadHostName, 4},
		{"fleet_interval", "fleet.interval", profile.CodeOutOfRange, 3},
		{"fleet_endpoint", "fleet.otlp_endpoint", profile.CodeNotWebURL, 3},
		{"alertmanager_no_site", "fleet.site", profile.CodeRequired, 0},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tt.file+".toml")
			seen[path] = true
			p, err := profile.Load(path)
			if p != nil {
				t.Errorf("Load returned a profile along with %v", err)
			}
			var errs profile.Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("want exactly one problem, got %v", err)
			}
			got := errs[0]
			if got.File != path || got.Line != tt.line || got.Key != tt.key || got.Code != tt.code {
				t.Errorf("got %s:%d %s %s, want %s:%d %s %s (%v)",
					got.File, got.Line, got.Key, got.Code, path, tt.line, tt.key, tt.code, got)
			}
			// A problem in [[checks]] names its check, once the check has a usable ID.
			if wantCheck := strings.HasPrefix(tt.key, "checks[") && tt.code != profile.CodeBadCheckID; wantCheck != (got.Check != "") {
				t.Errorf("the problem names the check %q", got.Check)
			}
			renderAll(t, got)
		})
	}
	all, _ := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	for _, f := range all {
		if !seen[f] {
			t.Errorf("%s has no test case", f)
		}
	}
}

// renderAll renders a problem in every language with exactly the arguments it carries.
func renderAll(t *testing.T, p profile.Problem) {
	t.Helper()
	for _, lang := range []string{"en", "fi", "sv"} {
		text, ok := translations(t, lang)[p.Message().Key]
		if !ok {
			t.Errorf("%s: no translation of %s", lang, p.Message().Key)
			continue
		}
		tmpl, err := template.New(p.Code).Option("missingkey=error").Parse(text)
		if err == nil {
			err = tmpl.Execute(new(strings.Builder), p.Args)
		}
		if err != nil {
			t.Errorf("%s: profile.err.%s with %v: %v", lang, p.Code, p.Args, err)
		}
	}
}

func translations(t *testing.T, lang string) map[string]string {
	t.Helper()
	data, err := assets.Translations.ReadFile("translations/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEveryCodeIsTranslated(t *testing.T) {
	for _, lang := range []string{"en", "fi", "sv"} {
		m := translations(t, lang)
		for _, code := range profile.Codes {
			if key := (profile.Problem{Code: code}).Message().Key; m[key] == "" {
				t.Errorf("%s: %s is missing", lang, key)
			}
		}
	}
}

// TestManyProblems proves problems are collected, not only the first, and come in file order.
func TestManyProblems(t *testing.T) {
	doc := `schema = 1
colour = "blue"
[support]
portal_url = "ftp://x"
phone = 42
[timeouts]
check = "soon"
[[services]]
name = "Intra"
url = "https://intra.example.org/"
[vpn]
interfaces = ["tun*", 7]
[request]
channel = "fax"
`
	_, err := profile.Parse("many.toml", []byte(doc))
	var errs profile.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	var got []string
	for _, p := range errs {
		got = append(got, p.Location()+" "+p.Key+" "+p.Code)
	}
	want := []string{
		"many.toml:2 colour unknown_key",
		"many.toml:4 support.portal_url not_web_url",
		"many.toml:5 support.phone want_text",
		"many.toml:7 timeouts.check bad_duration",
		"many.toml:9 services[0].name bad_service_name",
		"many.toml:12 vpn.interfaces[1] want_text",
		"many.toml:14 request.channel unknown_channel",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProblemText(t *testing.T) {
	tests := []struct {
		name string
		p    profile.Problem
		want string
	}{
		{"with line", profile.Problem{File: "profile.toml", Line: 12, Key: "services[1].url",
			Code: profile.CodeNotWebURL, Args: map[string]any{"value": "ftp://x"}},
			`profile.toml:12: services[1].url: "ftp://x" is not a web address (http or https)`},
		{"without line", profile.Problem{File: "profile.toml", Key: "schema", Code: profile.CodeRequired},
			`profile.toml: schema: a value is required here`},
		{"without key", profile.Problem{File: "p.toml", Line: 3, Code: profile.CodeSyntax,
			Args: map[string]any{"error": "expected value"}}, `p.toml:3: not valid TOML: expected value`},
		{"unknown code", profile.Problem{File: "p.toml", Line: 1, Key: "k", Code: "nope"}, `p.toml:1: k: nope map[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	errs := profile.Errors{tests[0].p, tests[1].p}
	if got := errs.Error(); got != tests[0].want+"\n"+tests[1].want {
		t.Errorf("Errors.Error() = %q", got)
	}
}

func TestGoodFiles(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, p *profile.Profile)
	}{
		{"minimal", func(t *testing.T, p *profile.Profile) {
			if !reflect.DeepEqual(p, profile.Default()) {
				t.Errorf("the defaults and the embedded default differ:\n%+v\n%+v", p, profile.Default())
			}
		}},
		{"full", func(t *testing.T, p *profile.Profile) {
			if len(p.Links) != 2 || len(p.Services) != 3 || p.Services[1].Name != "mail_web-2" {
				t.Errorf("links %v, services %v", p.Links, p.Services)
			}
			if got := p.Services[1].Title; got != (profile.Title{Text: "Webmail"}) {
				t.Errorf("the short title reads as %+v", got)
			}
			if got := p.Services[2].Title; got != (profile.Title{FI: "Palkkapalvelu", SV: "Lönetjänsten"}) {
				t.Errorf("the title table reads as %+v", got)
			}
			if got := p.Links[0].Title.In("sv"); got != "Intranätet" {
				t.Errorf("the link's Swedish title is %q", got)
			}
			if p.Timeouts.Check.Duration != 1500*time.Millisecond || p.Monitor.Interval.Duration != time.Minute {
				t.Errorf("durations %v %v", p.Timeouts.Check, p.Monitor.Interval)
			}
			if p.Monitor.Enabled || !p.VPN.Required || p.Thresholds.LossPercent != 0 || p.Thresholds.DiskFreePercent != 5.5 {
				t.Errorf("explicit false/zero values were replaced by defaults: %+v %+v", p.Monitor, p.Thresholds)
			}
			if p.Network.InternetExpect != "" || p.Network.InternetStatus != 204 {
				t.Errorf("internet probe %+v", p.Network)
			}
			if !slices.Equal(p.VPN.Interfaces, []string{"tun*", "wg?", "vpn[0-9]"}) {
				t.Errorf("interfaces %v", p.VPN.Interfaces)
			}
			if !p.HasSupportContacts() || p.Request.RT.Queue != "Support" {
				t.Errorf("support %+v, request %+v", p.Support, p.Request)
			}
			pr := p.Privacy
			if len(pr.RedactPatterns) != 2 || !slices.Equal(pr.KeepHosts, []string{"*.example.org", "printer01"}) || pr.IPAddresses != profile.IPDrop {
				t.Errorf("privacy %+v", pr)
			}
			if res, err := pr.Patterns(); err != nil || len(res) != 2 || !res[1].MatchString("asiakasnumero 123") {
				t.Errorf("patterns %v, %v", res, err)
			}
		}},
		{"inline", func(t *testing.T, p *profile.Profile) {
			s, ok := p.ServiceByName("intranet")
			if !ok || !s.ViaVPN || p.Organisation.Name != "Example Agency" || p.Request.Channel != "email" {
				t.Errorf("service %+v %v, profile %+v", s, ok, p)
			}
			if _, ok := p.ServiceByName("mail"); ok {
				t.Error("found a service that is not there")
			}
			if p.Thresholds.UptimeDays != 14 || !slices.Equal(p.VPN.Interfaces, profile.DefaultVPNInterfaces) {
				t.Errorf("defaults not applied: %+v %v", p.Thresholds, p.VPN.Interfaces)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := profile.Load(filepath.Join("testdata", "good", tt.file+".toml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("a parsed profile does not validate: %v", err)
			}
			tt.check(t, p)
		})
	}
}

func TestDefault(t *testing.T) {
	p := profile.Default()
	if p.HasSupportContacts() || len(p.Services) != 0 || p.VPN.Required || len(p.VPN.InternalHosts) != 0 {
		t.Errorf("the embedded default names contacts, services or a VPN: %+v", p)
	}
	if p.Privacy.IPAddresses != profile.IPPseudonymise || len(p.Privacy.RedactPatterns) != 0 || len(p.Privacy.KeepHosts) != 0 {
		t.Errorf("default privacy: %+v", p.Privacy)
	}
	if p.Network.InternetURL != profile.DefaultInternetURL || p.Network.InternetExpect != "success" ||
		p.Timeouts.Check.Duration != 2*time.Second || p.Timeouts.Total.Duration != 4*time.Second ||
		p.Monitor.Interval.Duration != 30*time.Second || !p.Monitor.Enabled || p.Request.Channel != "portal" {
		t.Errorf("default values: %+v", p)
	}
	p.Services = append(p.Services, profile.Service{Name: "x"})
	p.VPN.Interfaces[0] = "changed"
	if q := profile.Default(); len(q.Services) != 0 || q.VPN.Interfaces[0] != "tun*" {
		t.Error("Default shares state between calls")
	}
}

// Texts the profile shows the user arrive without control or bidi characters.
func TestTextsAreCleaned(t *testing.T) {
	data := "schema = 1\n[organisation]\nname = \"Virasto\\u001b]0;x\\u0007\\u202E\"\n" +
		"[support]\nphone = \"029\\u200B 123 4567\"\n[[links]]\nname = \"Intra\\nnet\"\nurl = \"https://intra.example.org/\"\n"
	p, err := profile.Parse("clean.toml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if p.Organisation.Name != "Virasto" || p.Support.Phone != "029 123 4567" || p.Links[0].Name != "Intra net" {
		t.Errorf("name %q phone %q link %q", p.Organisation.Name, p.Support.Phone, p.Links[0].Name)
	}
}

func TestLoadUnreadable(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte("schema = 1\n"+strings.Repeat("#\n", profile.MaxSize)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, code string }{
		{"missing", filepath.Join(dir, "nope.toml"), profile.CodeUnreadable},
		{"directory", dir, profile.CodeUnreadable},
		{"too large", big, profile.CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := profile.Load(tt.path)
			var errs profile.Errors
			if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Code != tt.code || errs[0].File != tt.path {
				t.Fatalf("got %v, want one %s problem", err, tt.code)
			}
			renderAll(t, errs[0])
		})
	}
}

func TestValidateInCode(t *testing.T) {
	p := profile.Default()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	p.Services = []profile.Service{{Name: "a", URL: "https://a.example.org/"}, {Name: "a", URL: "x"}}
	var errs profile.Errors
	if !errors.As(p.Validate(), &errs) || len(errs) != 2 ||
		errs[0].Code != profile.CodeDuplicateService || errs[0].Args["first"] != "services[0]" ||
		errs[1].Code != profile.CodeNotWebURL || errs[1].Line != 0 {
		t.Errorf("got %v", errs)
	}
}

func TestDurationText(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2s", 2 * time.Second, true},
		{"1m30s", 90 * time.Second, true},
		{"500ms", 500 * time.Millisecond, true},
		{"2", 0, false},
		{"two seconds", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d profile.Duration
			err := d.UnmarshalText([]byte(tt.in))
			if (err == nil) != tt.ok || d.Duration != tt.want {
				t.Fatalf("got %v, %v", d, err)
			}
			if !tt.ok {
				return
			}
			out, _ := d.MarshalText()
			var back profile.Duration
			if err := back.UnmarshalText(out); err != nil || back != d {
				t.Errorf("round trip %q → %v, %v", out, back, err)
			}
		})
	}
}

// BenchmarkParse measures reading a complete profile, which happens at every start.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "good", "full.toml"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := profile.Parse("full.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}
