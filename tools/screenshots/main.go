// Command screenshots photographs Apuri's windows in every language (`make screenshots`): the
// real binary under Xvfb, each window against an agent that holds a canned state
// (internal/testsupport/demo) and whose diagnosis is canned too, so nothing is probed. It writes
// docs/screenshots/WINDOW-STATE-LANG.png, and the accessible web page as report-html-LANG.png.
//
// It needs Xvfb, xdotool and ImageMagick's import for the windows, Chromium for the web page.
// The windows run with an empty PATH and no system bus, so that even a stray click on "Restart
// now" could not restart anything.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
	"github.com/apuri-project/apuri/timeline"
)

// scene is one window in one state.
type scene struct {
	window, state string
	// report is what the canned diagnosis finds; nil for one that never finishes.
	report func() *diagnostics.Report
	// problems adds the problems of a broken profile that was passed over.
	problems bool
	// keys are typed into the window before the picture (xdotool key names).
	keys []string
	// click is a point in the window to click before the picture, if any.
	click *[2]int
	// scroll turns the mouse wheel down this many notches over the list of checks, to bring a
	// row below the fold into the picture.
	scroll int
	// settle is how long to wait after the keys, the click or the scroll.
	settle time.Duration
	// optIn scenes are taken only when -only names them: checks, not documentation.
	optIn bool
	// history fills the agent's connection history with a canned day (drops this morning).
	history bool
	// requests gives the agent a request waiting in its outbox and one sent earlier.
	requests bool
	// feed gives the profile a feed of known disruptions, served on loopback from demo.FeedJSON.
	feed bool
	// theme is the scene's theme variant when not -theme's: "dark" shows the dark colours.
	theme string
}

var scenes = []scene{
	{window: "details", state: "checking"},
	// The progress bar's text on its fill and track in the dark variant.
	{window: "details", state: "checking-dark", theme: "dark"},
	{window: "details", state: "problem", report: demo.VPNDown},
	{window: "details", state: "healthy", report: demo.Healthy},
	{window: "help", state: "servicedown", report: demo.ServiceDown},
	// Tab focuses the first button, the restart; space presses it and the countdown opens.
	{window: "help", state: "restart", report: demo.LongUptime, keys: []string{"Tab", "space"}, settle: 2500 * time.Millisecond},
	{window: "help", state: "pendingrestart", report: demo.PendingRestart},
	{window: "help", state: "updates", report: demo.UpdatesWaiting},
	{window: "help", state: "diskfull", report: demo.DiskFull},
	{window: "help", state: "password", report: demo.PasswordExpiring},
	{window: "details", state: "vpncertificate", report: demo.VPNCertificateExpired},
	{window: "details", state: "timeline", report: demo.Healthy, history: true},
	{window: "request", state: "vpndown", report: demo.VPNDown, requests: true},
	{window: "settings", state: "problems", report: demo.Healthy, problems: true},
	{window: "details", state: "known", report: demo.ServiceDown, feed: true},
	{window: "help", state: "known", report: demo.ServiceDown, feed: true},
	// A check the organisation wrote itself fails: its title in the rows and the verdict, its
	// advice and fix first in the ladder.
	{window: "details", state: "custom", report: demo.CustomCheckFailed, scroll: 8, settle: 500 * time.Millisecond},
	{window: "help", state: "custom", report: demo.CustomCheckFailed},
	// Fyne's own words (the error dialog's title and OK) in the chosen language: this agent
	// cannot open windows, so "What can I do?", which Enter presses, fails with an error dialog.
	{window: "details", state: "fyne-words", report: demo.VPNDown, keys: []string{"Return"}, settle: time.Second, optIn: true},
	// The focus seen from the keyboard, light and dark: Tab to the urgency (past the summary,
	// the description and the category), and Tab to the known disruption's bulletin, the first
	// stop of a request made during one.
	{window: "request", state: "focus-urgency", report: demo.VPNDown, keys: []string{"Tab", "Tab", "Tab", "Tab"}, settle: time.Second, optIn: true},
	{window: "request", state: "focus-urgency-dark", report: demo.VPNDown, keys: []string{"Tab", "Tab", "Tab", "Tab"}, settle: time.Second, optIn: true, theme: "dark"},
	{window: "request", state: "focus-link", report: demo.ServiceDown, feed: true, keys: []string{"Tab"}, settle: time.Second, optIn: true},
	{window: "request", state: "focus-link-dark", report: demo.ServiceDown, feed: true, keys: []string{"Tab"}, settle: time.Second, optIn: true, theme: "dark"},
}

func main() {
	bin := flag.String("bin", "bin/apuri", "the apuri binary to photograph")
	out := flag.String("out", "docs/screenshots", "where the PNGs go")
	langs := flag.String("langs", "fi,sv,en", "languages, comma-separated")
	only := flag.String("only", "", "photograph only scenes whose WINDOW-STATE contains this")
	display := flag.String("display", ":97", "the Xvfb display to use")
	flag.StringVar(&look.scale, "scale", "", "FYNE_SCALE for the windows (2 is text at 200 %)")
	flag.StringVar(&look.theme, "theme", "light", "the windows' theme variant: light or dark")
	flag.StringVar(&look.screen, "screen", "1280x800", "the Xvfb screen's size")
	flag.Parse()
	if err := run(*bin, *out, strings.Split(*langs, ","), *only, *display); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

// look is how the windows are drawn: their scale and theme, and the screen they are on.
var look struct{ scale, theme, screen string }

func run(bin, out string, langs []string, only, display string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "apuri-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := shootWindows(bin, out, tmp, langs, only, display); err != nil {
		return err
	}
	return shootWebPages(out, tmp, langs, only)
}

// wanted says whether -only asks for a scene.
func wanted(sc scene, only string) bool {
	name := sc.window + "-" + sc.state
	return strings.Contains(name, only) && (!sc.optIn || only == name)
}

// shootWindows photographs every window scene -only asks for, under an Xvfb of its own.
func shootWindows(bin, out, tmp string, langs []string, only, display string) error {
	if !slices.ContainsFunc(scenes, func(sc scene) bool { return wanted(sc, only) }) {
		return nil
	}
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed (apt-get install xvfb xdotool imagemagick): %w", tool, err)
		}
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}

	os.Setenv("DISPLAY", display)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", look.screen+"x24", "-nolisten", "tcp", "-noreset")
	if err := xvfb.Start(); err != nil {
		return fmt.Errorf("start Xvfb: %w", err)
	}
	defer func() {
		_ = xvfb.Process.Signal(syscall.SIGTERM)
		_ = xvfb.Wait()
	}()
	if err := poll.Within(10*time.Second, func() bool {
		return exec.Command("xdotool", "getdisplaygeometry").Run() == nil
	}); err != nil {
		return fmt.Errorf("no X server came up on %s: %w", display, err)
	}

	for _, sc := range scenes {
		if !wanted(sc, only) {
			continue
		}
		for _, lang := range langs {
			name := fmt.Sprintf("%s-%s-%s.png", sc.window, sc.state, lang)
			if err := shoot(bin, filepath.Join(out, name), tmp, display, sc, lang); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			fmt.Println(filepath.Join(out, name))
		}
	}
	return nil
}

// shoot starts a canned agent, opens the window against it and photographs it.
func shoot(bin, file, tmp, display string, sc scene, lang string) error {
	home := filepath.Join(tmp, "home-"+sc.window+"-"+sc.state+"-"+lang)
	runtimeDir := filepath.Join(home, "run")
	empty := filepath.Join(home, "bin")
	for _, d := range []string{runtimeDir, empty} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	diagnose := func(ctx context.Context, _ *profile.Profile, progress func(diagnostics.Event)) *diagnostics.Report {
		if sc.report != nil {
			return sc.report()
		}
		for _, ev := range demo.Progress() {
			progress(ev)
		}
		<-ctx.Done() // a diagnosis caught half-way
		return demo.Healthy()
	}
	store := timeline.Open(filepath.Join(home, "timeline.db"))
	if sc.history {
		// The day ends when the window says it checked: the agent and the window read the
		// history up to the real clock, so the canned diagnosis is dated now, not demo's day.
		checkedAt := time.Now().Truncate(time.Minute)
		if err := cannedHistory(store, demo.History(checkedAt)); err != nil {
			return fmt.Errorf("canned history: %w", err)
		}
		if canned := sc.report; canned != nil {
			sc.report = func() *diagnostics.Report {
				r := canned()
				r.StartedAt = checkedAt
				return r
			}
		}
	}
	loaded := demo.Loaded(sc.problems)
	if sc.feed {
		feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(demo.FeedJSON))
		}))
		defer feed.Close()
		loaded.Profile.Disruptions.FeedURL = feed.URL
	}
	a := agent.New(agent.Config{
		Timeline: store,
		Requests: agent.RequestsConfig{
			Dir:      filepath.Join(home, "requests"),
			SaveDir:  filepath.Join(home, "saved"),
			Secrets:  noKeyring{},
			Identity: &support.Identity{Login: "maija", RealName: "Maija Meikäläinen", Home: home, Hostname: "laptop-42"},
			// Nothing a canned agent sends may leave: every attempt fails at once.
			Client: &http.Client{Transport: offline{}},
			Open:   func(context.Context, string) error { return errors.New("screenshots open nothing") },
		},
		Profile:      loaded,
		Feed:         agent.FeedConfig{CachePath: filepath.Join(home, "disruptions.json")},
		Lang:         lang,
		Diagnose:     diagnose,
		SettingsPath: filepath.Join(home, "settings.json"),
		Autostart:    &noAutostart{},
		DetectLang:   func(string) string { return lang },
	})
	defer a.Close()
	if sc.feed {
		if err := a.StartDisruptions(); err != nil {
			return err
		}
		if err := poll.Within(5*time.Second, func() bool {
			d := a.State().Disruptions
			return d != nil && len(d.Disruptions) > 0
		}); err != nil {
			return errors.New("the canned feed was not read")
		}
	}
	if sc.report != nil {
		if _, err := a.RunDiagnosis(ctx); err != nil {
			return err
		}
	} else {
		if _, _, err := a.StartDiagnosis(); err != nil {
			return err
		}
		if err := poll.Within(5*time.Second, func() bool { return len(a.State().Progress) > 0 }); err != nil {
			return errors.New("the canned diagnosis made no progress")
		}
	}

	if sc.requests {
		// An earlier request that could not be sent waits in the outbox.
		info, err := a.NewRequestDraft(agent.NewDraft{})
		if err != nil {
			return fmt.Errorf("canned request: %w", err)
		}
		info.Draft.Summary = "Tokka"
		if _, err := a.SubmitRequest(ctx, agent.SubmitRequest{Draft: info.Draft}); err != nil {
			return fmt.Errorf("canned request: %w", err)
		}
	}

	sock := filepath.Join(runtimeDir, "apuri", agent.SocketName)
	if err := os.MkdirAll(filepath.Dir(sock), 0o700); err != nil {
		return err
	}
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return err
	}
	srv := agent.NewServer(a)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	// The window must find this agent: without one it would run a real diagnosis itself.
	c, err := agent.Dial(sock)
	if err != nil {
		return fmt.Errorf("the canned agent does not answer: %w", err)
	}
	c.Close()

	win := exec.Command(bin, "window", sc.window, "--lang", lang)
	win.Env = []string{
		"DISPLAY=" + display,
		"HOME=" + home,
		"XDG_RUNTIME_DIR=" + runtimeDir,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"LANG=C.UTF-8",
		"FYNE_THEME=" + cmp.Or(sc.theme, look.theme),
		"FYNE_SCALE=" + look.scale,
		"PATH=" + empty,
		"DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"),
	}
	win.Stdout, win.Stderr = os.Stderr, os.Stderr
	if err := win.Start(); err != nil {
		return err
	}
	defer func() {
		_ = win.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = win.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = win.Process.Kill()
			<-done
		}
	}()

	var id string
	if err := poll.Within(20*time.Second, func() bool {
		o, err := xdotool("search", "--onlyvisible", "--name", "^Apuri")
		id = strings.TrimSpace(strings.SplitN(o, "\n", 2)[0])
		return err == nil && id != ""
	}); err != nil {
		return errors.New("the window did not appear")
	}
	// Let the window read the agent's state and draw it.
	time.Sleep(1500 * time.Millisecond)
	if len(sc.keys) > 0 {
		if _, err := xdotool("windowfocus", "--sync", id); err != nil {
			return fmt.Errorf("focus the window: %w", err)
		}
		for _, k := range sc.keys {
			if _, err := xdotool("key", "--clearmodifiers", k); err != nil {
				return fmt.Errorf("press %s: %w", k, err)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	if sc.click != nil {
		if _, err := xdotool("mousemove", "--window", id, fmt.Sprint(sc.click[0]), fmt.Sprint(sc.click[1]), "click", "1"); err != nil {
			return fmt.Errorf("click: %w", err)
		}
	}
	if sc.scroll > 0 {
		if _, err := xdotool("mousemove", "--window", id, "360", "400"); err != nil {
			return fmt.Errorf("point at the list: %w", err)
		}
		time.Sleep(300 * time.Millisecond)
		if _, err := xdotool("click", "--repeat", fmt.Sprint(sc.scroll), "--delay", "100", "5"); err != nil {
			return fmt.Errorf("scroll: %w", err)
		}
	}
	if len(sc.keys) > 0 || sc.click != nil || sc.scroll > 0 {
		time.Sleep(sc.settle)
	}
	if o, err := exec.Command("import", "-window", id, file).CombinedOutput(); err != nil {
		return fmt.Errorf("import: %v: %s", err, o)
	}
	return nil
}

func xdotool(args ...string) (string, error) {
	o, err := exec.Command("xdotool", args...).Output()
	return string(o), err
}

// cannedHistory writes a canned day of the connection into s.
func cannedHistory(s *timeline.Store, day *timeline.Timeline) error {
	for _, smp := range day.Samples {
		if err := s.AddSample(smp); err != nil {
			return err
		}
	}
	for _, in := range day.Incidents {
		if _, err := s.Begin(in); err != nil {
			return err
		}
	}
	return s.Flush()
}

// noKeyring is a system without a keyring service: the canned agent reads no real secrets.
type noKeyring struct{}

func (noKeyring) Get(string) (string, error) { return "", support.ErrNoKeyring }
func (noKeyring) Set(string, string) error   { return support.ErrNoKeyring }
func (noKeyring) Delete(string) error        { return support.ErrNoKeyring }

// offline fails every request the canned agent would send.
type offline struct{}

func (offline) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("screenshots send nothing")
}

// noAutostart keeps the canned agent away from the real login items.
type noAutostart struct{ on bool }

func (n *noAutostart) Enabled() (bool, error)   { return n.on, nil }
func (n *noAutostart) SetEnabled(on bool) error { n.on = on; return nil }
