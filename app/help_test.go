package app

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/selfhelp"
)

// showHelp opens the help window on a report, with the canned profile and browsers.
func showHelp(t *testing.T, lang string, r *diagnostics.Report) (*harness, *help) {
	t.Helper()
	h := newHarness(t, lang)
	w := newHelp(h.env, h.window)
	h.show(w)
	w.onProfile(demo.Profile())
	w.onRemedies(testBrowsers, h.remedies.updatesPage)
	w.onUpdate(agent.Update{Kind: agent.UpdateState, State: finishedState(1, r)})
	return h, w
}

func TestHelpGolden(t *testing.T) {
	tests := []struct {
		name   string
		lang   string
		report *diagnostics.Report
		tap    string // a button to press before the picture
		ticks  int
		golden string
	}{
		{"long uptime: restart first, countdown open", "en", demo.LongUptime(), "Restart now", 2, "help_uptime_countdown_en.xml"},
		{"long uptime in Finnish", "fi", demo.LongUptime(), "Käynnistä uudelleen nyt", 2, "help_uptime_countdown_fi.xml"},
		{"disk full: the clean-up asks first", "en", demo.DiskFull(), "Empty the trash and temporary files", 0, "help_cleanup_confirm_en.xml"},
		{"disk full in Swedish", "sv", demo.DiskFull(), "Töm papperskorgen och de tillfälliga filerna", 0, "help_cleanup_confirm_sv.xml"},
		{"service down", "en", demo.ServiceDown(), "", 0, "help_service_down_en.xml"},
		{"service down in Swedish", "sv", demo.ServiceDown(), "", 0, "help_service_down_sv.xml"},
		{"service down, a known disruption", "en", demo.ServiceDownKnown(), "", 0, "help_known_en.xml"},
		{"service down, a known disruption, in Finnish", "fi", demo.ServiceDownKnown(), "", 0, "help_known_fi.xml"},
		{"a custom check failed, its fix asked about", "en", demo.CustomCheckFailed(), "Repair now", 0, "help_custom_en.xml"},
		{"a custom check failed, in Finnish", "fi", demo.CustomCheckFailed(), "", 0, "help_custom_fi.xml"},
		{"a custom check failed, in Swedish", "sv", demo.CustomCheckFailed(), "", 0, "help_custom_sv.xml"},
		{"password expires in 3 days: change it first", "en", demo.PasswordExpiring(), "", 0, "help_password_en.xml"},
		{"the VPN's certificate has expired, in Finnish", "fi", demo.VPNCertificateExpired(), "", 0, "help_vpn_certificate_fi.xml"},
		{"updates long waiting: open the updates page", "en", demo.UpdatesWaiting(), "", 0, "help_updates_en.xml"},
		{"updates long waiting, in Finnish", "fi", demo.UpdatesWaiting(), "", 0, "help_updates_fi.xml"},
		{"updates long waiting, in Swedish", "sv", demo.UpdatesWaiting(), "", 0, "help_updates_sv.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, w := showHelp(t, tt.lang, tt.report)
			if tt.tap != "" {
				h.tap(tt.tap)
			}
			for range tt.ticks {
				h.ticker.c <- time.Time{}
				h.next()
			}
			test.AssertRendersToMarkup(t, tt.golden, h.window.Canvas())
			if got := h.remedies.actions(); len(got) != 0 {
				t.Errorf("remedies %v ran while the picture was taken", got)
			}
			if w.confirm != nil {
				w.confirm.onCancel()
			}
		})
	}
}

// TestHelpOrder: the step the evidence speaks for comes first, with the evidence as its why.
func TestHelpOrder(t *testing.T) {
	tests := []struct {
		name      string
		report    *diagnostics.Report
		first     string
		whyPhrase string
	}{
		{"long uptime: restart", demo.LongUptime(), selfhelp.StepRestart, "23\u00a0days"},
		{"service down: colleagues", demo.ServiceDown(), selfhelp.StepColleagues, "Tokka"},
		{"VPN down: reconnect it", demo.VPNDown(), selfhelp.StepReconnectVPN, "VPN"},
		{"updates long waiting: install them", demo.UpdatesWaiting(), selfhelp.StepInstallUpdates, "waiting a long time"},
		{"disk full: free up space", demo.DiskFull(), selfhelp.StepFreeDisk, "/home/maija"},
		{"a custom check failed: the organisation's advice", demo.CustomCheckFailed(), selfhelp.StepCustomCheck, "“Intranet news”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, w := showHelp(t, "en", tt.report)
			if got := w.steps[0].ID; got != tt.first {
				t.Fatalf("first step %s, want %s", got, tt.first)
			}
			why := h.env.msg(w.steps[0].Why)
			if !strings.Contains(why, tt.whyPhrase) {
				t.Errorf("why %q does not mention %q", why, tt.whyPhrase)
			}
			if !slices.ContainsFunc(h.texts(), func(s string) bool { return s == why }) {
				t.Errorf("the why %q is not on the screen", why)
			}
		})
	}
}

// TestHelpActions: each button asks the remedies for exactly its action; restart and log out
// only after confirmation.
func TestHelpActions(t *testing.T) {
	tests := []struct {
		name   string
		report *diagnostics.Report
		taps   []string
		want   []selfhelp.Action
	}{
		{
			name: "sign out of the service and back in", report: demo.Healthy(),
			taps: []string{"Tokka: sign out and back in"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionReloginService, URL: "https://tokka.example.org/", LogoutURL: "https://tokka.example.org/logout"}},
		},
		{
			name: "open in another browser", report: demo.Healthy(),
			taps: []string{"Open Tokka in Chromium"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionOtherBrowser, URL: "https://tokka.example.org/", Browser: &selfhelp.Browser{ID: "chromium.desktop", Name: "Chromium"}}},
		},
		{
			name: "open the instructions", report: demo.ServiceDown(),
			taps: []string{"Open the instructions"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionOpenURL, URL: "https://support.example.org/instructions"}},
		},
		{
			name: "urgent: call", report: demo.ServiceDown(),
			taps: []string{"Call 0295 000 000"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionCall, URL: "tel:0295000000"}},
		},
		{
			name: "not urgent: the request window, nothing else", report: demo.ServiceDown(),
			taps: []string{"Make a support request"},
			want: nil,
		},
		{
			name: "log out asks first", report: demo.Healthy(),
			taps: []string{"Sign out now"},
			want: nil,
		},
		{
			name: "log out, then cancel", report: demo.Healthy(),
			taps: []string{"Sign out now", "Cancel"},
			want: nil,
		},
		{
			name: "log out, confirmed", report: demo.Healthy(),
			taps: []string{"Sign out now", "Sign out now"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionLogOut}},
		},
		{
			name: "clean-up, then cancel", report: demo.DiskFull(),
			taps: []string{"Empty the trash and temporary files", "Cancel"},
			want: nil,
		},
		{
			name: "clean-up, confirmed", report: demo.DiskFull(),
			taps: []string{"Empty the trash and temporary files", "Empty the trash and temporary files"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionCleanUp}},
		},
		{
			name: "restart asks first", report: demo.LongUptime(),
			taps: []string{"Restart now"},
			want: nil,
		},
		{
			name: "restart, confirmed in the dialog", report: demo.LongUptime(),
			taps: []string{"Restart now", "Restart now"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionRestart}},
		},
		{
			name: "the updates page opens at once", report: demo.UpdatesWaiting(),
			taps: []string{"Open the updates"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionOpenUpdates}},
		},
		{
			name: "a custom check's fix asks first", report: demo.CustomCheckFailed(),
			taps: []string{"Repair now"},
			want: nil,
		},
		{
			name: "a custom check's fix, confirmed", report: demo.CustomCheckFailed(),
			taps: []string{"Repair now", "Repair now"},
			want: []selfhelp.Action{{Kind: selfhelp.ActionCustomFix, Check: "news", Command: []string{"/opt/example/bin/intranet-cache", "--clear"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, w := showHelp(t, "en", tt.report)
			for i, label := range tt.taps {
				if i > 0 {
					// A second press of the same label is the dialog's, not the step's.
					b := findButton(h.window.Canvas().Overlays().Top(), label)
					if b == nil {
						t.Fatalf("no %q in the dialog", label)
					}
					test.Tap(b)
					continue
				}
				h.tap(label)
			}
			got := h.remedies.actions()
			for i := range got {
				got[i].Label, got[i].Confirm = i18n.Message{}, nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("actions %+v, want %+v", got, tt.want)
			}
			if w.confirm != nil {
				w.confirm.onCancel()
			}
		})
	}
}

// TestHelpRequestOpensTheRequestWindow: the request step opens the request window through the
// agent; only when the agent cannot, the portal opens instead.
func TestHelpRequestOpensTheRequestWindow(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		remedys []selfhelp.ActionKind
	}{
		{"the agent opens the window", nil, nil},
		{"no agent: the portal instead", errAgentDown, []selfhelp.ActionKind{selfhelp.ActionRequest}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := showHelp(t, "en", demo.ServiceDown())
			h.agent.err = tt.err
			h.tap("Make a support request")
			if want := []string{WindowRequest}; !slices.Equal(h.agent.opened, want) {
				t.Errorf("opened %q, want %q", h.agent.opened, want)
			}
			var got []selfhelp.ActionKind
			for _, a := range h.remedies.actions() {
				got = append(got, a.Kind)
			}
			if !slices.Equal(got, tt.remedys) {
				t.Errorf("remedies %q, want %q", got, tt.remedys)
			}
		})
	}
}

func TestHelpRemedyFailureIsShown(t *testing.T) {
	h, _ := showHelp(t, "en", demo.ServiceDown())
	h.remedies.err = selfhelp.ErrUnsupported
	h.tap("Open the instructions")
	h.pump()
	want := "This can't be done automatically on this computer."
	if !slices.ContainsFunc(h.texts(), func(s string) bool { return strings.Contains(s, want) }) {
		t.Errorf("no %q among %q", want, h.texts())
	}
}

// TestHelpWithoutReportRunsADiagnosis: opened before any diagnosis, the window asks for one and
// shows the plain guide meanwhile; the report then reorders the steps.
func TestHelpWithoutReportRunsADiagnosis(t *testing.T) {
	h := newHarness(t, "en")
	w := newHelp(h.env, h.window)
	h.show(w)
	w.onUpdate(agent.Update{Kind: agent.UpdateState, State: &agent.State{Lang: "en"}})
	if h.agent.diagnose != 1 {
		t.Fatalf("%d diagnoses started, want 1", h.agent.diagnose)
	}
	if w.intro.Text != h.env.t("window.help.intro_checking") {
		t.Errorf("intro %q while checking", w.intro.Text)
	}
	if len(w.steps) == 0 {
		t.Fatal("no steps while checking: the plain guide should show")
	}
	w.onUpdate(agent.Update{Kind: agent.UpdateState, State: runningState(1, nil)})
	w.onUpdate(agent.Update{Kind: agent.UpdateState, State: finishedState(1, demo.LongUptime())})
	if w.steps[0].ID != selfhelp.StepRestart {
		t.Errorf("first step %s after a long-uptime report", w.steps[0].ID)
	}
	if h.agent.diagnose != 1 {
		t.Errorf("%d diagnoses started, want still 1", h.agent.diagnose)
	}
}

// TestHelpStartLoadsProfileAndBrowsers runs start against the fakes.
func TestHelpStartLoadsProfileAndBrowsers(t *testing.T) {
	h := newHarness(t, "en")
	h.agent.updates = []agent.Update{{Kind: agent.UpdateState, State: finishedState(1, demo.Healthy())}}
	w := newHelp(h.env, h.window)
	h.show(w)
	w.start()
	h.next() // the profile
	h.next() // the browsers
	h.next() // the state
	if w.profile.Organisation.Name != "Example Agency" {
		t.Errorf("profile %q, want the agent's", w.profile.Organisation.Name)
	}
	if h.button("Open Tokka in Chromium") == nil {
		t.Error("no button for the other browser")
	}
}

// TestHelpCleanUpSaysWhatItFreed: after the confirmed clean-up, a dialog names the size freed,
// written the way the language writes it.
func TestHelpCleanUpSaysWhatItFreed(t *testing.T) {
	for _, tt := range []struct{ lang, button, says string }{
		{"fi", "Tyhjennä roskakori ja väliaikaiset tiedostot", "Levytilaa vapautui 1,2\u00a0Gt."},
		{"en", "Empty the trash and temporary files", "1.2\u00a0GB of disk space freed."},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h, _ := showHelp(t, tt.lang, demo.DiskFull())
			h.tap(tt.button)
			test.Tap(findButton(h.window.Canvas().Overlays().Top(), tt.button))
			h.next()
			if !slices.Contains(h.texts(), tt.says) {
				t.Errorf("the dialog does not say %q: %q", tt.says, h.texts())
			}
		})
	}
}

// TestHelpUpdatesButtonFollowsTheComputer: the step to install updates has its button only where
// the computer has a page for them (on Linux, a software centre), as start finds out.
func TestHelpUpdatesButtonFollowsTheComputer(t *testing.T) {
	for _, page := range []bool{true, false} {
		t.Run(fmt.Sprint("page ", page), func(t *testing.T) {
			h := newHarness(t, "en")
			h.remedies.updatesPage = page
			h.agent.updates = []agent.Update{{Kind: agent.UpdateState, State: finishedState(1, demo.UpdatesWaiting())}}
			w := newHelp(h.env, h.window)
			h.show(w)
			w.start()
			h.next() // the profile
			h.next() // the browsers and the updates page
			h.next() // the state
			if w.steps[0].ID != selfhelp.StepInstallUpdates {
				t.Fatalf("first step %s, want %s", w.steps[0].ID, selfhelp.StepInstallUpdates)
			}
			if got := h.button("Open the updates") != nil; got != page {
				t.Errorf("button shown %v, want %v", got, page)
			}
		})
	}
}

// TestHelpUpdatesAccessKey: the updates button, the one to press, has an access key in every
// language, and the key opens the page without asking.
func TestHelpUpdatesAccessKey(t *testing.T) {
	for _, tt := range []struct{ lang, label string }{
		{"en", "Open the updates"}, {"fi", "Avaa päivitykset"}, {"sv", "Öppna uppdateringarna"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h, w := showHelp(t, tt.lang, demo.UpdatesWaiting())
			b := h.button(tt.label)
			if b == nil {
				t.Fatalf("no button %q", tt.label)
			}
			if b.Icon == nil || b.Icon.Name() != theme.DownloadIcon().Name() {
				t.Errorf("icon %v, want the download arrow", b.Icon)
			}
			alt(h.window.Canvas(), letterOf(t, w.keys, tt.label))
			want := []selfhelp.Action{{Kind: selfhelp.ActionOpenUpdates, Label: i18n.Msg("selfhelp.action.open_updates")}}
			if got := h.remedies.actions(); !reflect.DeepEqual(got, want) {
				t.Errorf("actions %+v, want %+v", got, want)
			}
		})
	}
}
