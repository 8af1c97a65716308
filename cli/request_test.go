package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/program"
	"github.com/apuri-project/apuri/support"
)

// withSupport gives the bundle and request commands temporary directories, an in-memory
// keyring and a desktop that opens nothing, for one test.
func withSupport(t *testing.T) (*support.MemorySecrets, *[]string) {
	t.Helper()
	saved := supportDeps
	t.Cleanup(func() { supportDeps = saved })
	secrets := &support.MemorySecrets{}
	var opened []string
	var mu sync.Mutex
	id := support.Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"}
	supportDeps = supportEnv{
		DataDir: t.TempDir(), SaveDir: t.TempDir(), Secrets: secrets, Identity: &id,
		Open: func(_ context.Context, target string) error {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, target)
			return nil
		},
		Run:      func(context.Context, string, ...string) error { return fmt.Errorf("no xdg-email here") },
		Timeline: func() ([]byte, error) { return nil, nil },
		Stdin:    strings.NewReader(""),
		Now:      func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) },
	}
	return secrets, &opened
}

// writeProfile writes a profile that sends requests to url through channel.
func writeRequestProfile(t *testing.T, channel, url string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profile.toml")
	body := fmt.Sprintf(`schema = 1
[support]
portal_url = "https://support.example.org/"
new_request_url = "https://support.example.org/new?title={summary}&text={description}"
email = "support@example.org"
phone = "0295 000 000"
[request]
channel = %q
[request.webhook]
url = %q
`, channel, url)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// failing is a report whose verdict names the DNS.
var failing = report(
	result(diagnostics.IDInterfaces, diagnostics.GroupNetwork, diagnostics.StatusOK, ""),
	result(diagnostics.IDDNS, diagnostics.GroupNetwork, diagnostics.StatusFail, ""))

func TestBundleCommand(t *testing.T) {
	withSupport(t)
	out := filepath.Join(t.TempDir(), "b.zip")
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"writes the zip", []string{"bundle", "-o", out}, program.ExitOK, "b.zip"},
		{"needs a file name", []string{"bundle"}, program.ExitUsage, "apuri bundle -o"},
		{"a missing directory fails", []string{"bundle", "-o", "/nonexistent/dir/x.zip"}, program.ExitFailed, "x.zip"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, failing, tc.args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.contains) {
				t.Errorf("exit %d, want %d; output %q %q", code, tc.code, stdout, stderr)
			}
		})
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "report.json") || !strings.Contains(got, "MANIFEST") {
		t.Errorf("bundle holds %s", got)
	}
}

func TestRequestDryRunSendsNothing(t *testing.T) {
	_, opened := withSupport(t)
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
	defer srv.Close()
	prof := writeRequestProfile(t, "webhook", srv.URL)
	code, stdout, stderr := run(t, failing, "request", "--profile", prof, "--summary", "DNS is down", "--dry-run", "--email", "matti@example.org")
	if code != program.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"--dry-run", "DNS is down [apuri:", "Contact: Matti Meikäläinen, matti@example.org", "report.json", "MANIFEST"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("preview lacks %q:\n%s", want, stdout)
		}
	}
	if calls != 0 || len(*opened) != 0 {
		t.Error("a dry run sent something")
	}
	if entries, _ := os.ReadDir(filepath.Join(supportDeps.DataDir, "outbox")); len(entries) != 0 {
		t.Error("a dry run wrote to the outbox")
	}
	code, stdout, _ = run(t, failing, "request", "--profile", prof, "--dry-run", "--json", "--channel", "portal")
	var got requestJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != program.ExitOK {
		t.Fatalf("JSON %v: %s", err, stdout)
	}
	if !got.DryRun || got.Channel != "portal" || !strings.HasPrefix(got.URL, "https://support.example.org/new?title=") || got.Bundle == nil {
		t.Errorf("dry run JSON %+v", got)
	}
}

func TestRequestCommandSends(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		code     int
		contains string
		pending  int
	}{
		{"delivered", http.StatusCreated, program.ExitOK, "Sent. Request 9", 0},
		{"server error waits in the outbox", http.StatusInternalServerError, program.ExitFailed, "waits in the outbox", 1},
		{"unauthorized needs credentials", http.StatusUnauthorized, program.ExitFailed, "did not accept the sign-in details", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			withSupport(t)
			var keys []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				keys = append(keys, r.Header.Get("Idempotency-Key"))
				w.WriteHeader(tc.status)
				fmt.Fprint(w, `{"ticket":"9"}`)
			}))
			defer srv.Close()
			prof := writeRequestProfile(t, "webhook", srv.URL)
			code, stdout, stderr := run(t, failing, "request", "--profile", prof, "--summary", "DNS", "--phone", "040 1")
			if code != tc.code || !strings.Contains(stdout+stderr, tc.contains) {
				t.Fatalf("exit %d, want %d; %q %q", code, tc.code, stdout, stderr)
			}
			ob := newOutbox(support.Store{Dir: supportDeps.DataDir})
			if n := len(ob.Pending()); n != tc.pending {
				t.Errorf("%d in the outbox, want %d", n, tc.pending)
			}
			if c := (support.Store{Dir: supportDeps.DataDir}).LoadContact(); c.Phone != "040 1" {
				t.Errorf("contact not remembered: %+v", c)
			}
			if tc.pending == 0 || len(keys) != 1 {
				return
			}
			// The server recovers; --flush sends what waits, with the same key.
			tc.status = http.StatusCreated
			code, stdout, _ = run(t, failing, "request", "--profile", prof, "--flush")
			if code != program.ExitOK || !strings.Contains(stdout, "1 sent, 0 still waiting") || len(keys) != 2 || keys[0] != keys[1] {
				t.Errorf("flush: exit %d %q, keys %v", code, stdout, keys)
			}
		})
	}
}

func TestRequestPortalPrintsTheText(t *testing.T) {
	_, opened := withSupport(t)
	prof := writeRequestProfile(t, "portal", "")
	code, stdout, stderr := run(t, failing, "request", "--profile", prof, "--summary", "DNS is down")
	if code != program.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Copy this text into the request form:") || !strings.Contains(stdout, "DNS is down\n") {
		t.Errorf("output %s", stdout)
	}
	if len(*opened) != 2 || !strings.HasPrefix((*opened)[0], "https://support.example.org/new?title=DNS%20is%20down") {
		t.Errorf("opened %v: the form, then the bundle's folder", *opened)
	}
}

func TestRequestSetToken(t *testing.T) {
	tests := []struct {
		name    string
		channel string
		stdin   string
		code    int
		stored  string
	}{
		{"from standard input", "webhook", "s3cret\n", program.ExitOK, "s3cret"},
		{"empty input", "webhook", "\n", program.ExitUsage, ""},
		{"portal needs none", "portal", "x\n", program.ExitUsage, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			secrets, _ := withSupport(t)
			supportDeps.Stdin = strings.NewReader(tc.stdin)
			prof := writeRequestProfile(t, "webhook", "https://hooks.example.org/apuri")
			code, _, stderr := run(t, nil, "request", "--profile", prof, "--set-token", "--channel", tc.channel)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			got, _ := secrets.Get(support.SecretAccount("webhook", "https://hooks.example.org/apuri"))
			if got != tc.stored {
				t.Errorf("stored %q, want %q", got, tc.stored)
			}
		})
	}
	secrets, _ := withSupport(t)
	secrets.Unavailable = true
	supportDeps.Stdin = strings.NewReader("x\n")
	prof := writeRequestProfile(t, "webhook", "https://hooks.example.org/apuri")
	if code, _, stderr := run(t, nil, "request", "--profile", prof, "--set-token"); code != program.ExitFailed || !strings.Contains(stderr, "no keyring") {
		t.Errorf("without a keyring: exit %d %q", code, stderr)
	}
}

func TestRequestUsageErrors(t *testing.T) {
	withSupport(t)
	tests := []struct {
		name string
		args []string
	}{
		{"unknown channel", []string{"request", "--channel", "fax"}},
		{"unknown category", []string{"request", "--category", "printers"}},
		{"email without an address", []string{"request", "--channel", "email", "--summary", "x", "--no-attach"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prof := writeRequestProfile(t, "portal", "")
			os.WriteFile(prof, []byte("schema = 1\n"), 0o600)
			if code, _, _ := run(t, nil, append(tc.args, "--profile", prof)...); code != program.ExitUsage {
				t.Errorf("exit %d, want %d", code, program.ExitUsage)
			}
		})
	}
}
