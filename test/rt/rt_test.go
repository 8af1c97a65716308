//go:build linux

// Package rt_test files support requests in a real Request Tracker: Debian's RT 5 with a
// SQLite database in a temporary directory, its server on 127.0.0.1. Apuri's agent files the
// request with the diagnostics bundle attached, and the test reads the ticket back over REST2.
// It needs the packages request-tracker5, rt5-db-sqlite and rt5-standalone (scripts/deps.sh
// test); without them it skips, and with CI=true it fails.
package rt_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"archive/zip"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// Where Debian installs RT 5.
const (
	rtLib       = "/usr/share/request-tracker5/lib"
	rtServer    = "/usr/share/request-tracker5/libexec/rt-server"
	rtSetupDB   = "/usr/sbin/rt-setup-database-5"
	rtQueue     = "General"
	rtRootBasic = "root:password" // RT's initial root password
)

// siteConfig is the RT configuration of one test run: everything inside dir, nothing sent by
// mail, logs to stderr.
const siteConfig = `Set($DatabaseType, 'SQLite');
Set($DatabaseName, '%[1]s/rt.db');
Set($rtname, 'apuri-test');
Set($Organization, 'apuri.test');
Set($WebPath, '');
Set($WebDomain, '127.0.0.1');
Set($WebPort, %[2]d);
Set($WebBaseURL, 'http://127.0.0.1:%[2]d');
Set($LogToSTDERR, 'warning');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($MailCommand, 'testfile');
$RT::MasonDataDir = '%[1]s/mason';
$RT::MasonSessionDir = '%[1]s/sessions';
1;
`

// mkToken creates an authentication token for root and prints it.
const mkToken = `use strict; use warnings;
use lib '` + rtLib + `';
use RT; RT::LoadConfig(); RT::Init();
my $user = RT::User->new(RT->SystemUser);
$user->Load('root') or die "no root user";
my $token = RT::AuthToken->new(RT->SystemUser);
my ($ok, $msg, $auth) = $token->Create(Owner => $user->id, Description => 'apuri test');
die "token: $msg" unless $ok;
print "$auth\n";
`

// server is the RT instance shared by the tests of one run.
type server struct {
	url   string // http://127.0.0.1:PORT
	token string
	dir   string
	cmd   *exec.Cmd
	log   *bytes.Buffer
}

var (
	rtOnce  sync.Once
	rt      *server
	rtErr   error
	missing string
)

func TestMain(m *testing.M) {
	flag.Parse()
	for _, p := range []string{rtServer, rtSetupDB, rtLib} {
		if _, err := os.Stat(p); err != nil {
			missing = p
		}
	}
	code := m.Run()
	if rt != nil {
		rt.stop()
	}
	os.Exit(code)
}

// need starts RT once, or skips (fails in CI) when it cannot run here.
func need(t *testing.T) *server {
	t.Helper()
	if testing.Short() {
		t.Skip("Request Tracker skipped in -short mode")
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Request Tracker is not installed (%s missing); scripts/deps.sh test installs it", missing)
		}
		t.Skipf("Request Tracker is not installed (%s missing); scripts/deps.sh test installs it", missing)
	}
	rtOnce.Do(func() { rt, rtErr = start() })
	if rtErr != nil {
		t.Fatalf("start Request Tracker: %v", rtErr)
	}
	return rt
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// start sets up a database and runs RT's server on a free loopback port.
func start() (*server, error) {
	dir, err := os.MkdirTemp("", "apuri-rt-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, log: &bytes.Buffer{}}
	fail := func(err error) (*server, error) {
		s.stop()
		return nil, err
	}
	for _, d := range []string{"mason", "sessions", "siteconfig.d"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			return fail(err)
		}
	}
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	s.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	conf := filepath.Join(dir, "RT_SiteConfig.pm")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(siteConfig, dir, port)), 0o600); err != nil {
		return fail(err)
	}
	// Only this run's configuration: the system's (and its database) stay out of it.
	env := append(os.Environ(), "RT_SITE_CONFIG="+conf, "RT_SITE_CONFIG_DIR="+filepath.Join(dir, "siteconfig.d"))
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Env, cmd.Dir = env, dir
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %w\n%s%s", name, err, out.String(), errOut.String())
		}
		return out.String(), nil
	}
	if _, err := run(rtSetupDB, "--action", "init", "--skip-create"); err != nil {
		return fail(err)
	}
	tokenScript := filepath.Join(dir, "mktoken.pl")
	if err := os.WriteFile(tokenScript, []byte(mkToken), 0o600); err != nil {
		return fail(err)
	}
	out, err := run("perl", tokenScript)
	if err != nil {
		return fail(err)
	}
	s.token = strings.TrimSpace(out)

	s.cmd = exec.Command(rtServer, "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--max-workers", "2")
	s.cmd.Env, s.cmd.Dir = env, dir
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	// Its own process group, so that stop reaches the preforked workers too.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return fail(err)
	}
	var lastErr error // the last request's, if it failed
	answers := func() bool {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/REST/2.0/queues/all", nil)
		req.Header.Set("Authorization", "token "+s.token)
		var resp *http.Response
		if resp, lastErr = http.DefaultClient.Do(req); lastErr != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	if poll.Within(90*time.Second, answers) != nil {
		return fail(fmt.Errorf("RT did not answer on %s: %v\n%s", s.url, lastErr, s.log.String()))
	}
	return s, nil
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	os.RemoveAll(s.dir)
}

// get reads a REST2 resource as root.
func (s *server) get(t *testing.T, path string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.url+"/REST/2.0/"+path, nil)
	req.Header.Set("Authorization", "token "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// ticketsWithRef counts the tickets whose subject carries a request's reference.
func (s *server) ticketsWithRef(t *testing.T, ref string) int {
	var list struct {
		Total int `json:"total"`
	}
	s.get(t, "tickets?query="+url.QueryEscape(fmt.Sprintf("Subject LIKE '%s'", support.RefTag(ref))), &list)
	return list.Total
}

// attachment finds a ticket's attachment by file name and returns its bytes.
func (s *server) attachment(t *testing.T, ticket, name string) []byte {
	t.Helper()
	var list struct {
		Items []struct {
			ID       string `json:"id"`
			Filename string `json:"Filename"`
		} `json:"items"`
	}
	s.get(t, "ticket/"+ticket+"/attachments?fields=Filename&per_page=100", &list)
	for _, it := range list.Items {
		if it.Filename != name {
			continue
		}
		var a struct {
			Content     string `json:"Content"`
			ContentType string `json:"ContentType"`
		}
		s.get(t, "attachment/"+it.ID, &a)
		data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(a.Content, "\n", ""))
		if err != nil {
			t.Fatalf("attachment %s: %v", it.ID, err)
		}
		return data
	}
	t.Fatalf("ticket %s has no attachment %s (has %+v)", ticket, name, list.Items)
	return nil
}

// report is a diagnosis with a broken service, its details naming hosts and addresses.
func report() *diagnostics.Report {
	checks := []diagnostics.Result{
		{ID: diagnostics.IDInterfaces, Group: diagnostics.GroupNetwork, Status: diagnostics.StatusOK,
			Message: i18n.Msg("check.interfaces.ok"), Details: map[string]any{"mac": "3c:22:fb:12:34:56", "address": "192.168.44.10"}},
		{ID: "service.intranet", Group: diagnostics.GroupService, Status: diagnostics.StatusFail,
			Message: i18n.Msg("check.service.status", "status", 503), Details: map[string]any{"url": "https://intra.example.org/"},
			Log: []string{"GET https://intra.example.org/ from 192.168.44.10 as matti.meikalainen@valtori.fi: 503"}},
	}
	return &diagnostics.Report{Schema: diagnostics.ReportSchema, StartedAt: time.Now().UTC(), Checks: checks,
		Host: diagnostics.Host{OS: "linux"}, Verdict: diagnostics.Decide(checks)}
}

// newAgent is Apuri's agent with RT as the profile's channel and secret as its keyring entry.
func newAgent(t *testing.T, rtURL, secret string) *agent.Agent {
	t.Helper()
	p := profile.Default()
	p.Request.Channel = profile.ChannelRT
	p.Request.RT = profile.RTCfg{URL: rtURL + "/", Queue: rtQueue}
	p.Services = []profile.Service{{Name: "intranet", URL: "https://intra.example.org/"}}
	secrets := &support.MemorySecrets{}
	if secret != "" {
		if err := secrets.Set(support.SecretAccount(profile.ChannelRT, p.Request.RT.URL), secret); err != nil {
			t.Fatal(err)
		}
	}
	id := support.Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"}
	a := agent.New(agent.Config{
		Profile:      profile.Loaded{Profile: p, Source: profile.Source{Kind: profile.SourceFlag}},
		Diagnose:     func(context.Context, *profile.Profile, func(diagnostics.Event)) *diagnostics.Report { return report() },
		SettingsPath: filepath.Join(t.TempDir(), "settings.json"),
		Autostart:    noAutostart{},
		DetectLang:   func(string) string { return "fi" },
		Requests:     agent.RequestsConfig{Dir: t.TempDir(), Secrets: secrets, Identity: &id, SaveDir: t.TempDir()},
	})
	t.Cleanup(func() { a.Close() })
	if _, err := a.RunDiagnosis(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a
}

type noAutostart struct{}

func (noAutostart) Enabled() (bool, error) { return false, nil }
func (noAutostart) SetEnabled(bool) error  { return errors.New("not in tests") }

// submit files the saved draft the way the request window does: preview, then submit.
func submit(t *testing.T, a *agent.Agent) (agent.Preview, agent.SubmitResult) {
	t.Helper()
	info, err := a.RequestDraft()
	if err != nil {
		t.Fatal(err)
	}
	d := info.Draft
	d.Contact.Email = "matti.meikalainen@valtori.fi"
	p, err := a.PreviewRequest(agent.PreviewRequest{Draft: d})
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.SubmitRequest(context.Background(), agent.SubmitRequest{Draft: d, PreviewID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	return p, res
}

func TestFileARequestWithTheBundle(t *testing.T) {
	s := need(t)
	tests := []struct {
		name   string
		secret string
	}{
		{"token", s.token},
		{"basic credentials", rtRootBasic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAgent(t, s.url, tc.secret)
			p, res := submit(t, a)
			if res.Entry.State != support.StateSent || res.Receipt == nil || res.Receipt.Ticket == "" {
				t.Fatalf("submit: %+v %+v\n%s", res.Entry, res.Entry.Error, s.log.String())
			}
			ticket := res.Receipt.Ticket
			if want := s.url + "/Ticket/Display.html?id=" + ticket; res.Receipt.Link != want {
				t.Errorf("link %q, want %q", res.Receipt.Link, want)
			}
			var tk struct {
				Subject string `json:"Subject"`
				Queue   struct {
					ID string `json:"id"`
				} `json:"Queue"`
			}
			s.get(t, "ticket/"+ticket, &tk)
			if tk.Subject != p.Subject || !strings.Contains(tk.Subject, support.RefTag(p.Ref)) {
				t.Errorf("subject %q, want %q", tk.Subject, p.Subject)
			}
			got := s.attachment(t, ticket, p.Bundle.Name)
			if !bytes.Equal(got, p.Bundle.Data) {
				t.Fatalf("the bundle RT holds (%d bytes) differs from the one previewed (%d bytes)", len(got), len(p.Bundle.Data))
			}
			zr, err := zip.NewReader(bytes.NewReader(got), int64(len(got)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				rc, _ := f.Open()
				body, _ := io.ReadAll(rc)
				rc.Close()
				for _, secret := range []string{"192.168.44.10", "3c:22:fb:12:34:56", "matti.meikalainen@valtori.fi"} {
					if bytes.Contains(body, []byte(secret)) {
						t.Errorf("%s in RT carries %q", f.Name, secret)
					}
				}
			}
			if l, _ := a.Outbox(); len(l.History) != 1 || l.History[0].Receipt.Ticket != ticket {
				t.Errorf("history %+v", l.History)
			}
		})
	}
}

func TestWrongCredentialsWaitForTheUser(t *testing.T) {
	s := need(t)
	a := newAgent(t, s.url, "1-1-not-a-token")
	_, res := submit(t, a)
	if res.Entry.State != support.StateNeedsCredentials || res.Entry.Error == nil || res.Entry.Error.Key != "outbox.error.credentials" {
		t.Fatalf("with a wrong token: %+v %+v", res.Entry, res.Entry.Error)
	}
	if _, err := a.SetRequestSecret(profile.ChannelRT, s.token); err != nil {
		t.Fatal(err)
	}
	var l agent.OutboxList
	if poll.Within(60*time.Second, func() bool { l, _ = a.Outbox(); return len(l.History) == 1 }) != nil {
		t.Fatalf("not delivered after the token was fixed: %+v", l.Pending)
	}
	if n := s.ticketsWithRef(t, l.History[0].Ref); n != 1 {
		t.Errorf("%d tickets carry the reference, want 1", n)
	}
}

// TestALostAnswerFilesOneTicket puts a proxy between Apuri and RT that lets the first
// request reach RT but drops RT's answer: RT has the ticket, Apuri does not know it. The
// retry must find that ticket instead of filing a second one.
func TestALostAnswerFilesOneTicket(t *testing.T) {
	s := need(t)
	target, _ := url.Parse(s.url)
	rp := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	posts := 0
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		first := r.Method == http.MethodPost && posts == 0
		if r.Method == http.MethodPost {
			posts++
		}
		mu.Unlock()
		if !first {
			rp.ServeHTTP(w, r)
			return
		}
		rec := &discard{header: http.Header{}}
		rp.ServeHTTP(rec, r) // RT files the ticket...
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // ...and its answer is lost on the way back
		}
	})}
	go proxy.Serve(ln)
	t.Cleanup(func() { proxy.Close() })

	a := newAgent(t, "http://"+ln.Addr().String(), s.token)
	_, res := submit(t, a)
	if res.Entry.State != support.StateWaiting {
		t.Fatalf("a lost answer must leave the request waiting: %+v %+v", res.Entry, res.Entry.Error)
	}
	if n := s.ticketsWithRef(t, res.Entry.Ref); n != 1 {
		t.Fatalf("RT has %d tickets for the request before the retry, want 1", n)
	}
	a.FlushOutbox()
	var l agent.OutboxList
	if poll.Within(60*time.Second, func() bool { l, _ = a.Outbox(); return len(l.History) == 1 }) != nil {
		t.Fatalf("never delivered: %+v", l.Pending)
	}
	if n := s.ticketsWithRef(t, res.Entry.Ref); n != 1 {
		t.Errorf("RT has %d tickets for the request, want exactly 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if posts != 1 {
		t.Errorf("%d ticket creations were sent, want 1 (the retry must search, not post)", posts)
	}
}

// discard is a ResponseWriter that throws the answer away.
type discard struct{ header http.Header }

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}
