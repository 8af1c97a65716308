package diagnostics

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// ccacheWriter writes a version 4 credential cache, as MIT Kerberos does: big-endian, a header
// with a time offset, the default principal, then each credential.
type ccacheWriter struct{ bytes.Buffer }

func (w *ccacheWriter) u16(v uint16) { binary.Write(&w.Buffer, binary.BigEndian, v) }
func (w *ccacheWriter) u32(v uint32) { binary.Write(&w.Buffer, binary.BigEndian, v) }
func (w *ccacheWriter) data(b []byte) {
	w.u32(uint32(len(b)))
	w.Write(b)
}
func (w *ccacheWriter) principal(realm string, names ...string) {
	w.u32(1) // KRB5_NT_PRINCIPAL
	w.u32(uint32(len(names)))
	w.data([]byte(realm))
	for _, n := range names {
		w.data([]byte(n))
	}
}

// credential writes one ticket for server, valid from start to end.
func (w *ccacheWriter) credential(realm string, server []string, start, end time.Time) {
	w.principal(realm, "maija")
	w.principal(realm, server...)
	w.u16(18) // aes256-cts-hmac-sha1-96
	w.data(bytes.Repeat([]byte{7}, 32))
	for _, t := range []time.Time{start, start, end, end.Add(6 * 24 * time.Hour)} { // auth, start, end, renew till
		w.u32(uint32(t.Unix()))
	}
	w.WriteByte(0)                 // not a session key ticket
	w.u32(0x50e10000)              // flags: forwardable, renewable, initial, pre-authenticated
	w.u32(0)                       // no addresses
	w.u32(0)                       // no authorisation data
	w.data([]byte("ticket bytes")) // the ticket, opaque here
	w.data(nil)                    // no second ticket
}

// writeCCache writes a cache of realm with the given credentials and returns its path.
func writeCCache(t *testing.T, realm string, creds func(w *ccacheWriter)) string {
	t.Helper()
	var w ccacheWriter
	w.Write([]byte{5, 4})
	w.u16(12) // header length: one tag of 8 bytes plus its tag and length
	w.u16(1)  // FCC_TAG_DELTATIME
	w.u16(8)
	w.u32(0)
	w.u32(0)
	w.principal(realm, "maija")
	creds(&w)
	path := filepath.Join(t.TempDir(), "krb5cc_1000")
	if err := os.WriteFile(path, w.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTicketExpiryReadsTheTGT: the ticket-granting ticket of the cache's own realm gives the
// time; a service ticket or another realm's cross-realm ticket does not.
func TestTicketExpiryReadsTheTGT(t *testing.T) {
	start := time.Date(2026, 12, 4, 7, 30, 0, 0, time.UTC)
	end := start.Add(10 * time.Hour)
	path := writeCCache(t, "AGENCY.EXAMPLE", func(w *ccacheWriter) {
		w.credential("AGENCY.EXAMPLE", []string{"HTTP", "intra.agency.example"}, start, start.Add(time.Hour))
		w.credential("AGENCY.EXAMPLE", []string{"krbtgt", "PARTNER.EXAMPLE"}, start, start.Add(2*time.Hour))
		w.credential("AGENCY.EXAMPLE", []string{"krbtgt", "AGENCY.EXAMPLE"}, start, end)
	})
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
	onlyService := writeCCache(t, "AGENCY.EXAMPLE", func(w *ccacheWriter) {
		w.credential("AGENCY.EXAMPLE", []string{"HTTP", "intra.agency.example"}, start, start.Add(time.Hour))
	})
	whole, err := os.ReadFile(writeCCache(t, "AGENCY.EXAMPLE", func(w *ccacheWriter) {
		w.credential("AGENCY.EXAMPLE", []string{"krbtgt", "AGENCY.EXAMPLE"}, start, start.Add(time.Hour))
	}))
	if err != nil {
		t.Fatal(err)
	}
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
	at := bytes.Index(huge, []byte{0x50, 0xe1, 0, 0}) + 4
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
