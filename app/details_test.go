package app

import (
	"html"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
)

func runningState(run uint64, progress []diagnostics.Event) *agent.State {
	return &agent.State{Status: agent.StatusChecking, Running: true, Run: run, Progress: progress, Lang: "en"}
}

func finishedState(run uint64, r *diagnostics.Report) *agent.State {
	return &agent.State{Status: agent.StatusHealthy, Run: run, Report: r, Lang: "en"}
}

// withFeed adds the demo feed's reading to a state.
func withFeed(st *agent.State) *agent.State {
	st.Disruptions = demo.Disruptions()
	return st
}

func TestDetailsGolden(t *testing.T) {
	tests := []struct {
		name   string
		lang   string
		state  *agent.State
		open   []string // rows to open
		golden string
	}{
		{"checking", "en", runningState(3, demo.Progress()), nil, "details_checking_en.xml"},
		{"checking in Finnish", "fi", runningState(3, demo.Progress()), nil, "details_checking_fi.xml"},
		{"problem", "en", finishedState(3, demo.VPNDown()), []string{diagnostics.IDVPNTunnel}, "details_problem_en.xml"},
		{"problem in Finnish", "fi", finishedState(3, demo.VPNDown()), []string{diagnostics.IDVPNTunnel}, "details_problem_fi.xml"},
		{"problem in Swedish", "sv", finishedState(3, demo.VPNDown()), nil, "details_problem_sv.xml"},
		{"healthy", "en", finishedState(3, demo.Healthy()), nil, "details_healthy_en.xml"},
		{"a custom check failed", "en", finishedState(3, demo.CustomCheckFailed()), []string{"custom.news"}, "details_custom_en.xml"},
		{"a custom check failed, in Finnish", "fi", finishedState(3, demo.CustomCheckFailed()), nil, "details_custom_fi.xml"},
		{"known disruption", "en", withFeed(finishedState(3, demo.ServiceDownKnown())), nil, "details_known_en.xml"},
		{"known disruption in Finnish", "fi", withFeed(finishedState(3, demo.ServiceDownKnown())), nil, "details_known_fi.xml"},
		{"known disruptions while checking, in Swedish", "sv", withFeed(runningState(3, demo.Progress())), nil, "details_known_checking_sv.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.lang)
			d := newDetails(h.env, h.window)
			h.show(d)
			d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: tt.state.Run, State: tt.state})
			for _, id := range tt.open {
				d.rows[id].onToggle()
			}
			test.AssertRendersToMarkup(t, tt.golden, h.window.Canvas())
			if h.agent.diagnose != 0 {
				t.Errorf("started %d diagnoses; a state with a report or a running one needs none", h.agent.diagnose)
			}
		})
	}
}

// TestDetailsRowsFollowProgress: each row says "checking" until its check finishes, then shows
// the result; the verdict replaces the progress when the report arrives.
func TestDetailsRowsFollowProgress(t *testing.T) {
	h := newHarness(t, "en")
	d := newDetails(h.env, h.window)
	h.show(d)
	started := []diagnostics.Event{
		{Kind: diagnostics.EventStarted, ID: diagnostics.IDDNS, Group: diagnostics.GroupNetwork},
		{Kind: diagnostics.EventStarted, ID: diagnostics.IDUptime, Group: diagnostics.GroupSystem},
	}
	d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: 7, State: runningState(7, started)})
	dns := d.rows[diagnostics.IDDNS]
	if got := dns.summary.Text; got != "Checking…" {
		t.Fatalf("DNS row before its result says %q", got)
	}
	if !d.progressBox.Visible() || d.progress.Value != 0 || d.progress.Max != 2 {
		t.Errorf("progress %v/%v visible=%v, want 0/2 visible", d.progress.Value, d.progress.Max, d.progressBox.Visible())
	}

	res, _ := demo.Healthy().Result(diagnostics.IDDNS)
	d.onUpdate(agent.Update{Kind: agent.UpdateProgress, Run: 7,
		Event: &diagnostics.Event{Kind: diagnostics.EventFinished, ID: diagnostics.IDDNS, Result: &res}})
	want := i18n.New("en").Message(res.Message)
	if got := dns.summary.Text; got != want {
		t.Errorf("DNS row after its result says %q, want %q", got, want)
	}
	// One figure in the row, the latency in its sentence; the time the check took is inside.
	dns.onToggle()
	if got, _ := dns.more.Objects[0].(*widget.Label); got == nil || got.Text != "Time taken: 18\u00a0ms" {
		t.Errorf("the opened DNS row begins with %#v, want the time taken, 18 ms", dns.more.Objects[0])
	}
	dns.onToggle()
	if got := d.rows[diagnostics.IDUptime].summary.Text; got != "Checking…" {
		t.Errorf("uptime row says %q while its check runs", got)
	}
	if d.progress.Value != 1 {
		t.Errorf("progress %v, want 1", d.progress.Value)
	}
	if !d.runAgain.Disabled() {
		t.Error("Check again is enabled while a check runs")
	}

	d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: 7, State: finishedState(7, demo.VPNDown())})
	if d.progressBox.Visible() {
		t.Error("progress still shown after the report")
	}
	if len(d.rows) != len(demo.VPNDown().Checks) {
		t.Errorf("%d rows, want one per check (%d)", len(d.rows), len(demo.VPNDown().Checks))
	}
	if !strings.Contains(d.headline.Text, "VPN") {
		t.Errorf("headline %q does not name the VPN", d.headline.Text)
	}
	if d.runAgain.Disabled() || d.copyReport.Disabled() {
		t.Error("Check again and Copy report must work once the report is in")
	}
}

// TestDetailsNewRunClearsRows: progress of a new run starts from empty rows.
func TestDetailsNewRunClearsRows(t *testing.T) {
	h := newHarness(t, "en")
	d := newDetails(h.env, h.window)
	h.show(d)
	d.onUpdate(agent.Update{Kind: agent.UpdateState, Run: 1, State: finishedState(1, demo.Healthy())})
	d.onUpdate(agent.Update{Kind: agent.UpdateProgress, Run: 2,
		Event: &diagnostics.Event{Kind: diagnostics.EventStarted, ID: diagnostics.IDClock}})
	if len(d.rows) != 1 || d.rows[diagnostics.IDClock] == nil {
		t.Errorf("rows %v after the first event of a new run, want only the clock", slices.Sorted(mapKeys(d.rows)))
	}
	if d.headline.Text != "Checking your connection and computer…" {
		t.Errorf("headline %q during a new run", d.headline.Text)
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestDetailsButtons(t *testing.T) {
	tests := []struct {
		name  string
		state *agent.State
		tap   string
		fail  bool
		check func(t *testing.T, h *harness, d *details)
	}{
		{
			name: "no report yet: a diagnosis starts by itself", state: &agent.State{Lang: "en"},
			check: func(t *testing.T, h *harness, _ *details) {
				if h.agent.diagnose != 1 {
					t.Errorf("%d diagnoses started, want 1", h.agent.diagnose)
				}
			},
		},
		{
			name: "check again", state: finishedState(1, demo.Healthy()), tap: "Check again",
			check: func(t *testing.T, h *harness, _ *details) {
				if h.agent.diagnose != 1 {
					t.Errorf("%d diagnoses started, want 1", h.agent.diagnose)
				}
			},
		},
		{
			name: "check again without the agent", state: finishedState(1, demo.Healthy()), tap: "Check again", fail: true,
			check: func(t *testing.T, h *harness, d *details) {
				if !slices.ContainsFunc(h.texts(), func(s string) bool { return strings.Contains(s, "Apuri is not running") }) {
					t.Errorf("no error shown; texts: %q", h.texts())
				}
				if d.runAgain.Disabled() {
					t.Error("Check again stays disabled after a failure")
				}
			},
		},
		{
			name: "copy report", state: finishedState(1, demo.VPNDown()), tap: "Copy report",
			check: func(t *testing.T, h *harness, _ *details) {
				r := demo.VPNDown()
				tr := i18n.New("en")
				r.Localize(tr)
				if got, want := h.env.clipboard().Content(), r.Text(tr); got != want {
					t.Errorf("clipboard:\n%s\nwant:\n%s", got, want)
				}
				if !slices.Contains(h.texts(), tr.T("window.details.copied", nil)) {
					t.Error("no word that the report was copied")
				}
			},
		},
		{
			name: "open as a web page", state: withFeed(finishedState(1, demo.ServiceDownKnown())), tap: "Open as a web page",
			check: func(t *testing.T, h *harness, _ *details) {
				if !slices.Equal(h.opened, []string{h.pagePath}) {
					t.Fatalf("opened %q, want the page %s", h.opened, h.pagePath)
				}
				page, err := os.ReadFile(h.pagePath)
				if err != nil {
					t.Fatal(err)
				}
				tr := i18n.New("en")
				v := demo.ServiceDownKnown().Verdict
				for _, want := range []string{`<html lang="en">`, html.EscapeString(tr.T(v.Message.Key, v.Message.Args)),
					"https://support.example.org/instructions", "Printing fails on the 3rd floor"} {
					if !strings.Contains(string(page), want) {
						t.Errorf("the page lacks %q", want)
					}
				}
				if !slices.Contains(h.texts(), tr.T("window.details.web_page_opened", nil)) {
					t.Error("no word that the page opened")
				}
			},
		},
		{
			name: "open as a web page while checking", state: runningState(2, demo.Progress()), tap: "Open as a web page",
			check: func(t *testing.T, h *harness, _ *details) {
				page, err := os.ReadFile(h.pagePath)
				if err != nil {
					t.Fatal(err)
				}
				if want := i18n.New("en").T("webpage.checking", nil); !strings.Contains(string(page), html.EscapeString(want)) {
					t.Errorf("the page does not say the check is running")
				}
			},
		},
		{
			name: "open as a web page without the agent", state: finishedState(1, demo.Healthy()), tap: "Open as a web page", fail: true,
			check: func(t *testing.T, h *harness, _ *details) {
				if len(h.opened) != 0 {
					t.Errorf("opened %q without the agent's state", h.opened)
				}
				if !slices.ContainsFunc(h.texts(), func(s string) bool { return strings.Contains(s, "Apuri is not running") }) {
					t.Errorf("no error shown; texts: %q", h.texts())
				}
			},
		},
		{
			name: "what can I do opens help", state: finishedState(1, demo.VPNDown()), tap: "What can I do?",
			check: func(t *testing.T, h *harness, _ *details) {
				if !slices.Equal(h.agent.opened, []string{WindowHelp}) {
					t.Errorf("asked the agent to open %q, want help", h.agent.opened)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "en")
			d := newDetails(h.env, h.window)
			h.show(d)
			h.agent.state = *tt.state
			d.onUpdate(agent.Update{Kind: agent.UpdateState, State: tt.state})
			if tt.fail {
				h.agent.err = errAgentDown
			}
			if tt.tap != "" {
				h.tap(tt.tap)
			}
			h.pump()
			tt.check(t, h, d)
		})
	}
}

// TestDetailsErrorDialogInFinnish: Fyne's own words in the error dialog follow the language.
func TestDetailsErrorDialogInFinnish(t *testing.T) {
	h := newHarness(t, "fi")
	d := newDetails(h.env, h.window)
	h.show(d)
	d.onUpdate(agent.Update{Kind: agent.UpdateState, State: finishedState(1, demo.Healthy())})
	h.agent.err = errAgentDown
	h.tap("Tarkista uudelleen")
	h.pump()
	test.AssertRendersToMarkup(t, "details_error_fi.xml", h.window.Canvas())
}

// TestDetailsFollowsTheAgent runs the real event loop against the fake agent: the first state,
// then progress, then the report; and says so when the agent goes away.
func TestDetailsFollowsTheAgent(t *testing.T) {
	h := newHarness(t, "en")
	res, _ := demo.Healthy().Result(diagnostics.IDInterfaces)
	h.agent.updates = []agent.Update{
		{Kind: agent.UpdateState, Run: 1, State: runningState(1, nil)},
		{Kind: agent.UpdateProgress, Run: 1, Event: &diagnostics.Event{Kind: diagnostics.EventFinished, ID: res.ID, Result: &res}},
		{Kind: agent.UpdateState, Run: 1, State: finishedState(1, demo.ServiceDown())},
	}
	h.agent.quit = true
	d := newDetails(h.env, h.window)
	h.show(d)
	d.start()
	for range len(h.agent.updates) + 2 { // the updates, the end of the stream, and the timeline
		h.next()
	}
	if d.report == nil || d.report.Verdict.Cause != diagnostics.CauseServiceDown {
		t.Fatalf("report %+v, want the service down", d.report)
	}
	if !strings.Contains(d.notice.Text, "no longer running") {
		t.Errorf("notice %q after the agent went away", d.notice.Text)
	}
	if !d.runAgain.Disabled() {
		t.Error("Check again is enabled without an agent")
	}
}

func TestDetailText(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", nil, "–"},
		{"text", "eth0", "eth0"},
		{"whole number from JSON", 12.0, "12"},
		{"fraction", 0.4, "0.4"},
		{"bool", true, "true"},
		{"list", []any{"a", "b"}, `["a","b"]`},
		{"table", map[string]any{"b": 1, "a": "x"}, `{"a":"x","b":1}`},
		{"a text per language, after JSON", map[string]any{"fi": "Kysy", "sv": "Fråga", "en": "Ask"}, "Fråga"},
		{"a text per language, in process", map[string]string{"fi": "Kysy", "en": "Ask"}, "Ask"},
		{"a table with one language among other keys", map[string]any{"sv": "x", "id": "y"}, `{"id":"y","sv":"x"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detailText("sv", tt.in); got != tt.want {
				t.Errorf("detailText(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
