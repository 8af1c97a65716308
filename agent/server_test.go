package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

func TestAPIState(t *testing.T) {
	a := newTestAgent(t, Config{})
	c, _ := serve(t, a)
	st, err := c.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != StatusUnknown || st.Running || st.Report != nil || st.ProfileSource != profile.SourceEmbedded {
		t.Errorf("fresh state %+v", st)
	}
	if _, err := c.Diagnose(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, err = c.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != StatusHealthy || st.Report == nil || len(st.Report.Checks) != 3 {
		t.Errorf("state after a diagnosis %+v", st)
	}
}

// The details window follows a diagnosis live: each row turns from checking to its result in
// the order the engine reports, and the final state carries the report.
func TestAPIEventsStreamProgressInOrder(t *testing.T) {
	a := newTestAgent(t, Config{})
	c, _ := serve(t, a)
	updates := collect(t, c)
	if u := next(t, updates); u.Kind != UpdateState || u.State.Status != StatusUnknown {
		t.Fatalf("the stream did not start with the state: %+v", u)
	}
	started, err := c.StartDiagnosis(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if started.Run != 1 || started.Joined {
		t.Errorf("StartDiagnosis = %+v, want run 1, not joined", started)
	}
	if u := next(t, updates); u.Kind != UpdateState || u.State.Status != StatusChecking || u.Run != 1 {
		t.Fatalf("want the checking state, got %+v", u)
	}
	for i, want := range threeChecks {
		u := next(t, updates)
		if u.Kind != UpdateProgress || u.Run != 1 || u.Event.Kind != want.kind || u.Event.ID != want.id {
			t.Fatalf("update %d = %+v (event %+v), want %s %s", i, u, u.Event, want.kind, want.id)
		}
		if want.kind == diagnostics.EventFinished && (u.Event.Result == nil || u.Event.Result.Status != diagnostics.StatusOK) {
			t.Errorf("finished %s without its result: %+v", want.id, u.Event)
		}
	}
	u := next(t, updates)
	if u.Kind != UpdateState || u.State.Running || u.State.Status != StatusHealthy || u.State.Report == nil {
		t.Fatalf("want the final state with the report, got %+v", u)
	}
	if ids := checkIDs(u.State.Report); !reflect.DeepEqual(ids, []string{"network.dns", "network.interfaces", "system.disk"}) {
		t.Errorf("report checks %v", ids)
	}
}

func checkIDs(r *diagnostics.Report) []string {
	var ids []string
	for _, c := range r.Checks {
		ids = append(ids, c.ID)
	}
	return ids
}

func TestAPIDiagnoseJoinsARunningOne(t *testing.T) {
	fake := &fakeDiagnosis{steps: threeChecks, release: make(chan struct{})}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	c, _ := serve(t, a)
	first, err := c.StartDiagnosis(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.StartDiagnosis(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if first.Joined || !second.Joined || first.Run != second.Run {
		t.Errorf("first %+v, second %+v: want the second to join the first", first, second)
	}
	close(fake.release)
	if _, err := c.Diagnose(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A window that stops reading its stream must not stop the agent, the other windows or the tray.
func TestAPIStalledStreamNeverBlocksTheServer(t *testing.T) {
	// Large events fill the socket's buffers quickly.
	fake := &fakeDiagnosis{steps: manySteps(200), detail: strings.Repeat("x", 4<<10)}
	a := newTestAgent(t, Config{Diagnose: fake.diagnose})
	c, path := serve(t, a)
	stalled, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	if _, err := io.WriteString(stalled, "GET /v1/events HTTP/1.1\r\nHost: apuri\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// Read only the head of the stream, so the subscription certainly exists, then stop.
	line, err := bufio.NewReader(stalled).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 200") {
		t.Fatalf("stream answer %q, %v", line, err)
	}
	for range 5 {
		if _, err := a.RunDiagnosis(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	st, err := c.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Run != 5 || st.Status != StatusHealthy {
		t.Errorf("state %+v, want 5 healthy runs", st)
	}
}

func TestAPIProfile(t *testing.T) {
	p := profile.Default()
	p.Organisation.Name = "Example Agency"
	loaded := profile.Loaded{
		Profile: p,
		Source:  profile.Source{Kind: profile.SourceSystem, Path: "/etc/apuri/profile.toml"},
		Problems: []profile.Problem{{
			File: "/home/matti/.config/apuri/profile.toml", Line: 3, Key: "support.portal_url",
			Code: profile.CodeNotWebURL, Args: map[string]any{"value": "ftp://x"},
		}},
	}
	a := newTestAgent(t, Config{Profile: loaded})
	c, _ := serve(t, a)
	got, err := c.Profile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Source, loaded.Source) || !reflect.DeepEqual(got.Problems, loaded.Problems) {
		t.Errorf("source %+v problems %+v, want %+v %+v", got.Source, got.Problems, loaded.Source, loaded.Problems)
	}
	if !reflect.DeepEqual(got.Profile, loaded.Profile) {
		t.Errorf("profile changed on the way:\n got %+v\nwant %+v", got.Profile, loaded.Profile)
	}
	st, _ := c.State(context.Background())
	if st.ProfileSource != profile.SourceSystem || st.ProfileProblems != 1 {
		t.Errorf("state names profile %q with %d problems", st.ProfileSource, st.ProfileProblems)
	}
}

func TestAPISettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	auto := &fakeAutostart{}
	a := newTestAgent(t, Config{SettingsPath: path, Autostart: auto})
	c, _ := serve(t, a)
	updates := collect(t, c)
	next(t, updates)

	s, err := c.Settings(context.Background())
	if err != nil || s != DefaultSettings() {
		t.Fatalf("Settings() = %+v, %v; want the defaults", s, err)
	}
	want := Settings{Language: "fi", Notifications: false, StartAtLogin: true}
	saved, err := c.SaveSettings(context.Background(), want)
	if err != nil || saved != want {
		t.Fatalf("SaveSettings = %+v, %v", saved, err)
	}
	if u := next(t, updates); u.Kind != UpdateState || u.State.Settings != want || u.State.Lang != "fi" {
		t.Errorf("subscribers were told %+v, want the new settings", u)
	}
	if got, problem := LoadSettings(path); got != want || problem != nil {
		t.Errorf("file holds %+v %v", got, problem)
	}
	if on, _ := auto.Enabled(); !on {
		t.Error("start at login was not applied")
	}

	// A body that leaves fields out changes only what it names.
	resp := rawRequest(t, c, http.MethodPut, PathSettings, `{"language":"sv"}`)
	var partial Settings
	if err := json.Unmarshal(resp.body, &partial); err != nil || resp.code != http.StatusOK {
		t.Fatalf("partial PUT: %d %s", resp.code, resp.body)
	}
	if partial != (Settings{Language: "sv", Notifications: false, StartAtLogin: true}) {
		t.Errorf("partial PUT gave %+v", partial)
	}
}

func TestAPIOpenWindowAndQuit(t *testing.T) {
	opened := make(chan string, 4)
	quit := make(chan struct{})
	a := newTestAgent(t, Config{
		Lang:       "fi",
		OpenWindow: func(name, lang string) error { opened <- name + " " + lang; return nil },
		Quit:       func() { close(quit) },
	})
	c, _ := serve(t, a)
	if err := c.OpenWindow(context.Background(), "settings"); err != nil {
		t.Fatal(err)
	}
	if got := <-opened; got != "settings fi" {
		t.Errorf("opened %q, want the settings window in Finnish", got)
	}
	if err := c.Quit(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-quit
}

type rawAnswer struct {
	code int
	body []byte
}

func rawRequest(t *testing.T, c *Client, method, path, body string) rawAnswer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://apuri"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawAnswer{resp.StatusCode, data}
}

func TestAPIErrorsAreTranslatableJSON(t *testing.T) {
	tests := []struct {
		name         string
		openWindow   bool
		method, path string
		body         string
		code         int
		key          string
	}{
		{"unknown path", true, http.MethodGet, "/v1/nothing", "", http.StatusNotFound, KeyNotFound},
		{"unknown version", true, http.MethodGet, "/v9/state", "", http.StatusNotFound, KeyNotFound},
		{"wrong method", true, http.MethodDelete, PathState, "", http.StatusMethodNotAllowed, KeyMethodNotAllowed},
		{"GET on a POST endpoint", true, http.MethodGet, PathDiagnose, "", http.StatusMethodNotAllowed, KeyMethodNotAllowed},
		{"body not json", true, http.MethodPut, PathSettings, "language=fi", http.StatusBadRequest, KeyBadRequest},
		{"two json values", true, http.MethodPost, PathOpen, `{"window":"details"}{}`, http.StatusBadRequest, KeyBadRequest},
		{"unknown language", true, http.MethodPut, PathSettings, `{"language":"de"}`, http.StatusBadRequest, KeyBadLanguage},
		{"unknown window", true, http.MethodPost, PathOpen, `{"window":"games"}`, http.StatusBadRequest, KeyUnknownWindow},
		{"no window opener", false, http.MethodPost, PathOpen, `{"window":"details"}`, http.StatusNotImplemented, KeyUnavailable},
		{"window fails to start", true, http.MethodPost, PathOpen, `{"window":"help"}`, http.StatusInternalServerError, KeyOpenWindow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{}
			if tt.openWindow {
				cfg.OpenWindow = func(name, _ string) error {
					if name == "help" {
						return errors.New("no display")
					}
					return nil
				}
			}
			c, _ := serve(t, newTestAgent(t, cfg))
			resp := rawRequest(t, c, tt.method, tt.path, tt.body)
			if resp.code != tt.code {
				t.Errorf("status %d, want %d", resp.code, tt.code)
			}
			var body struct {
				Error *Problem `json:"error"`
			}
			if err := json.Unmarshal(resp.body, &body); err != nil || body.Error == nil {
				t.Fatalf("body %s is not a JSON error: %v", resp.body, err)
			}
			if body.Error.Key != tt.key || body.Error.English == "" || body.Error.English == tt.key {
				t.Errorf("error %+v, want key %s with an English message", body.Error, tt.key)
			}
			for _, lang := range i18n.Languages {
				if _, ok := i18n.Text(lang, body.Error.Key); !ok {
					t.Errorf("key %s has no %s translation", body.Error.Key, lang)
				}
			}
		})
	}
}

func TestClientErrorsCarryTheKey(t *testing.T) {
	c, _ := serve(t, newTestAgent(t, Config{}))
	err := c.OpenWindow(context.Background(), "games")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest || apiErr.Key != KeyUnknownWindow {
		t.Errorf("got %#v, want an APIError 400 %s", err, KeyUnknownWindow)
	}
	var p *Problem
	if !errors.As(err, &p) || p.Args["name"] != "games" {
		t.Errorf("errors.As(*Problem) found %+v", p)
	}

	gone := NewClient(filepath.Join(shortTempDir(t), "nobody.sock"))
	_, err = gone.State(context.Background())
	if !errors.As(err, &apiErr) || apiErr.Status != 0 || apiErr.Key != KeyUnreachable {
		t.Errorf("no agent: got %v, want %s", err, KeyUnreachable)
	}
	if _, err := Dial(gone.Path()); !errors.As(err, &apiErr) || apiErr.Key != KeyUnreachable {
		t.Errorf("Dial with no agent: %v", err)
	}
}

func TestEventsEndWhenTheAgentCloses(t *testing.T) {
	a := newTestAgent(t, Config{})
	c, _ := serve(t, a)
	first := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		var once bool
		done <- c.Events(context.Background(), func(Update) {
			if !once {
				once = true
				close(first)
			}
		})
	}()
	<-first
	a.Close()
	if err := <-done; err != nil {
		t.Errorf("Events after the agent closed: %v, want nil", err)
	}
}

func TestEveryKeyIsTranslated(t *testing.T) {
	for _, key := range Keys {
		for _, lang := range i18n.Languages {
			text, ok := i18n.Text(lang, key)
			if !ok || text == "" {
				t.Errorf("%s: no %s text", key, lang)
			}
		}
	}
}

// A local program that sends half a body is answered, not waited for forever: the handler
// (and so Close, which waits for every call) must not hang on it.
func TestAPIHalfABodyIsAnsweredInTime(t *testing.T) {
	a := newTestAgent(t, Config{})
	_, path := serve(t, a)
	conn, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := "PUT /v1/settings HTTP/1.1\r\nHost: apuri\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
	if _, err := io.WriteString(conn, head+`{"lang":`); err != nil {
		t.Fatal(err)
	}
	// Far beyond bodyReadTimeout: only a missing deadline lets this read time out.
	_ = conn.SetReadDeadline(time.Now().Add(bodyReadTimeout + 20*time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 400") {
		t.Fatalf("answer to half a body: %q, %v", line, err)
	}
}
