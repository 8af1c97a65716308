package tray

import (
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/disruptions"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// fullProfile has every contact the menu can show.
const fullProfile = `schema = 1
[support]
portal_name = "Palveluportaali"
portal_url = "https://support.example.org/"
phone = "0295 000 000"
phone_hours = "ma–pe 8–16"
[[links]]
name = "TOP"
url = "https://top.example.org/"
[[links]]
name = "Joiku"
url = "https://joiku.example.org/"
`

// phoneOnly has a phone without hours and an e-mail address instead of a portal.
const phoneOnly = `schema = 1
[support]
phone = "+358 29 500 0000"
email = "tuki@example.org"
`

func parseProfile(t *testing.T, src string) *profile.Profile {
	t.Helper()
	if src == "" {
		return profile.Default()
	}
	p, err := profile.Parse("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func finished(cause diagnostics.Cause, status diagnostics.Status, kv ...any) *diagnostics.Report {
	return &diagnostics.Report{Verdict: diagnostics.Verdict{
		Cause: cause, Status: status, Message: i18n.Msg("verdict."+string(cause), kv...),
		AdviceKeys: diagnostics.Advice(cause),
	}}
}

func progress(done, total int) []diagnostics.Event {
	var evs []diagnostics.Event
	for i := range total {
		kind := diagnostics.EventStarted
		if i < done {
			kind = diagnostics.EventFinished
		}
		evs = append(evs, diagnostics.Event{Kind: kind, ID: "check" + string(rune('a'+i))})
	}
	return evs
}

// want is a text the menu must show: a translation key and its arguments.
type want struct {
	key  string
	args []any
}

func (w want) in(tr *i18n.Translator) string { return tr.F(w.key, w.args...) }

func TestBuildMenu(t *testing.T) {
	// The items every menu has, in order; the cases add what depends on state and profile.
	tests := []struct {
		name       string
		state      agent.State
		profile    string
		wantStatus want
		wantIDs    []string
		wantLabels map[string]want   // item ID -> its text
		wantURLs   map[string]string // item ID -> what it opens
		disabled   []string          // IDs of items that only inform
	}{
		{
			name: "unknown: nothing checked yet, default profile", state: agent.State{Status: agent.StatusUnknown},
			wantStatus: want{key: "tray.status.unknown"},
			wantIDs:    []string{IDStatus, idSep, IDDiagnose, IDDetails, IDWebPage, IDHelp, IDRequest, idSep, IDLinks, IDCall, idSep, IDSettings, IDQuit},
			wantLabels: map[string]want{
				IDRequest: {key: "tray.menu.request"}, IDLinks: {key: "tray.menu.links_intranet"},
				IDCall: {key: "tray.menu.call_intranet"}, IDDiagnose: {key: "tray.menu.diagnose"},
				IDDetails: {key: "tray.menu.details"}, IDWebPage: {key: "tray.menu.web_page"}, IDHelp: {key: "tray.menu.help"},
				IDSettings: {key: "tray.menu.settings"}, IDQuit: {key: "tray.menu.quit"},
			},
			disabled: []string{IDStatus, IDLinks, IDCall},
		},
		{
			name: "checking, before any check has started", state: agent.State{Status: agent.StatusChecking, Running: true},
			wantStatus: want{key: "tray.status.checking"},
		},
		{
			name:       "checking with progress",
			state:      agent.State{Status: agent.StatusChecking, Running: true, Progress: progress(3, 11), Report: finished(diagnostics.CauseHealthy, diagnostics.StatusOK)},
			wantStatus: want{key: "tray.status.progress", args: []any{"done", 3, "total", 11}},
		},
		{
			name:       "healthy",
			state:      agent.State{Status: agent.StatusHealthy, Report: finished(diagnostics.CauseHealthy, diagnostics.StatusOK)},
			profile:    fullProfile,
			wantStatus: want{key: "tray.cause.healthy"},
			wantIDs:    []string{IDStatus, idSep, IDDiagnose, IDDetails, IDWebPage, IDHelp, IDRequest, idSep, IDLink + "0", IDLink + "1", IDCall, idSep, IDSettings, IDQuit},
			wantLabels: map[string]want{
				IDRequest: {key: "tray.menu.request"},
				IDCall:    {key: "tray.menu.call_hours", args: []any{"phone", "0295 000 000", "hours", "ma–pe 8–16"}},
			},
			wantURLs: map[string]string{
				IDLink + "0": "https://top.example.org/",
				IDLink + "1": "https://joiku.example.org/", IDCall: "tel:0295000000",
			},
			disabled: []string{IDStatus},
		},
		{
			name:       "warning",
			state:      agent.State{Status: agent.StatusWarning, Report: finished(diagnostics.CauseDegraded, diagnostics.StatusWarn)},
			wantStatus: want{key: "tray.cause.degraded"},
		},
		{
			name: "a certificate about to expire is not a slow connection",
			state: agent.State{Status: agent.StatusWarning, Report: &diagnostics.Report{Verdict: diagnostics.Verdict{
				Cause: diagnostics.CauseDegraded, Status: diagnostics.StatusWarn,
				Message: i18n.Msg("verdict.degraded.certificate_expiring", "service", "Tokka", "days", 4),
			}}},
			wantStatus: want{key: "tray.cause.certificate", args: []any{"service", "Tokka", "days", 4}},
		},
		{
			name:       "problem",
			state:      agent.State{Status: agent.StatusProblem, Report: finished(diagnostics.CauseNoLink, diagnostics.StatusFail)},
			wantStatus: want{key: "tray.cause.no_link"},
		},
		{
			name:       "problem with a named service",
			state:      agent.State{Status: agent.StatusProblem, Report: finished(diagnostics.CauseServiceDown, diagnostics.StatusFail, "service", "Tokka")},
			wantStatus: want{key: "tray.cause.service_down", args: []any{"service", "Tokka"}},
		},
		{
			name: "no phone hours, e-mail instead of a portal", state: agent.State{Status: agent.StatusUnknown}, profile: phoneOnly,
			wantStatus: want{key: "tray.status.unknown"},
			wantLabels: map[string]want{IDCall: {key: "tray.menu.call", args: []any{"phone", "+358 29 500 0000"}}, IDRequest: {key: "tray.menu.request"}},
			wantURLs:   map[string]string{IDCall: "tel:+358295000000"},
		},
		{
			name: "profile problems", state: agent.State{Status: agent.StatusUnknown, ProfileProblems: 2},
			wantStatus: want{key: "tray.status.unknown"},
			wantIDs:    []string{IDStatus, IDProblems, idSep, IDDiagnose, IDDetails, IDWebPage, IDHelp, IDRequest, idSep, IDLinks, IDCall, idSep, IDSettings, IDQuit},
			wantLabels: map[string]want{IDProblems: {key: "tray.menu.profile_problems"}},
		},
		{
			name: "one known disruption",
			state: agent.State{Status: agent.StatusProblem, Report: finished(diagnostics.CauseServiceDown, diagnostics.StatusFail, "service", "top"),
				Disruptions: &disruptions.State{Disruptions: []diagnostics.Disruption{{Title: "TOP sign-in fails"}}}},
			wantStatus: want{key: "tray.cause.service_down", args: []any{"service", "top"}},
			wantIDs:    []string{IDStatus, IDKnown, idSep, IDDiagnose, IDDetails, IDWebPage, IDHelp, IDRequest, idSep, IDLinks, IDCall, idSep, IDSettings, IDQuit},
			wantLabels: map[string]want{IDKnown: {key: "tray.menu.disruption_one"}},
		},
		{
			name: "several known disruptions, the feed's last reading failed",
			state: agent.State{Status: agent.StatusHealthy, Report: finished(diagnostics.CauseHealthy, diagnostics.StatusOK),
				Disruptions: &disruptions.State{Disruptions: []diagnostics.Disruption{{Title: "a"}, {Title: "b"}},
					Problem: &i18n.Message{Key: "feed.problem.unreachable"}}},
			wantStatus: want{key: "tray.cause.healthy"},
			wantLabels: map[string]want{IDKnown: {key: "tray.menu.disruptions", args: []any{"count", 2}}},
		},
		{
			name: "a feed with nothing on it adds nothing",
			state: agent.State{Status: agent.StatusHealthy, Report: finished(diagnostics.CauseHealthy, diagnostics.StatusOK),
				Disruptions: &disruptions.State{}},
			wantStatus: want{key: "tray.cause.healthy"},
			wantIDs:    []string{IDStatus, idSep, IDDiagnose, IDDetails, IDWebPage, IDHelp, IDRequest, idSep, IDLinks, IDCall, idSep, IDSettings, IDQuit},
		},
		{
			name:       "unreadable settings",
			state:      agent.State{Status: agent.StatusUnknown, Problems: []agent.Problem{{Message: i18n.Msg(agent.KeySettingsCorrupt)}}},
			wantStatus: want{key: "tray.status.unknown"},
			wantLabels: map[string]want{IDProblems: {key: "tray.menu.settings_problem"}},
		},
	}
	for _, lang := range i18n.Languages {
		tr := i18n.New(lang)
		for _, tt := range tests {
			t.Run(lang+"/"+tt.name, func(t *testing.T) {
				items := BuildMenu(tt.state, parseProfile(t, tt.profile), tr)
				byID := map[string]Item{}
				var ids []string
				for _, it := range items {
					ids = append(ids, it.ID)
					byID[it.ID] = it
					if !it.Separator && (it.Label == "" || strings.HasPrefix(it.Label, "tray.")) {
						t.Errorf("item %s has no translated label: %q", it.ID, it.Label)
					}
				}
				if got, want := items[0].Label, tt.wantStatus.in(tr); got != want {
					t.Errorf("status line %q, want %q", got, want)
				}
				for _, dark := range []bool{false, true} {
					if assets.TrayIcon(string(tt.state.Status), dark) == nil {
						t.Errorf("no tray icon for %s (dark %v)", tt.state.Status, dark)
					}
				}
				if tt.wantIDs != nil && !slices.Equal(ids, tt.wantIDs) {
					t.Errorf("items %q, want %q", ids, tt.wantIDs)
				}
				for id, w := range tt.wantLabels {
					if got := byID[id].Label; got != w.in(tr) {
						t.Errorf("%s says %q, want %q", id, got, w.in(tr))
					}
				}
				for id, u := range tt.wantURLs {
					if it := byID[id]; it.Action != ActionURL || it.URL != u {
						t.Errorf("%s opens %v %q, want %q", id, it.Action, it.URL, u)
					}
				}
				if tt.disabled != nil {
					var got []string
					for _, it := range items {
						if it.Disabled {
							got = append(got, it.ID)
						}
					}
					if !slices.Equal(got, tt.disabled) {
						t.Errorf("disabled %q, want %q", got, tt.disabled)
					}
				}
				for _, it := range items {
					if it.Disabled || it.Separator {
						continue
					}
					switch {
					case it.Action == ActionNone:
						t.Errorf("%s is enabled but does nothing", it.ID)
					case it.Action == ActionWindow && !slices.Contains(agent.Windows, it.Window):
						t.Errorf("%s opens unknown window %q", it.ID, it.Window)
					}
				}
			})
		}
	}
}

func TestStatusLineSpeaksEveryCause(t *testing.T) {
	for _, lang := range i18n.Languages {
		tr := i18n.New(lang)
		seen := map[string]diagnostics.Cause{}
		for _, c := range diagnostics.Causes {
			st := agent.State{Report: finished(c, diagnostics.StatusFail, "service", "Tokka")}
			line := StatusLine(st, tr)
			if strings.HasPrefix(line, "tray.") || strings.HasPrefix(line, "verdict.") {
				t.Errorf("%s: %s has no words: %q", lang, c, line)
			}
			if other, ok := seen[line]; ok {
				t.Errorf("%s: %s and %s both read %q", lang, c, other, line)
			}
			seen[line] = c
		}
	}
}

func TestTheWindowsTheMenuOpens(t *testing.T) {
	tr := i18n.New("en")
	items := BuildMenu(agent.State{ProfileProblems: 1}, parseProfile(t, fullProfile), tr)
	got := map[string]string{}
	for _, it := range items {
		if it.Action == ActionWindow {
			got[it.ID] = it.Window
		}
	}
	want := map[string]string{IDDetails: "details", IDHelp: "help", IDRequest: "request", IDSettings: "settings", IDProblems: "settings"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s opens %q, want %q", id, got[id], w)
		}
	}
	for _, it := range items {
		if it.ID == IDDiagnose && it.Action != ActionDiagnose || it.ID == IDQuit && it.Action != ActionQuit ||
			it.ID == IDWebPage && it.Action != ActionWebPage {
			t.Errorf("%s does %v", it.ID, it.Action)
		}
	}
}

func TestDiffMenu(t *testing.T) {
	tr := i18n.New("en")
	p := parseProfile(t, fullProfile)
	checking := BuildMenu(agent.State{Running: true, Progress: progress(1, 4)}, p, tr)
	further := BuildMenu(agent.State{Running: true, Progress: progress(2, 4)}, p, tr)
	problem := BuildMenu(agent.State{Report: finished(diagnostics.CauseNoLink, diagnostics.StatusFail)}, p, tr)
	withProblems := BuildMenu(agent.State{Report: finished(diagnostics.CauseNoLink, diagnostics.StatusFail), ProfileProblems: 1}, p, tr)
	finnish := BuildMenu(agent.State{Report: finished(diagnostics.CauseNoLink, diagnostics.StatusFail)}, p, i18n.New("fi"))
	tests := []struct {
		name     string
		old, cur []Item
		want     change
	}{
		{"first menu", nil, checking, changeRebuild},
		{"same state", checking, BuildMenu(agent.State{Running: true, Progress: progress(1, 4)}, p, tr), changeNone},
		{"progress moves on", checking, further, changeStatusOnly},
		{"diagnosis ends", further, problem, changeStatusOnly},
		{"an item appears", problem, withProblems, changeRebuild},
		{"language changes", problem, finnish, changeRebuild},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := diffMenu(tt.old, tt.cur); got != tt.want {
				t.Errorf("diffMenu = %v, want %v", got, tt.want)
			}
		})
	}
}
