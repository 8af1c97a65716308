package diagnostics

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/internal/testsupport/reportschema"
	"github.com/apuri-project/apuri/profile"
)

// customProfile bounds a test's checks as a real profile would.
func customProfile() *profile.Profile {
	return &profile.Profile{Timeouts: profile.Timeouts{Check: profile.Duration{Duration: 2 * time.Second},
		Total: profile.Duration{Duration: 4 * time.Second}}}
}

// testCustom builds a custom check as Checks would, with the profile's defaults filled in.
func testCustom(def profile.CustomCheck) *customCheck {
	if def.ID == "" {
		def.ID = "news"
	}
	if def.Title.IsZero() {
		def.Title = profile.Title{FI: "Intran uutiset", SV: "Intranätets nyheter", EN: "Intranet news"}
	}
	if def.Severity == "" {
		def.Severity = profile.SeverityFail
	}
	return newCustomCheck(customProfile(), def).(*customCheck)
}

// runCustom runs one check through the runner, as a diagnosis does, and holds its result to
// the report's contract.
func runCustom(t *testing.T, c Check) Result {
	t.Helper()
	p := customProfile()
	res := Runner{CheckTimeout: p.Timeouts.Check.Duration, Total: p.Timeouts.Total.Duration}.Run(context.Background(), []Check{c}, nil)[0]
	assertContract(t, res)
	if res.Group != GroupCustom || !strings.HasPrefix(res.ID, CustomPrefix) || res.Title["sv"] == "" {
		t.Errorf("identity %s %s %v", res.ID, res.Group, res.Title)
	}
	if res.Message.Args["title"] == nil {
		t.Errorf("%s carries no title", res.Message.Key)
	}
	return res
}

func wantResult(t *testing.T, r Result, status Status, key, reason string) {
	t.Helper()
	if r.Status != status || r.Message.Key != key || r.Reason != reason {
		t.Errorf("got %s %s %q, want %s %s %q (details %v, log %q)", r.Status, r.Message.Key, r.Reason,
			status, key, reason, r.Details, r.Log)
	}
}

func TestCustomHTTP(t *testing.T) {
	news := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/news":
			_, _ = w.Write([]byte("<h1>Uutiset</h1>"))
		case "/moved":
			http.Redirect(w, r, "/news", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}), nil).URL
	tests := []struct {
		name             string
		def              profile.CustomCheck
		status           Status
		key, reason      string
		wantHTTPStatus   int
		wantTargetSuffix string
	}{
		{"the page answers with its text", profile.CustomCheck{URL: news + "/news?token=secret", ExpectStatus: 200, ExpectBody: "Uutiset"},
			StatusOK, "check.custom.http_ok", "", 200, "/news"},
		{"redirects are followed", profile.CustomCheck{URL: news + "/moved", ExpectStatus: 200, ExpectBody: "Uutiset"},
			StatusOK, "check.custom.http_ok", "", 200, "/moved"},
		{"another status", profile.CustomCheck{URL: news + "/gone", ExpectStatus: 200},
			StatusFail, "check.custom.http_status", ReasonHTTPStatus, 404, "/gone"},
		{"the status the profile expects", profile.CustomCheck{URL: news + "/gone", ExpectStatus: 404},
			StatusOK, "check.custom.http_ok", "", 404, "/gone"},
		{"the text is missing", profile.CustomCheck{URL: news + "/news", ExpectStatus: 200, ExpectBody: "Nyheter"},
			StatusFail, "check.custom.http_body", ReasonMismatch, 200, "/news"},
		{"severity warn", profile.CustomCheck{URL: news + "/news", ExpectStatus: 200, ExpectBody: "Nyheter", Severity: profile.SeverityWarn},
			StatusWarn, "check.custom.http_body", ReasonMismatch, 200, "/news"},
		{"nothing answers", profile.CustomCheck{URL: "http://" + closedport.Addr(t) + "/", ExpectStatus: 200},
			StatusFail, "check.custom.unreachable", ReasonUnreachable, 0, "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.def.Kind = profile.CheckHTTP
			r := runCustom(t, testCustom(tt.def))
			wantResult(t, r, tt.status, tt.key, tt.reason)
			if got, _ := r.Details[DetailStatus].(int); got != tt.wantHTTPStatus {
				t.Errorf("status detail %v, want %d", r.Details[DetailStatus], tt.wantHTTPStatus)
			}
			target, _ := r.Details[DetailTarget].(string)
			if !strings.HasSuffix(target, tt.wantTargetSuffix) || strings.Contains(target, "secret") {
				t.Errorf("target %q", target)
			}
			if r.Details[DetailKind] != profile.CheckHTTP || r.Details[DetailSeverity] != severityOf(tt.def) {
				t.Errorf("kind and severity %v", r.Details)
			}
		})
	}
}

// TestCustomHTTPUsesTheServiceTransport: the page is fetched through the transport the service
// checks use, so whatever they honour (the desktop's proxy) a custom check honours too.
func TestCustomHTTPUsesTheServiceTransport(t *testing.T) {
	c := testCustom(profile.CustomCheck{Kind: profile.CheckHTTP, URL: "http://intra.example/"})
	tr, ok := c.http.(*http.Transport)
	if !ok || !tr.DisableKeepAlives || tr.Proxy == nil || tr.DialContext == nil {
		t.Errorf("the transport is not the service checks' own: %#v", c.http)
	}
}

func TestCustomTCP(t *testing.T) {
	ok := runCustom(t, testCustom(profile.CustomCheck{Kind: profile.CheckTCP, Address: openPort(t)}))
	wantResult(t, ok, StatusOK, "check.custom.tcp_ok", "")
	refused := runCustom(t, testCustom(profile.CustomCheck{Kind: profile.CheckTCP, Address: closedport.Addr(t)}))
	wantResult(t, refused, StatusFail, "check.custom.unreachable", ReasonUnreachable)
	if refused.Details[DetailError] == nil {
		t.Errorf("no error in %v", refused.Details)
	}
}

func TestCustomDNS(t *testing.T) {
	server := dnsTestServer(t, dnsZone{})
	dns := func(name, want string) *customCheck {
		c := testCustom(profile.CustomCheck{Kind: profile.CheckDNS, Name: name, ExpectAddress: want})
		d := newHostDialer(nil)
		d.nameservers = func(context.Context) ([]string, error) { return []string{server}, nil }
		d.system = dnsResolverVia(server)
		c.resolve = d.lookup
		return c
	}
	found := runCustom(t, dns("good.test", ""))
	wantResult(t, found, StatusOK, "check.custom.dns_ok", "")
	if addrs, _ := found.Details[DetailAddresses].([]string); !strings.Contains(strings.Join(addrs, " "), "192.0.2.10") {
		t.Errorf("addresses %v", found.Details[DetailAddresses])
	}
	wantResult(t, runCustom(t, dns("good.test", "2001:db8::10")), StatusOK, "check.custom.dns_ok", "")
	wantResult(t, runCustom(t, dns("good.test", "192.0.2.99")), StatusFail, "check.custom.dns_wrong", ReasonMismatch)
	wantResult(t, runCustom(t, dns("missing.test", "")), StatusFail, "check.custom.dns_fail", ReasonNoAnswer)
}

func TestCustomFile(t *testing.T) {
	home := t.TempDir()
	fresh := filepath.Join(home, "fresh.dat")
	old := filepath.Join(home, "old.dat")
	for _, f := range []string{fresh, old} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	if err := os.Chtimes(old, now.Add(-72*time.Hour), now.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	file := func(def profile.CustomCheck) *customCheck {
		def.Kind = profile.CheckFile
		c := testCustom(def)
		c.home = home
		c.now = func() time.Time { return now }
		return c
	}
	day := profile.Duration{Duration: 24 * time.Hour}
	tests := []struct {
		name        string
		def         profile.CustomCheck
		status      Status
		key, reason string
	}{
		{"fresh", profile.CustomCheck{Path: fresh, MaxAge: day, MustExist: true}, StatusOK, "check.custom.file_ok", ""},
		{"in the home folder", profile.CustomCheck{Path: "~/fresh.dat", MaxAge: day, MustExist: true}, StatusOK, "check.custom.file_ok", ""},
		{"too old", profile.CustomCheck{Path: old, MaxAge: day, MustExist: true}, StatusFail, "check.custom.file_old_days", ReasonStale},
		{"any age", profile.CustomCheck{Path: old, MustExist: true}, StatusOK, "check.custom.file_ok", ""},
		{"missing", profile.CustomCheck{Path: filepath.Join(home, "none"), MustExist: true}, StatusFail, "check.custom.file_missing", ReasonMissing},
		{"missing, and it may be", profile.CustomCheck{Path: filepath.Join(home, "none"), MaxAge: day}, StatusOK, "check.custom.file_absent", ""},
		{"there, and too old though it need not be", profile.CustomCheck{Path: old, MaxAge: day}, StatusFail, "check.custom.file_old_days", ReasonStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCustom(t, file(tt.def))
			wantResult(t, r, tt.status, tt.key, tt.reason)
			if tt.key == "check.custom.file_old_days" && r.Message.Args["days"] != 3 {
				t.Errorf("days %v, want 3", r.Message.Args["days"])
			}
		})
	}
	// Under two days the age is said in hours and minutes, in the reader's language.
	if err := os.Chtimes(old, now.Add(-150*time.Minute), now.Add(-150*time.Minute)); err != nil {
		t.Fatal(err)
	}
	r := runCustom(t, file(profile.CustomCheck{Path: old, MaxAge: profile.Duration{Duration: time.Hour}, MustExist: true}))
	wantResult(t, r, StatusFail, "check.custom.file_old", ReasonStale)
	if got := i18n.New("fi").Message(r.Message); !strings.Contains(got, "2\u00a0h 30\u00a0min sitten") {
		t.Errorf("Finnish: %q", got)
	}
}

// script writes an executable shell script: the check runs it as a program, never through a
// shell of its own.
func script(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts are a Unix test")
	}
	path := filepath.Join(t.TempDir(), "check.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCustomCommand(t *testing.T) {
	tests := []struct {
		name        string
		run         []string
		severity    string
		status      Status
		key, reason string
		output      string
	}{
		{"exit 0", []string{script(t, `echo "Print queue empty"; exit 0`)}, "", StatusOK, "check.custom.command_said", "", "Print queue empty"},
		{"exit 1 warns", []string{script(t, `echo "3 jobs waiting"; exit 1`)}, "", StatusWarn, "check.custom.command_said", ReasonExitStatus, "3 jobs waiting"},
		{"exit 2 fails", []string{script(t, `echo "Printer offline" >&2; exit 2`)}, "", StatusFail, "check.custom.command_said", ReasonExitStatus, "Printer offline"},
		{"exit 2 with severity warn", []string{script(t, `echo "Printer offline"; exit 2`)}, profile.SeverityWarn, StatusWarn, "check.custom.command_said", ReasonExitStatus, "Printer offline"},
		{"any other exit fails", []string{script(t, `exit 7`)}, "", StatusFail, "check.custom.command_problem", ReasonExitStatus, ""},
		{"/bin/true", []string{"/bin/true"}, "", StatusOK, "check.custom.command_ok", "", ""},
		{"/bin/false warns", []string{"/bin/false"}, "", StatusWarn, "check.custom.command_problem", ReasonExitStatus, ""},
		{"control characters, escapes and bidi overrides are cleaned from the summary",
			[]string{script(t, `printf '\n  \033[31mRed\033[0m \342\200\256alert\a\r\nsecond line\n'; exit 2`)}, "", StatusFail,
			"check.custom.command_said", ReasonExitStatus, "Red alert"},
		{"a long line is cut", []string{script(t, `printf '%0300d\n' 0`)}, "", StatusOK, "check.custom.command_said", "", strings.Repeat("0", maxCommandSummary-1) + "…"},
		{"arguments reach the program as they are, without a shell", []string{script(t, `echo "$1|$2"`), "a b", "$HOME;x"}, "", StatusOK,
			"check.custom.command_said", "", "a b|$HOME;x"},
		{"a program that is not there", []string{"/nonexistent/apuri-check"}, "", StatusFail, "check.custom.command_not_run", ReasonUnreachable, ""},
		{"sudo is refused", []string{"sudo", "/bin/true"}, "", StatusFail, "check.custom.command_refused", ReasonRefused, ""},
		{"a shell given code is refused", []string{"/bin/sh", "-c", "true"}, "", StatusFail, "check.custom.command_refused", ReasonRefused, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCustom(t, testCustom(profile.CustomCheck{Kind: profile.CheckCommand, Run: tt.run, Severity: tt.severity}))
			wantResult(t, r, tt.status, tt.key, tt.reason)
			if got := r.Message.Args["output"]; tt.output != "" && got != tt.output {
				t.Errorf("output %q, want %q", got, tt.output)
			}
			for _, line := range r.Log {
				if strings.ContainsAny(line, "\x1b\a\r\u202e") {
					t.Errorf("the log keeps a control character: %q", line)
				}
			}
		})
	}
}

// TestCustomCommandTimeout: a command that does not end is stopped at its own timeout, which
// may be longer than the other checks', and counts as failed.
func TestCustomCommandTimeout(t *testing.T) {
	c := testCustom(profile.CustomCheck{Kind: profile.CheckCommand, Run: []string{script(t, `echo started; exec sleep 30`)},
		Timeout: profile.Duration{Duration: 3 * time.Second}})
	if c.Timeout() != 3*time.Second {
		t.Fatalf("timeout %v", c.Timeout())
	}
	if got := timeoutOf(c, time.Second, 10*time.Second); got != 3*time.Second {
		t.Errorf("the runner gives it %v", got)
	}
	if got := timeoutOf(c, time.Second, 2*time.Second); got != 2*time.Second {
		t.Errorf("the runner gives it %v, beyond the whole run", got)
	}
	c.timeout = 500 * time.Millisecond
	r := runCustom(t, c)
	wantResult(t, r, StatusFail, "check.custom.timeout", ReasonTimeout)
	if r.Details[DetailOutput] != "started" {
		t.Errorf("output %v", r.Details[DetailOutput])
	}
}

// profileRegistryCheck is a registry check of a value.
func profileRegistryCheck(key, value, expect string) profile.CustomCheck {
	return profile.CustomCheck{Kind: profile.CheckRegistry, Key: key, Value: value, Expect: expect}
}

// fakeRegistry is the registry's answers, by key and value name.
type fakeRegistry map[string]string

func (f fakeRegistry) Read(key, value string) (string, error) {
	v, ok := f[key+`\`+value]
	if !ok {
		return "", errRegistryMissing
	}
	if v == "denied" {
		return "", errors.New("access is denied")
	}
	return v, nil
}

func TestCustomRegistry(t *testing.T) {
	reg := fakeRegistry{`HKLM\Software\Example\Version`: "7", `HKCU\Software\Example\Locked`: "denied"}
	registry := func(key, value, expect string, r registryReader) *customCheck {
		c := testCustom(profileRegistryCheck(key, value, expect))
		c.registry = r
		return c
	}
	wantResult(t, runCustom(t, registry(`HKLM\Software\Example`, "Version", "7", reg)), StatusOK, "check.custom.registry_ok", "")
	wantResult(t, runCustom(t, registry(`HKLM\Software\Example`, "Version", "", reg)), StatusOK, "check.custom.registry_ok", "")
	wantResult(t, runCustom(t, registry(`HKLM\Software\Example`, "Version", "8", reg)), StatusFail, "check.custom.registry_wrong", ReasonMismatch)
	wantResult(t, runCustom(t, registry(`HKLM\Software\Example`, "Build", "", reg)), StatusFail, "check.custom.registry_missing", ReasonMissing)
	wantResult(t, runCustom(t, registry(`HKCU\Software\Example`, "Locked", "", reg)), StatusFail, "check.custom.registry_missing", ReasonMissing)
	skipped := runCustom(t, registry(`HKLM\Software\Example`, "Version", "7", nil))
	wantResult(t, skipped, StatusSkip, "check.custom.registry_unsupported", ReasonUnsupported)
	if runtime.GOOS != "windows" && systemRegistry() != nil {
		t.Error("a registry outside Windows")
	}
	for key, want := range map[string]string{`HKEY_LOCAL_MACHINE\Software\X`: "HKLM", `hkcu\x`: "HKCU", `HKU\S-1-5\x`: "HKU"} {
		if root, _, ok := registryRoot(key); !ok || root != want {
			t.Errorf("registryRoot(%q) = %q, %v", key, root, ok)
		}
	}
	if _, _, ok := registryRoot(`HKXX\x`); ok {
		t.Error("an unknown hive passed")
	}
}

// TestCustomChecksInTheReport: custom checks come from the profile, and a report with them
// holds to the schema; a failing one with severity fail is the verdict custom_check, one with
// severity warn a custom_check warning, never "degraded", and lower layers still win.
func TestCustomChecksInTheReport(t *testing.T) {
	p := customProfile()
	p.Checks = []profile.CustomCheck{{ID: "printer", Title: profile.Title{Text: "Printer queue"}, Kind: profile.CheckCommand,
		Run: []string{"/bin/true"}, Severity: profile.SeverityFail}}
	var found bool
	for _, c := range Checks(p) {
		if c.ID() == "custom.printer" && c.Group() == GroupCustom {
			found = true
		}
	}
	if !found {
		t.Fatal("Checks does not build the profile's custom check")
	}

	fail := testCustom(profile.CustomCheck{Kind: profile.CheckCommand, Run: []string{script(t, "echo offline; exit 2")},
		Advice: profile.Title{FI: "Kysy tiimisi vetäjältä.", SV: "Fråga din teamledare.", EN: "Ask your team lead."}})
	warn := testCustom(profile.CustomCheck{ID: "queue", Kind: profile.CheckCommand, Run: []string{script(t, "echo busy; exit 2")},
		Severity: profile.SeverityWarn})
	tests := []struct {
		name   string
		checks []Check
		cause  Cause
		status Status
		key    string
		advice string
	}{
		{"severity fail", []Check{fail, warn}, CauseCustomCheck, StatusFail, "verdict.custom_check", "Fråga din teamledare."},
		{"severity warn", []Check{warn}, CauseCustomCheck, StatusWarn, "verdict.custom_check.warn", tr("sv", "advice.ask_colleagues")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Run(context.Background(), p, tt.checks, nil)
			tr := i18n.New("sv")
			r.Localize(tr)
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := reportschema.Validate(data); err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			v := r.Verdict
			if v.Cause != tt.cause || v.Status != tt.status || v.Message.Key != tt.key {
				t.Errorf("verdict %s %s %s", v.Cause, v.Status, v.Message.Key)
			}
			if len(v.Advice) == 0 || v.Advice[0] != tt.advice {
				t.Errorf("advice %q, want %q first", v.Advice, tt.advice)
			}
			if !strings.Contains(v.Summary, "”Intranätets nyheter”") {
				t.Errorf("the Swedish verdict does not name the check: %q", v.Summary)
			}
			if text := r.Text(tr); !strings.Contains(text, "Intranätets nyheter") || strings.Contains(text, "custom.") {
				t.Errorf("the text report names the check by its ID:\n%s", text)
			}
		})
	}

	// Below the custom checks, a broken layer is still the verdict; above, a slow network
	// warns before a custom check's warning does.
	custom := res("custom.queue", GroupCustom, StatusFail, ReasonExitStatus)
	down := res(ServicePrefix+"intranet", GroupService, StatusFail, ReasonHTTPStatus)
	if v := Decide([]Result{custom, down}); v.Cause != CauseServiceDown {
		t.Errorf("a service down and a custom check failing: %s", v.Cause)
	}
	custom.Status = StatusWarn
	slow := res(IDGateway, GroupNetwork, StatusWarn, ReasonSlow)
	if v := Decide([]Result{custom, slow}); v.Cause != CauseDegraded || v.Evidence[0] != IDGateway {
		t.Errorf("a slow router and a custom warning: %s %v", v.Cause, v.Evidence)
	}
	if v := Decide([]Result{custom}); v.Cause != CauseCustomCheck || v.Message.Args["title"] != "Queue" {
		t.Errorf("a custom warning alone: %s %v", v.Cause, v.Message.Args)
	}
}

func tr(lang, key string) string { return i18n.New(lang).T(key, nil) }
