package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
)

const topIncident = `{"page":{"url":"https://status.example.org"},"incidents":[{"id":"7","name":"TOP sign-in fails",
"status":"identified","shortlink":"https://status.example.org/i/7","components":[{"name":"TOP"}]}]}`

// topDown is a diagnosis in which the service TOP fails.
var topDown = report(result(diagnostics.ServicePrefix+"top", diagnostics.GroupService, diagnostics.StatusFail, ""))

// feedProfileFile writes a profile with the service TOP and a feed at url.
func feedProfileFile(t *testing.T, url string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profile.toml")
	text := fmt.Sprintf("schema = 1\n[[services]]\nname = \"top\"\nurl = \"https://top.example.org\"\n"+
		"[disruptions]\nfeed_url = %q\ntimeout = \"2s\"\n", url)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitForCache is a diagnosis that finishes only once the feed's good reading is in the
// cache, so that the report has it to note, whichever arrives first.
func waitForCache(t *testing.T, fake *diagnostics.Report) func(ctx context.Context, _ *profile.Profile, _ func(diagnostics.Event)) *diagnostics.Report {
	return func(ctx context.Context, _ *profile.Profile, _ func(diagnostics.Event)) *diagnostics.Report {
		cached := func() bool {
			_, err := os.Stat(disruptions.DefaultCachePath())
			return err == nil
		}
		if poll.Wait(ctx, cached) != nil {
			t.Error("the feed was never cached")
			return nil
		}
		copied := *fake
		return &copied
	}
}

func TestDiagnoseNamesAKnownDisruption(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(topIncident))
	}))
	t.Cleanup(srv.Close)
	prof := feedProfileFile(t, srv.URL)

	code, out, errOut := runEnv(t, waitForCache(t, topDown), "diagnose", "--profile", prof)
	if code != program.ExitFailed {
		t.Errorf("exit %d; stderr %s", code, errOut)
	}
	for _, want := range []string{"Known disruption: TOP sign-in fails", "Bulletin: https://status.example.org/i/7",
		"1. This is a known disruption", "Known disruptions (1):"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	_, out, _ = runEnv(t, waitForCache(t, topDown), "diagnose", "--json", "--profile", prof)
	var got struct {
		Verdict struct {
			KnownDisruption *diagnostics.Disruption `json:"known_disruption"`
		} `json:"verdict"`
		KnownDisruptions []diagnostics.Disruption `json:"known_disruptions"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Verdict.KnownDisruption == nil || got.Verdict.KnownDisruption.Title != "TOP sign-in fails" || len(got.KnownDisruptions) != 1 {
		t.Errorf("JSON: %+v", got)
	}
}

// A feed that hangs leaves the diagnosis as it is: nothing waits for it.
func TestDiagnoseDoesNotWaitForTheFeed(t *testing.T) {
	release := make(chan struct{})
	var waiting atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		waiting.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	code, out, errOut := run(t, topDown, "diagnose", "--profile", feedProfileFile(t, srv.URL))
	if code != program.ExitFailed || strings.Contains(out, "Known disruption") || errOut != "" {
		t.Errorf("exit %d, output:\n%s\nstderr: %s", code, out, errOut)
	}
}

func TestFeedFailureIsTold(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	p, err := profile.Load(feedProfileFile(t, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	readings := readDisruptions(context.Background(), p)
	if len(readings) != 1 {
		t.Fatalf("%d readings of a profile with a feed alone", len(readings))
	}
	feed := readings[0]
	feed.done <- <-feed.done // the reading has arrived before the diagnosis ends
	var errOut bytes.Buffer
	feed.known(Env{Stderr: &errOut}, program.Options{}.WithTranslator(i18n.New("en")))
	if !strings.Contains(errOut.String(), "HTTP 500") {
		t.Errorf("stderr lacks the feed's failure: %q", errOut.String())
	}
}

// hostileIncident is a feed entry written to attack the terminal: a title change, colours,
// a bell, a right-to-left override and zero-width characters, raw and as JSON escapes.
const hostileIncident = `{"page":{"url":"https://status.example.org"},"incidents":[{"id":"7",` +
	`"name":"TOP \u001b]0;pwned\u0007sign-in\u001b[2K fails \u202egnp.exe\u200b",` +
	"\"status\":\"identified\u0085\",\"shortlink\":\"https://status.example.org/i/7\",\"components\":[{\"name\":\"TOP\"}]," +
	`"incident_updates":[{"body":"\u001b[31mWe are\u0008 on it\u2067"}]}]}`

// `apuri diagnose` prints a feed's text with no control, escape or bidi character left, in
// its text and in its JSON.
func TestDiagnosePrintsFeedTextSafely(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(hostileIncident))
	}))
	t.Cleanup(srv.Close)
	prof := feedProfileFile(t, srv.URL)

	_, out, errOut := runEnv(t, waitForCache(t, topDown), "diagnose", "--profile", prof)
	if !strings.Contains(out, "Known disruption: TOP sign-in fails gnp.exe") {
		t.Errorf("the disruption is not shown:\n%s\nstderr: %s", out, errOut)
	}
	_, jsonOut, _ := runEnv(t, waitForCache(t, topDown), "diagnose", "--json", "--profile", prof)
	for name, text := range map[string]string{"text": out, "json": jsonOut, "stderr": errOut} {
		for _, r := range text {
			if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || unicode.Is(unicode.Cf, r) {
				t.Errorf("%s output holds %U:\n%q", name, r, text)
				break
			}
		}
		if strings.Contains(text, `\u001b`) || strings.Contains(text, `\u202e`) || strings.Contains(text, "pwned") {
			t.Errorf("%s output keeps an escaped control character or an escape's payload:\n%s", name, text)
		}
	}
}

// `apuri diagnose` reads the organisation's Alertmanager, as the agent does: a firing
// ApuriSiteDisruption of the profile's site and of the verdict's cause explains the verdict,
// detected automatically, in the text and in the JSON.
func TestDiagnoseNamesADetectedDisruption(t *testing.T) {
	var asked atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(r.URL.Query()["filter"])
		_, _ = w.Write([]byte(`[{"labels": {"alertname": "ApuriSiteDisruption", "apuri_site": "turku-office",
"apuri_cause": "no_route"}, "annotations": {"affected": "14"}, "startsAt": "2026-11-25T07:03:00Z",
"status": {"state": "active"}}]`))
	}))
	t.Cleanup(srv.Close)
	prof := filepath.Join(t.TempDir(), "profile.toml")
	text := fmt.Sprintf("schema = 1\n[disruptions]\nalertmanager_url = %q\ntimeout = \"2s\"\n[fleet]\nsite = \"turku-office\"\n", srv.URL)
	if err := os.WriteFile(prof, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	waitForAlerts := func(ctx context.Context, _ *profile.Profile, _ func(diagnostics.Event)) *diagnostics.Report {
		if poll.Within(poll.Limit, func() bool { _, err := os.Stat(disruptions.DefaultAlertsCachePath()); return err == nil }) != nil {
			t.Error("the alerts were never cached")
			return nil
		}
		copied := *noRoute
		return &copied
	}

	_, out, errOut := runEnv(t, waitForAlerts, "diagnose", "--profile", prof)
	want := "Known disruption: No route to other networks: detected automatically from 14 computers at your site"
	for _, w := range []string{want, "1. This is a known disruption"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s\nstderr: %s", w, out, errOut)
		}
	}
	if f, _ := asked.Load().([]string); len(f) != 2 || f[1] != `apuri_site="turku-office"` {
		t.Errorf("asked the Alertmanager with filters %q", f)
	}

	_, jsonOut, _ := runEnv(t, waitForAlerts, "diagnose", "--json", "--profile", prof)
	var got struct {
		Verdict struct {
			Known *struct {
				Detected *diagnostics.Detection `json:"detected"`
			} `json:"known_disruption"`
		} `json:"verdict"`
	}
	if err := json.Unmarshal([]byte(jsonOut), &got); err != nil {
		t.Fatalf("%v\n%s", err, jsonOut)
	}
	if k := got.Verdict.Known; k == nil || k.Detected == nil ||
		*k.Detected != (diagnostics.Detection{Site: "turku-office", Cause: diagnostics.CauseNoRoute, Affected: 14}) {
		t.Errorf("the JSON verdict's known disruption: %s", jsonOut)
	}
}
