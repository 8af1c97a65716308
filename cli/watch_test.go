package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/timeline"
)

var wt0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// useWatchDeps replaces the side effects of `apuri watch` for one test.
func useWatchDeps(t *testing.T, watch agent.WatchFunc, client func(context.Context) *agent.Client, store *timeline.Store) {
	t.Helper()
	saved := watchDeps
	t.Cleanup(func() { watchDeps = saved })
	watchDeps.watch = func(ctx context.Context, p *profile.Profile, emit func(diagnostics.WatchEvent),
		sample func(diagnostics.WatchSample), _ func(string, ...any)) error {
		return watch(ctx, p, emit, sample)
	}
	watchDeps.client = client
	watchDeps.store = func() *timeline.Store { return store }
	watchDeps.now = func() time.Time { return wt0.Add(time.Hour) }
}

func noAgent(context.Context) *agent.Client { return nil }

func event(kind diagnostics.WatchEventKind, cause diagnostics.Cause, status diagnostics.Status, at time.Duration) diagnostics.WatchEvent {
	return diagnostics.WatchEvent{
		Time: wt0.Add(at), Event: kind, Cause: cause, Status: status, Message: i18n.Msg("watch." + string(kind)),
		Verdict: &diagnostics.Verdict{Cause: cause, Status: status, Message: i18n.Msg("verdict." + string(cause))},
	}
}

// scriptedWatch emits a loss and its restore, with samples, and returns as if interrupted.
func scriptedWatch(_ context.Context, _ *profile.Profile, emit func(diagnostics.WatchEvent), sample func(diagnostics.WatchSample)) error {
	sample(diagnostics.WatchSample{Time: wt0, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK})
	emit(event(diagnostics.WatchStarted, diagnostics.CauseHealthy, diagnostics.StatusOK, 0))
	lost := event(diagnostics.WatchLost, diagnostics.CauseNoLink, diagnostics.StatusFail, time.Minute)
	lost.Since = wt0.Add(59 * time.Second)
	emit(lost)
	restored := event(diagnostics.WatchRestored, diagnostics.CauseNoLink, diagnostics.StatusOK, 5*time.Minute)
	restored.Ended, restored.Since, restored.DurationS = diagnostics.WatchLost, lost.Since, 241
	restored.Message = i18n.Msg("watch.restored", "duration", "4 min")
	emit(restored)
	return nil
}

// watchLine is one JSON line of `apuri watch --json`, decoded on its own terms.
type watchLine struct {
	Time    string `json:"time"`
	Event   string `json:"event"`
	Cause   string `json:"cause"`
	Trigger string `json:"trigger"`
	Summary string `json:"summary"`
}

func decodeLines(t *testing.T, out string) []watchLine {
	t.Helper()
	var lines []watchLine
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var w watchLine
		if err := json.Unmarshal([]byte(l), &w); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		if w.Time == "" || w.Event == "" || w.Cause == "" {
			t.Errorf("line lacks time, event or cause: %s", l)
		}
		lines = append(lines, w)
	}
	return lines
}

func TestWatchJSONWithoutAnAgent(t *testing.T) {
	store := timeline.Open(filepath.Join(t.TempDir(), "timeline.db"))
	useWatchDeps(t, scriptedWatch, noAgent, store)
	code, out, errOut := run(t, noRoute, "watch", "--json")
	if code != program.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := decodeLines(t, out)
	var events []string
	for _, l := range lines {
		events = append(events, l.Event)
	}
	// The diagnoses run beside the watcher, so only their order among themselves is fixed.
	if !slices.Equal(events[:2], []string{"started", "lost"}) || len(lines) != 5 {
		t.Fatalf("events %v", events)
	}
	var triggers []string
	for _, l := range lines {
		if l.Event == "diagnosis" {
			triggers = append(triggers, l.Trigger)
			if l.Cause != "no_route" {
				t.Errorf("diagnosis cause %q, want the report's no_route", l.Cause)
			}
		}
	}
	if !slices.Equal(triggers, []string{"lost", "restored"}) {
		t.Errorf("diagnosis triggers %v", triggers)
	}
	if !strings.Contains(out, `"summary":"Connection lost. Your computer is not connected`) {
		t.Errorf("lost summary not in English:\n%s", out)
	}
	if errOut != "" {
		t.Errorf("stderr in JSON mode: %s", errOut)
	}
	tl, err := store.Query(wt0, wt0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Incidents) != 1 || tl.Incidents[0].Diagnosis != diagnostics.CauseNoRoute || tl.Incidents[0].Ongoing() || len(tl.Samples) != 1 {
		t.Errorf("timeline %+v", tl)
	}
}

func TestWatchText(t *testing.T) {
	tests := []struct {
		name     string
		lang     string
		contains []string
	}{
		{"english", "en", []string{"Watching the connection. Everything Apuri checked works", "Connection lost. Your computer is not connected",
			"Connection restored after 4 min.", "Diagnosis: Your computer has a network address but no route", "Try this:"}},
		{"finnish", "fi", []string{"Yhteys katkesi. Tietokone ei ole yhteydessä", "Yhteys palasi 4 min katkon jälkeen.", "Vianmääritys:"}},
		{"swedish", "sv", []string{"Anslutningen bröts.", "Anslutningen återställdes efter 4 min.", "Felsökning:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useWatchDeps(t, scriptedWatch, noAgent, nil)
			code, out, errOut := run(t, noRoute, "watch", "--lang", tt.lang)
			if code != program.ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			if !strings.Contains(errOut, "Ctrl+C") {
				t.Errorf("no hint how to stop: %q", errOut)
			}
		})
	}
}

// TestWatchVerbose checks that --verbose hands the watcher a log that reaches stderr, stamped,
// beside the JSON lines on stdout, and that without it the watcher gets none.
func TestWatchVerbose(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		useWatchDeps(t, scriptedWatch, noAgent, nil)
		gotLog := false
		watchDeps.watch = func(ctx context.Context, p *profile.Profile, emit func(diagnostics.WatchEvent),
			sample func(diagnostics.WatchSample), logf func(string, ...any)) error {
			if gotLog = logf != nil; gotLog {
				logf("stall trigger probe: %s", "fail")
			}
			return scriptedWatch(ctx, p, emit, sample)
		}
		args := []string{"watch", "--json"}
		if verbose {
			args = append(args, "--verbose")
		}
		code, out, errOut := run(t, noRoute, args...)
		if code != program.ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if gotLog != verbose {
			t.Errorf("verbose %v: the watcher got a log: %v", verbose, gotLog)
		}
		want := ""
		if verbose {
			want = wt0.Add(time.Hour).Format(time.RFC3339Nano) + "  stall trigger probe: fail\n"
		}
		if errOut != want {
			t.Errorf("verbose %v: stderr %q, want %q", verbose, errOut, want)
		}
		if len(decodeLines(t, out)) != 5 {
			t.Errorf("verbose %v: stdout %s", verbose, out)
		}
	}
}

func TestWatchFailure(t *testing.T) {
	useWatchDeps(t, func(context.Context, *profile.Profile, func(diagnostics.WatchEvent), func(diagnostics.WatchSample)) error {
		return errors.New("no probe")
	}, noAgent, nil)
	code, _, errOut := run(t, healthy, "watch")
	if code != program.ExitFailed || !strings.Contains(errOut, "Watching the connection failed: no probe") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestWatchBadUsage(t *testing.T) {
	useWatchDeps(t, scriptedWatch, noAgent, nil)
	if code, _, _ := run(t, nil, "watch", "--bogus"); code != program.ExitUsage {
		t.Errorf("exit %d for a bad flag", code)
	}
	if code, _, _ := run(t, nil, "watch", "--profile", filepath.Join(t.TempDir(), "missing.toml")); code != program.ExitUsage {
		t.Errorf("exit %d for a missing profile", code)
	}
}

// lineBuffer is an output that hands over each complete line as it is written.
type lineBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	for {
		i := bytes.IndexByte(b.buf.Bytes(), '\n')
		if i < 0 {
			return len(p), nil
		}
		b.lines <- string(b.buf.Next(i + 1))
	}
}

// agentWatch is the agent's side of TestWatchFollowsTheAgent: the test drives its emit.
type agentWatch struct {
	emit chan func(diagnostics.WatchEvent)
}

func (w agentWatch) run(ctx context.Context, _ *profile.Profile, emit func(diagnostics.WatchEvent), sample func(diagnostics.WatchSample)) error {
	sample(diagnostics.WatchSample{Time: wt0, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK})
	w.emit <- emit
	<-ctx.Done()
	return nil
}

func TestWatchFollowsTheAgent(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	aw := agentWatch{emit: make(chan func(diagnostics.WatchEvent), 1)}
	a := agent.New(agent.Config{
		Watch:        aw.run,
		Timeline:     timeline.Open(filepath.Join(t.TempDir(), "agent.db")),
		SettingsPath: filepath.Join(t.TempDir(), "settings.json"),
		Autostart:    nopAutostart{},
		DetectLang:   func(string) string { return "en" },
		Diagnose: func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
			c := *noRoute
			return &c
		},
	})
	defer a.Close()
	if err := a.StartWatch(); err != nil {
		t.Fatal(err)
	}
	agentEmit := <-aw.emit

	dir, err := os.MkdirTemp("", "apw")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "agent.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	srv := agent.NewServer(a)
	srv.PeerCheck = func(net.Conn) error { return nil }
	go srv.Serve(ln)
	defer srv.Close()

	var hereRan bool
	useWatchDeps(t, func(context.Context, *profile.Profile, func(diagnostics.WatchEvent), func(diagnostics.WatchSample)) error {
		hereRan = true
		return nil
	}, func(context.Context) *agent.Client { return agent.NewClient(path) }, nil)

	out := &lineBuffer{lines: make(chan string, 16)}
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(Env{Stdout: out, Stderr: &errOut, Diagnose: func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report {
			t.Error("following the agent, the command diagnosed by itself")
			return nil
		}}, []string{"watch", "--json", "--profile", writeProfile(t)})
	}()
	readLine := func() watchLine {
		t.Helper()
		var l watchLine
		if err := json.Unmarshal([]byte(<-out.lines), &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := readLine(); l.Event != "started" || l.Cause != "healthy" {
		t.Fatalf("first line %+v", l)
	}
	lost := event(diagnostics.WatchLost, diagnostics.CauseDNSFailure, diagnostics.StatusFail, time.Minute)
	lost.Since = wt0
	agentEmit(lost)
	if l := readLine(); l.Event != "lost" || l.Cause != "dns_failure" {
		t.Fatalf("line %+v, want the agent's lost", l)
	}
	if l := readLine(); l.Event != "diagnosis" || l.Trigger != "lost" || l.Cause != "no_route" {
		t.Fatalf("line %+v, want the agent's diagnosis", l)
	}
	a.Close() // the tray quits: the command carries on by itself
	if code := <-done; code != program.ExitOK {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
	if !hereRan || !strings.Contains(errOut.String(), "Following the Apuri") || !strings.Contains(errOut.String(), "stopped; watching here") {
		t.Errorf("ran here: %v; stderr: %s", hereRan, errOut.String())
	}
}

// writeProfile writes a valid profile, so the command does not look for the user's own.
func writeProfile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profile.toml")
	if err := os.WriteFile(path, []byte("schema = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type nopAutostart struct{}

func (nopAutostart) Enabled() (bool, error) { return false, nil }
func (nopAutostart) SetEnabled(bool) error  { return nil }
