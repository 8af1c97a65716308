package tray

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/assets"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/notify"
	"github.com/apuri-project/apuri/profile"
)

// fakeShell records what the controller draws, like systray would show it.
type fakeShell struct {
	mu       sync.Mutex
	icons    [][]byte
	tooltip  string
	title    string
	items    []*fakeItem
	resets   int
	retitles int
}

type fakeItem struct {
	shell    *fakeShell
	label    string
	disabled bool
	sep      bool
	clicked  chan struct{}
}

func (s *fakeShell) SetIcon(png []byte) { s.mu.Lock(); s.icons = append(s.icons, png); s.mu.Unlock() }
func (s *fakeShell) SetTitle(t string)  { s.mu.Lock(); s.title = t; s.mu.Unlock() }
func (s *fakeShell) SetTooltip(t string) {
	s.mu.Lock()
	s.tooltip = t
	s.mu.Unlock()
}

func (s *fakeShell) ResetMenu() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range s.items {
		if it.clicked != nil {
			close(it.clicked)
		}
	}
	s.items = nil
	s.resets++
}

func (s *fakeShell) AddItem(label, _ string, disabled bool) menuItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := &fakeItem{shell: s, label: label, disabled: disabled, clicked: make(chan struct{})}
	s.items = append(s.items, it)
	return it
}

func (s *fakeShell) AddSeparator() {
	s.mu.Lock()
	s.items = append(s.items, &fakeItem{sep: true})
	s.mu.Unlock()
}

func (i *fakeItem) Clicked() <-chan struct{} { return i.clicked }
func (i *fakeItem) SetTooltip(string)        {}
func (i *fakeItem) SetTitle(label string) {
	i.shell.mu.Lock()
	i.label = label
	i.shell.retitles++
	i.shell.mu.Unlock()
}

func (s *fakeShell) labels() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, it := range s.items {
		if !it.sep {
			out = append(out, it.label)
		}
	}
	return out
}

func (s *fakeShell) status() string {
	if l := s.labels(); len(l) > 0 {
		return l[0]
	}
	return ""
}

// click clicks the item with this label, as systray would: only a waiting handler gets it.
func (s *fakeShell) click(t *testing.T, label string) {
	t.Helper()
	s.mu.Lock()
	var ch chan struct{}
	for _, it := range s.items {
		if it.label == label && !it.sep {
			ch = it.clicked
		}
	}
	s.mu.Unlock()
	if ch == nil {
		t.Fatalf("no menu item %q among %q", label, s.labels())
	}
	ch <- struct{}{}
}

func (s *fakeShell) lastIcon() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.icons) == 0 {
		return nil
	}
	return s.icons[len(s.icons)-1]
}

// fakeDiagnosis reports a queue of causes, one per run; each run waits for release when set.
type fakeDiagnosis struct {
	mu      sync.Mutex
	causes  []diagnostics.Cause
	calls   int
	release chan struct{}
}

func (f *fakeDiagnosis) diagnose(ctx context.Context, _ *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report {
	f.mu.Lock()
	cause := diagnostics.CauseHealthy
	if f.calls < len(f.causes) {
		cause = f.causes[f.calls]
	}
	f.calls++
	release := f.release
	f.mu.Unlock()
	for _, id := range []string{"network.interfaces", "network.dns", "system.disk"} {
		progress(diagnostics.Event{Kind: diagnostics.EventStarted, ID: id})
	}
	r := diagnostics.OK(i18n.Msg("check.fake"))
	r.ID = "network.interfaces"
	progress(diagnostics.Event{Kind: diagnostics.EventFinished, ID: r.ID, Result: &r})
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return nil
		}
	}
	status := diagnostics.StatusFail
	switch cause {
	case diagnostics.CauseHealthy:
		status = diagnostics.StatusOK
	case diagnostics.CauseDegraded:
		status = diagnostics.StatusWarn
	}
	rep := finished(cause, status)
	rep.StartedAt = time.Now()
	return rep
}

func (f *fakeDiagnosis) runs() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

type fakeSender struct {
	mu    sync.Mutex
	sent  []notify.Notification
	fails bool
}

func (f *fakeSender) Send(_ context.Context, n notify.Notification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, n)
	if f.fails {
		return errors.New("no notification service")
	}
	return nil
}

func (f *fakeSender) notes() []notify.Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sent)
}

type noAutostart struct{}

func (noAutostart) Enabled() (bool, error) { return false, nil }
func (noAutostart) SetEnabled(bool) error  { return nil }

// rig is a controller drawing on a fake shell for an agent with a fake diagnosis.
type rig struct {
	c        *controller
	a        *agent.Agent
	shell    *fakeShell
	diag     *fakeDiagnosis
	sender   *fakeSender
	mu       sync.Mutex
	windows  []string
	urls     []string
	files    []string  // what the desktop was asked to open
	page     string    // where the web page is written
	trays    chan bool // the panel's tray coming and going
	quits    int
	winOpen  bool
	loopDone chan struct{}
	firstGen *generation // the menu prepare built
}

func newRig(t *testing.T, lang string, diag *fakeDiagnosis) *rig {
	t.Helper()
	return newRigIn(t, lang, diag, t.TempDir(), false)
}

// newRigIn is a rig whose agent keeps its settings in dir; noTray starts it on a desktop that
// shows no tray icons.
func newRigIn(t *testing.T, lang string, diag *fakeDiagnosis, dir string, noTray bool) *rig {
	t.Helper()
	r := &rig{shell: &fakeShell{}, diag: diag, sender: &fakeSender{}, loopDone: make(chan struct{}),
		page: filepath.Join(t.TempDir(), "apuri", "report.html"), trays: make(chan bool)}
	r.a = agent.New(agent.Config{
		Lang:         lang,
		Diagnose:     diag.diagnose,
		SettingsPath: filepath.Join(dir, "settings.json"),
		Autostart:    noAutostart{},
		DetectLang:   func(string) string { return "en" },
		OpenWindow: func(name, _ string) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.windows = append(r.windows, name)
			return nil
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	r.c = &controller{
		agent: r.a, shell: r.shell, notifier: r.sender,
		openURL: func(_ context.Context, u string) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.urls = append(r.urls, u)
			return nil
		},
		openFile: func(_ context.Context, path string) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.files = append(r.files, path)
			return nil
		},
		pagePath:   func() (string, error) { return r.page, nil },
		windowOpen: func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.winOpen },
		quit:       func() { r.mu.Lock(); r.quits++; r.mu.Unlock() },
		logf:       t.Logf,
		noTray:     noTray,
	}
	updates, unsubscribe := r.a.Subscribe()
	r.c.prepare(ctx, <-updates)
	r.firstGen = r.c.gen
	go func() {
		defer close(r.loopDone)
		r.c.loop(ctx, updates, nil, r.trays)
	}()
	t.Cleanup(func() {
		cancel()
		unsubscribe()
		<-r.loopDone
		r.c.bgNotify.Wait()
		r.a.Close()
	})
	return r
}

func TestTheTrayFollowsADiagnosis(t *testing.T) {
	for _, lang := range i18n.Languages {
		t.Run(lang, func(t *testing.T) {
			tr := i18n.New(lang)
			diag := &fakeDiagnosis{causes: []diagnostics.Cause{diagnostics.CauseNoLink}, release: make(chan struct{})}
			r := newRig(t, lang, diag)
			if got := r.shell.status(); got != tr.T("tray.status.unknown", nil) {
				t.Fatalf("before the first diagnosis the status says %q", got)
			}
			if r.shell.title != "Apuri" {
				t.Errorf("title %q", r.shell.title)
			}
			r.c.diagnose()
			progress := tr.F("tray.status.progress", "done", 1, "total", 3)
			poll.Until(t, "progress on the status line", func() bool { return r.shell.status() == progress })
			if !slices.Equal(r.shell.lastIcon(), assets.TrayIcon("checking", false)) && !slices.Equal(r.shell.lastIcon(), assets.TrayIcon("checking", true)) {
				t.Error("the icon does not show checking")
			}
			close(diag.release)
			want := tr.T("tray.cause.no_link", nil)
			poll.Until(t, "the verdict on the status line", func() bool { return r.shell.status() == want })
			if !slices.Equal(r.shell.lastIcon(), assets.TrayIcon("problem", false)) && !slices.Equal(r.shell.lastIcon(), assets.TrayIcon("problem", true)) {
				t.Error("the icon does not show a problem")
			}
			r.shell.mu.Lock()
			resets, tip := r.shell.resets, r.shell.tooltip
			r.shell.mu.Unlock()
			if resets != 1 {
				t.Errorf("the menu was rebuilt %d times for a diagnosis, want once (only the status line changes)", resets)
			}
			if tip != tr.F("tray.tooltip", "status", want) {
				t.Errorf("tooltip %q", tip)
			}
		})
	}
}

func TestNotifications(t *testing.T) {
	nl, dns, ok := diagnostics.CauseNoLink, diagnostics.CauseDNSFailure, diagnostics.CauseHealthy
	tests := []struct {
		name       string
		causes     []diagnostics.Cause
		byWindow   bool // runs started through the API, as a window does
		windowOpen bool
		off        bool // the user turned notifications off
		want       []diagnostics.Cause
	}{
		{"a problem is told", []diagnostics.Cause{nl}, false, false, false, []diagnostics.Cause{nl}},
		{"the same problem again is not", []diagnostics.Cause{nl, nl}, false, false, false, []diagnostics.Cause{nl}},
		{"a different problem is", []diagnostics.Cause{nl, dns}, false, false, false, []diagnostics.Cause{nl, dns}},
		{"after a good result the problem is news again", []diagnostics.Cause{nl, ok, nl}, false, false, false, []diagnostics.Cause{nl, nl}},
		{"warnings and good results are not told", []diagnostics.Cause{diagnostics.CauseDegraded, ok}, false, false, false, nil},
		{"a run started from an open window is on screen already", []diagnostics.Cause{nl}, true, true, false, nil},
		{"a run from the API with no window open is told", []diagnostics.Cause{nl}, true, false, false, []diagnostics.Cause{nl}},
		{"the tray's own run is told with a window open", []diagnostics.Cause{nl}, false, true, false, []diagnostics.Cause{nl}},
		{"not when turned off", []diagnostics.Cause{nl}, false, false, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, "fi", &fakeDiagnosis{causes: tt.causes})
			r.mu.Lock()
			r.winOpen = tt.windowOpen
			r.mu.Unlock()
			if tt.off {
				s := r.a.Settings()
				s.Notifications = false
				if _, err := r.a.SaveSettings(s); err != nil {
					t.Fatal(err)
				}
			}
			for i := range tt.causes {
				if tt.byWindow {
					if _, err := r.a.RunDiagnosis(context.Background()); err != nil {
						t.Fatal(err)
					}
				} else {
					r.c.diagnose()
				}
				poll.Until(t, fmt.Sprintf("the end of run %d judged", i+1), func() bool { return r.judged() == uint64(i+1) })
			}
			r.c.bgNotify.Wait()
			tr := i18n.New("fi")
			var got []diagnostics.Cause
			for _, n := range r.sender.notes() {
				for _, c := range diagnostics.Causes {
					if n.Summary == tr.T("tray.cause."+string(c), nil) {
						got = append(got, c)
					}
				}
				if n.ActionLabel != tr.T("tray.notify.show_details", nil) {
					t.Errorf("button %q", n.ActionLabel)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("told %v, want %v", got, tt.want)
			}
		})
	}
}

// judged is the last run whose end the tray has judged for a notification.
func (r *rig) judged() uint64 {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.judged
}

func TestTheNotificationSaysWhatToTry(t *testing.T) {
	tr := i18n.New("sv")
	n := alertFor(finished(diagnostics.CauseNoLink, diagnostics.StatusFail), tr)
	if n.Summary != tr.T("tray.cause.no_link", nil) {
		t.Errorf("summary %q", n.Summary)
	}
	want := tr.T("verdict.no_link", nil) + "\n" + tr.T("advice.connect_network", nil)
	if n.Body != want {
		t.Errorf("body %q, want %q", n.Body, want)
	}
}

// The body starts with the verdict's whole sentence, word for word the details window's and
// the web page's, in every language; a known disruption is named under it.
func TestTheNotificationCarriesTheWholeVerdict(t *testing.T) {
	for _, lang := range i18n.Languages {
		for name, r := range map[string]*diagnostics.Report{"service down": demo.ServiceDown(), "known": demo.ServiceDownKnown(), "vpn": demo.VPNDown()} {
			t.Run(lang+"/"+name, func(t *testing.T) {
				tr := i18n.New(lang)
				localized := *r
				localized.Checks = slices.Clone(r.Checks)
				localized.Localize(tr)
				lines := strings.Split(alertFor(r, tr).Body, "\n")
				if lines[0] != localized.Verdict.Summary {
					t.Errorf("the body starts %q, want the verdict %q", lines[0], localized.Verdict.Summary)
				}
				if d := r.Verdict.Disruption; d != nil && !slices.Contains(lines, tr.T("report.known_disruption", map[string]any{"title": d.Title})) {
					t.Errorf("the body %q does not name the known disruption", lines)
				}
				if last := lines[len(lines)-1]; last != localized.Verdict.Advice[0] {
					t.Errorf("the body ends %q, want the first advice %q", last, localized.Verdict.Advice[0])
				}
			})
		}
	}
}

func TestMenuClicks(t *testing.T) {
	tr := i18n.New("en")
	r := newRig(t, "en", &fakeDiagnosis{})
	r.a.SetProfile(profile.Loaded{Profile: parseProfile(t, fullProfile)})
	poll.Until(t, "the profile's links in the menu", func() bool { return slices.Contains(r.shell.labels(), "TOP") })

	r.shell.click(t, tr.T("tray.menu.diagnose", nil))
	poll.Until(t, "a diagnosis", func() bool { return r.diag.runs() == 1 })
	r.shell.click(t, tr.T("tray.menu.details", nil))
	r.shell.click(t, tr.T("tray.menu.help", nil))
	r.shell.click(t, tr.T("tray.menu.settings", nil))
	r.shell.click(t, "TOP")
	r.shell.click(t, tr.T("tray.menu.request", nil))
	r.shell.click(t, tr.F("tray.menu.call_hours", "phone", "0295 000 000", "hours", "ma–pe 8–16"))
	r.shell.click(t, tr.T("tray.menu.quit", nil))
	poll.Until(t, "every click handled", func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.windows) == 4 && len(r.urls) == 2 && r.quits == 1
	})
	// Each item has its own handler, so the clicks are handled in any order.
	slices.Sort(r.windows)
	slices.Sort(r.urls)
	if want := []string{"details", "help", "request", "settings"}; !slices.Equal(r.windows, want) {
		t.Errorf("windows %q, want %q", r.windows, want)
	}
	if want := []string{"https://top.example.org/", "tel:0295000000"}; !slices.Equal(r.urls, want) {
		t.Errorf("opened %q, want %q", r.urls, want)
	}
}

func TestClickHandlersDieWithTheirMenu(t *testing.T) {
	r := newRig(t, "en", &fakeDiagnosis{})
	poll.Until(t, "the first menu", func() bool { return len(r.shell.labels()) > 0 })
	old := r.firstGen
	r.a.SetProfile(profile.Loaded{Profile: parseProfile(t, fullProfile)})
	poll.Until(t, "the menu rebuilt", func() bool { return slices.Contains(r.shell.labels(), "TOP") })
	old.wg.Wait() // returns only once every handler of the old menu has ended
}

func TestAlerterJudgesEachReportOnce(t *testing.T) {
	var a alerter
	r := finished(diagnostics.CauseNoLink, diagnostics.StatusFail)
	r.StartedAt = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if !a.judge(r, true, true, false) {
		t.Fatal("a new problem was not told")
	}
	a.told = "" // even forgetting the cause, the same report is not judged twice
	if a.judge(r, true, true, false) {
		t.Error("the same report was told twice (a settings change republishes the state)")
	}
}

func TestPanelDark(t *testing.T) {
	tests := []struct {
		name    string
		desktop string
		scheme  uint32
		known   bool
		want    bool
	}{
		{"GNOME's top bar is dark even in the light scheme", "ubuntu:GNOME", 2, true, true},
		{"a light preference elsewhere", "KDE", 2, true, false},
		{"a dark preference", "KDE", 1, true, true},
		{"no preference", "XFCE", 0, true, true},
		{"no portal", "", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := panelDark(tt.desktop, tt.scheme, tt.known); got != tt.want {
				t.Errorf("panelDark = %v, want %v", got, tt.want)
			}
		})
	}
}
