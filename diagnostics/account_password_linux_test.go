package diagnostics

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/krbcache"
)

// TestParseChage reads chage's C-locale output: a date, never, a password that must be changed,
// an account or password past its last day.
func TestParseChage(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	out := func(last, expires, inactive, account string) string {
		return "Last password change\t\t\t\t\t: " + last + "\n" +
			"Password expires\t\t\t\t\t: " + expires + "\n" +
			"Password inactive\t\t\t\t\t: " + inactive + "\n" +
			"Account expires\t\t\t\t\t\t: " + account + "\n" +
			"Minimum number of days between password change\t\t: 0\n" +
			"Maximum number of days between password change\t\t: 90\n" +
			"Number of days of warning before password expires\t: 7\n"
	}
	for _, tt := range []struct {
		name string
		out  string
		want PasswordState
		err  bool
	}{
		{"a date", out("Nov 20, 2026", "Feb 18, 2027", "never", "never"),
			PasswordState{Source: PasswordSourceChage, Expires: time.Date(2027, 2, 18, 0, 0, 0, 0, time.UTC)}, false},
		{"never", out("Nov 20, 2026", "never", "never", "never"), PasswordState{Source: PasswordSourceChage, Never: true}, false},
		{"must be changed", out("password must be changed", "password must be changed", "password must be changed", "never"),
			PasswordState{Source: PasswordSourceChage, Expired: true}, false},
		{"account expired", out("Nov 20, 2026", "never", "never", "Dec 01, 2026"),
			PasswordState{Source: PasswordSourceChage, Never: true, Locked: true}, false},
		{"inactive", out("Jan 02, 2026", "Apr 02, 2026", "Apr 09, 2026", "never"),
			PasswordState{Source: PasswordSourceChage, Expires: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), Locked: true}, false},
		{"not chage's output", "chage: user 'maija' does not exist in /etc/passwd\n", PasswordState{}, true},
		{"a date in another language", out("marras 20, 2026", "helmi 18, 2027", "never", "never"), PasswordState{}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseChage(tt.out, now)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("got %+v %v, want %+v", got, err, tt.want)
			}
		})
	}
}

// TestRealChageSpeaksTheCLocale runs this machine's chage for root, when it is there and
// readable, and reads it: the labels the parser looks for are the ones chage prints.
func TestRealChageSpeaksTheCLocale(t *testing.T) {
	if _, err := exec.LookPath("chage"); err != nil {
		t.Skip("chage is not installed")
	}
	if os.Getuid() != 0 {
		t.Skip("only root may list root's line")
	}
	out, err := runChage(context.Background(), "root")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseChage(out, time.Now()); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// TestCCachePath: KRB5CCNAME's FILE: and DIR: caches are files; KEYRING: and KCM: are not;
// without it, MIT's default.
func TestCCachePath(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "primary"), []byte("tkt7Xq\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for env, want := range map[string]string{
		"":                          "/tmp/krb5cc_1000",
		"FILE:/tmp/krb5cc_1000_abc": "/tmp/krb5cc_1000_abc",
		"/run/user/1000/krb5cc":     "/run/user/1000/krb5cc",
		"DIR:" + dir:                filepath.Join(dir, "tkt7Xq"),
		"DIR::" + dir + "/tktA":     dir + "/tktA",
		"DIR:" + dir + "/missing":   "",
		"KEYRING:persistent:1000":   "",
		"KCM:1000":                  "",
	} {
		if got := ccachePath(env, 1000); got != want {
			t.Errorf("%q: %q, want %q", env, got, want)
		}
	}
}

// writeCCache writes maija's cache of realm with the tickets and returns its path.
func writeCCache(t *testing.T, realm string, tickets ...krbcache.Ticket) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "krb5cc_1000")
	if err := os.WriteFile(path, krbcache.Bytes(realm, "maija", tickets...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTicketExpiryReadsTheTGT: the ticket-granting ticket of the cache's own realm gives the
// time; a service ticket or another realm's cross-realm ticket does not.
func TestTicketExpiryReadsTheTGT(t *testing.T) {
	start := time.Date(2026, 12, 4, 7, 30, 0, 0, time.UTC)
	end := start.Add(10 * time.Hour)
	path := writeCCache(t, "AGENCY.EXAMPLE",
		krbcache.Ticket{Server: []string{"HTTP", "intra.agency.example"}, Start: start, End: start.Add(time.Hour)},
		krbcache.TGT("PARTNER.EXAMPLE", start, start.Add(2*time.Hour)),
		krbcache.TGT("AGENCY.EXAMPLE", start, end))
	got, err := ticketExpiry(path)
	if err != nil || !got.Equal(end) {
		t.Fatalf("got %v %v, want %v", got, err, end)
	}

	// The same through the check's Linux source, with chage absent.
	st, err := linuxPassword{chage: func(context.Context, string) (string, error) { return "", exec.ErrNotFound },
		ccache: path, now: start}.state(context.Background())
	if !st.TicketExpires.Equal(end) || st.Source != "" || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("got %+v %v", st, err)
	}
}

// TestTicketExpiryRefusesDamage: a cache without a TGT, cut short, empty or not a cache is an
// error, never a crash; a missing one says so.
func TestTicketExpiryRefusesDamage(t *testing.T) {
	start := time.Date(2026, 12, 4, 7, 30, 0, 0, time.UTC)
	onlyService := writeCCache(t, "AGENCY.EXAMPLE",
		krbcache.Ticket{Server: []string{"HTTP", "intra.agency.example"}, Start: start, End: start.Add(time.Hour)})
	whole := krbcache.Bytes("AGENCY.EXAMPLE", "maija", krbcache.TGT("AGENCY.EXAMPLE", start, start.Add(time.Hour)))
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A count of two billion addresses right after the ticket's flags.
	huge := bytes.Clone(whole)
	at := bytes.Index(huge, krbcache.Flags) + len(krbcache.Flags)
	copy(huge[at:], []byte{0x7f, 0xff, 0xff, 0xff})
	for name, path := range map[string]string{
		"a huge count": write("huge", huge),
		"no TGT":       onlyService,
		"cut short":    write("cut", whole[:len(whole)-30]),
		"header only":  write("header", whole[:8]),
		"empty":        write("empty", nil),
		"not a cache":  write("text", []byte(strings.Repeat("not a cache ", 10))),
		"a folder":     dir,
	} {
		if got, err := ticketExpiry(path); err == nil {
			t.Errorf("%s: read %v", name, got)
		}
	}
	if _, err := ticketExpiry(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}
