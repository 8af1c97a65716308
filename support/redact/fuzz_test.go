package redact

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// planted are secrets of every kind that no surrounding text may save.
var planted = []string{
	"matti.meikalainen@valtori.fi", "åsa.öberg@myndigheten.se", "131052-308T", "010594Y9021",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", "aa:bb:cc:dd:ee:01",
	"172.16.5.4", "2001:db8:1::77", "fileserver.valtori.fi", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
	"FI21 1234 5600 0007 85", "AKIAIOSFODNN7EXAMPLE",
}

// FuzzRedact plants secrets between arbitrary texts. None may survive; the redactor never
// panics, keeps valid UTF-8 valid, and is idempotent: a second pass, even by a new redactor,
// changes nothing, so no identity code or e-mail address is left for it to find.
func FuzzRedact(f *testing.F) {
	f.Add("dial tcp 10.0.0.1:443", "at /home/x")
	f.Add("-----BEGIN PRIVATE KEY-----", "")
	f.Add("Authorization: ", "@example.org")
	f.Add("http://", ":pw@host")
	f.Add("eyJhbGciOiJub25lIn0.", "")
	f.Add("Cookie: a=", "; b=2")
	f.Add("https://x.example.org/?sig=", "&mac=3c%3A22")
	f.Add("password=", ",;&x")
	f.Add(`\\fs01\users\`, `\x`)
	f.Add("ID", "x")
	f.Add("mysql -u x -p", " db")
	f.Fuzz(func(t *testing.T, before, after string) {
		for _, secret := range planted {
			r := New(Options{Identity: testIdentity()})
			in := before + " " + secret + " " + after
			out := r.String(in)
			if strings.Contains(out, secret) && !strings.Contains(before+after, secret) {
				t.Fatalf("%q survived in %q", secret, out)
			}
		}
		in := before + after
		out := New(Options{Identity: testIdentity()}).String(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q: %q", in, out)
		}
		second := New(Options{Identity: testIdentity()})
		if again := second.String(out); again != out {
			t.Fatalf("not idempotent:\n in: %q\nout: %q\n2nd: %q", in, out, again)
		}
		if c := second.Counts(); c[KindPersonalID] > 0 || c[KindEmail] > 0 {
			t.Fatalf("a second pass found more in %q: %v", out, c)
		}
	})
}

// FuzzRedactJSON: any JSON document stays valid JSON after redaction, a second redaction
// changes nothing, and a planted secret inside any string of it does not survive.
func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"id":"network.dns","details":{"server":"10.0.0.1","list":[1,2.5,true,null]}}`))
	f.Add([]byte(`["a",{"b":{"c":[]}}]`))
	f.Add([]byte(`"plain"`))
	f.Add([]byte(`{"password":{"a":[1,{"b":2}]},"ssid":["x",3],"hosts":["a:1"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		r := New(Options{Identity: testIdentity()})
		out, err := r.JSON(data)
		if errors.Is(err, errTooDeep) {
			return
		}
		if err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("redaction broke the JSON:\n%s\n→\n%s", data, out)
		}
		again, err := New(Options{Identity: testIdentity()}).JSON(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not idempotent (%v):\n%s\n→\n%s", err, out, again)
		}
		doc, _ := json.Marshal(map[string]any{"note": "mail matti.meikalainen@valtori.fi", "doc": json.RawMessage(data)})
		out, err = New(Options{}).JSON(doc)
		if err != nil || strings.Contains(string(out), "matti.meikalainen@valtori.fi") {
			t.Fatalf("planted e-mail survived or failed: %v\n%s", err, out)
		}
	})
}
