package support

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/internal/testsupport/testbus"
)

// needTool skips when a system tool is missing, except in CI, where `make test` installs it.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; scripts/deps.sh test installs it", name)
		}
		t.Skipf("%s is not installed (scripts/deps.sh test installs it)", name)
	}
}

// startDaemon runs a daemon for the test and stops it at the end.
func startDaemon(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// TestKeyringAgainstARealSecretService runs a private D-Bus session with no keyring, checks
// that Apuri says so, then starts GNOME Keyring on it (unlocked with a known password) and
// stores, reads and deletes a channel's token through it, and sends a request with it.
func TestKeyringAgainstARealSecretService(t *testing.T) {
	needTool(t, "dbus-daemon")
	needTool(t, "gnome-keyring-daemon")
	dir, err := os.MkdirTemp("", "apkr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, d := range []string{"run", "home"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// A session bus with no keyring on it: a Secret Service exists only once the test starts one.
	bus, err := testbus.Start(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close() })

	env := map[string]string{
		"DBUS_SESSION_BUS_ADDRESS": bus.Address,
		"XDG_RUNTIME_DIR":          filepath.Join(dir, "run"),
		"HOME":                     filepath.Join(dir, "home"),
		"XDG_DATA_HOME":            filepath.Join(dir, "home", ".local", "share"),
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	kr := Keyring{Service: "apuri-test", Timeout: 10 * time.Second}
	account := SecretAccount("rt", "http://127.0.0.1:1/")

	// No Secret Service on the bus: a clear error, never a hang or a bus of our own.
	if _, err := kr.Get(account); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("without a keyring service: %v, want ErrNoKeyring", err)
	}

	gk := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	gk.Stdin = strings.NewReader("test-password")
	gk.Env = os.Environ()
	var out strings.Builder
	gk.Stdout, gk.Stderr = &out, &out
	startDaemon(t, gk)
	poll.Until(t, "GNOME Keyring on the bus", func() bool {
		_, err := kr.Get(account)
		return !errors.Is(err, ErrNoKeyring)
	})

	if _, err := kr.Get(account); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("empty keyring: %v, want ErrNoSecret (daemon: %s)", err, out.String())
	}
	if err := kr.Set(account, "1-14-token"); err != nil {
		t.Fatalf("set: %v (daemon: %s)", err, out.String())
	}
	if got, err := kr.Get(account); err != nil || got != "1-14-token" {
		t.Fatalf("get: %q %v", got, err)
	}
	if err := kr.Set(account, "1-15-newer"); err != nil {
		t.Fatal(err)
	}
	if got, _ := kr.Get(account); got != "1-15-newer" {
		t.Fatalf("a second Set did not replace the secret: %q", got)
	}

	// The RT channel signs in with the token from the real keyring.
	rt := newFakeRT(t, "1-15-newer")
	rtAccount := SecretAccount("rt", rt.URL)
	if err := kr.Set(rtAccount, "1-15-newer"); err != nil {
		t.Fatal(err)
	}
	m := outgoing("rt", rt.URL)
	m.Queue = "General"
	if r, err := (RT{Secrets: kr}).Send(context.Background(), m); err != nil || r.Ticket != "1" {
		t.Fatalf("send with the keyring's token: %+v %v", r, err)
	}

	if err := kr.Delete(account); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get(account); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("after delete: %v", err)
	}
	if err := kr.Delete(account); err != nil {
		t.Errorf("deleting nothing: %v", err)
	}
	_ = kr.Delete(rtAccount)
}
