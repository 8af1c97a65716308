package support

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidHetu(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{"1900s with a hyphen", "131052-308T", true},
		{"1900s with Y (2023)", "010594Y9021", true},
		{"1900s with U (2023)", "010101U2348", true},
		{"2000s with A", "311299A1236", true},
		{"2000s with B, leap day", "290200B001B", true},
		{"2000s with E (2023)", "020502E436W", true},
		{"2000s with F (2023)", "050607F9982", true},
		{"1800s with a plus", "150445+7656", true},
		{"lower-case control character", "311299a1236", true},
		{"wrong control character", "131052-308U", false},
		{"no 29 February in 1900", "290200-0010", false},
		{"month 13", "011352-308T", false},
		{"unknown century sign", "131052G308T", false},
		{"too short", "131052-308", false},
		{"letters in the date", "13105X-308T", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidHetu(tc.code); got != tc.want {
				t.Errorf("ValidHetu(%q) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}

func testIdentity() Identity {
	return Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"}
}

func TestRedactString(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string
		kinds map[string]int
	}{
		{"e-mail", "mail matti.meikalainen@valtori.fi now", "mail [email-1] now", map[string]int{RedactEmail: 1}},
		{"same e-mail, same pseudonym", "a@b.fi and A@B.FI", "[email-1] and [email-1]", map[string]int{RedactEmail: 2}},
		{"hetu", "hetu 131052-308T.", "hetu [personal id].", map[string]int{RedactPersonalID: 1}},
		{"invalid hetu stays", "order 131052-308U", "order 131052-308U", nil},
		{"bearer token", "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "Authorization: Bearer [token]", map[string]int{RedactToken: 1}},
		{"bare bearer", "sent bearer abcdefghijklmnopqrstuvwxyz", "sent bearer [token]", map[string]int{RedactToken: 1}},
		{"basic token", "used Basic dXNlcjpzZWNyZXQ= here", "used Basic [token] here", map[string]int{RedactToken: 1}},
		{"basic as a word stays", "basic connectivity works", "basic connectivity works", nil},
		{"RT token header", `Authorization: token 1-14-e63c3f5cc46fb013`, "Authorization: token [token]", map[string]int{RedactToken: 1}},
		{"password in a URL", "proxy http://matti:hunter2@127.0.0.1:3128/", "proxy http://[user]:[password]@127.0.0.1:3128/", map[string]int{RedactURLCreds: 1}},
		{"user in a URL", "ftp://matti@files", "ftp://[user]@files", map[string]int{RedactURLCreds: 1}},
		{"password parameter", "login?user=x&password=hunter2&x=1", "login?user=x&password=[secret]&x=1", map[string]int{RedactSecret: 1}},
		{"token key-value", `api_key: "abc123"`, `api_key: [secret]`, map[string]int{RedactSecret: 1}},
		{"jwt", "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-x end", "t=[jwt] end", map[string]int{RedactJWT: 1}},
		{"private key", "k -----BEGIN RSA PRIVATE KEY-----\nMIIBOg\nAbC=\n-----END RSA PRIVATE KEY----- after",
			"k [private key] after", map[string]int{RedactPrivateKey: 1}},
		{"openssh key, escaped newlines", `"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----"`,
			`"[private key]"`, map[string]int{RedactPrivateKey: 1}},
		{"truncated private key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN", "[private key]", map[string]int{RedactPrivateKey: 1}},
		{"mac with colons", "link aa:bb:cc:dd:ee:ff up", "link [mac] up", map[string]int{RedactMAC: 1}},
		{"mac with hyphens", "AA-BB-CC-DD-EE-0F", "[mac]", map[string]int{RedactMAC: 1}},
		{"ipv4", "gw 192.168.1.1 dns 192.168.1.1 and 10.0.0.7", "gw ip-1 dns ip-1 and ip-2", map[string]int{RedactIP: 3}},
		{"ipv4 with prefix and port", "10.1.2.3/24 10.1.2.3:443", "ip-1/24 ip-1:443", map[string]int{RedactIP: 2}},
		{"loopback, netmask and link-local stay", "127.0.0.53 255.255.255.0 169.254.1.2 0.0.0.0", "127.0.0.53 255.255.255.0 169.254.1.2 0.0.0.0", nil},
		{"ipv6", "addr 2001:db8::1 via fe80::aa:bbff:fecc:ddee%wlan0", "addr ipv6-1 via ipv6-2%wlan0", map[string]int{RedactIP: 2}},
		{"ipv6 loopback stays", "::1 and ::", "::1 and ::", nil},
		{"a time is no address", "at 10:30:00", "at 10:30:00", nil},
		{"host names", "dial intra.valtori.fi: no such host; retry intra.valtori.fi", "dial host-1: no such host; retry host-1", map[string]int{RedactHost: 2}},
		{"internal suffix", "printer.corp.local", "host-1", map[string]int{RedactHost: 1}},
		{"kept host", "probe detectportal.firefox.com", "probe detectportal.firefox.com", nil},
		{"file names and keys stay", "report.json check.dns.ok network.dns bundle.zip 5.0.3", "report.json check.dns.ok network.dns bundle.zip 5.0.3", nil},
		{"home path", "open /home/mmeikalainen/.config/apuri", "open /home/[user]/.config/apuri", map[string]int{RedactUserName: 1}},
		{"other home path", "/home/svea/x and C:\\Users\\svea\\AppData", "/home/[user]/x and C:\\Users\\[user]\\AppData", map[string]int{RedactUserPath: 2}},
		{"login and real name", "Matti Meikäläinen (mmeikalainen) and Meikäläinen", "[user] ([user]) and [user]", map[string]int{RedactUserName: 3}},
		{"name inside a word stays", "Annabel", "Annabel", nil},
		{"machine name", "host matti-laptop said", "host host-1 said", map[string]int{RedactHost: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRedactor(RedactOptions{Identity: testIdentity(), Keep: []string{"detectportal.firefox.com"}})
			got := r.String(tc.in)
			if got != tc.want {
				t.Errorf("String(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			counts := r.Counts()
			for k, v := range tc.kinds {
				if counts[k] != v {
					t.Errorf("count %s = %d, want %d (all: %v)", k, counts[k], v, counts)
				}
			}
			if tc.kinds == nil && len(counts) != 0 {
				t.Errorf("redacted %v in a text with nothing to redact", counts)
			}
		})
	}
}

func TestRedactJSONKeepsCodesAndOrder(t *testing.T) {
	in := `{"schema":"apuri.report/v1","checks":[{"id":"network.dns","status":"fail",` +
		`"message":{"key":"check.dns.fail","args":{"server":"10.0.0.53","name":"intra.valtori.fi"}},` +
		`"details":{"password":"hunter2","10.0.0.53":"timeout","n":3,"ok":true,"none":null}}],` +
		`"verdict":{"cause":"dns_failure","evidence":["network.dns"],"advice_keys":["advice.reconnect_network"]}}`
	r := NewRedactor(RedactOptions{})
	out, err := r.JSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("redacted JSON does not parse: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{`"network.dns"`, `"check.dns.fail"`, `"apuri.report/v1"`, `"dns_failure"`,
		`"advice.reconnect_network"`, `"server": "ip-1"`, `"name": "host-1"`, `"password": "[secret]"`, `"ip-1": "timeout"`,
		`"n": 3`, `"ok": true`, `"none": null`} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s:\n%s", want, s)
		}
	}
	for _, gone := range []string{"10.0.0.53", "intra.valtori.fi", "hunter2"} {
		if strings.Contains(s, gone) {
			t.Errorf("%q survived:\n%s", gone, s)
		}
	}
	if strings.Index(s, `"schema"`) > strings.Index(s, `"checks"`) {
		t.Error("field order changed")
	}
}

// FuzzRedact plants secrets between arbitrary texts: none may survive, and the redactor
// must never panic or produce invalid UTF-8 from valid input.
func FuzzRedact(f *testing.F) {
	f.Add("dial tcp 10.0.0.1:443", "at /home/x")
	f.Add("-----BEGIN PRIVATE KEY-----", "")
	f.Add("Authorization: ", "@example.org")
	f.Add("http://", ":pw@host")
	f.Add("eyJhbGciOiJub25lIn0.", "")
	planted := []string{
		"matti.meikalainen@valtori.fi", "131052-308T", "010594Y9021",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
		"aa:bb:cc:dd:ee:01", "172.16.5.4", "2001:db8:1::77", "fileserver.valtori.fi",
	}
	f.Fuzz(func(t *testing.T, before, after string) {
		for _, secret := range planted {
			r := NewRedactor(RedactOptions{Identity: testIdentity()})
			in := before + " " + secret + " " + after
			out := r.String(in)
			if strings.Contains(out, secret) && !strings.Contains(before+after, secret) {
				t.Fatalf("%q survived in %q", secret, out)
			}
		}
		r := NewRedactor(RedactOptions{Identity: testIdentity()})
		_ = r.String(before + after)
	})
}

// FuzzRedactJSON: any JSON document stays valid JSON after redaction, and a planted secret
// inside any string of it does not survive.
func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"id":"network.dns","details":{"server":"10.0.0.1","list":[1,2.5,true,null]}}`))
	f.Add([]byte(`["a",{"b":{"c":[]}}]`))
	f.Add([]byte(`"plain"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		r := NewRedactor(RedactOptions{Identity: testIdentity()})
		out, err := r.JSON(data)
		if err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("redaction broke the JSON:\n%s\n→\n%s", data, out)
		}
		planted, _ := json.Marshal(map[string]any{"note": "mail matti.meikalainen@valtori.fi", "doc": json.RawMessage(data)})
		out, err = NewRedactor(RedactOptions{}).JSON(planted)
		if err != nil || strings.Contains(string(out), "matti.meikalainen@valtori.fi") {
			t.Fatalf("planted e-mail survived or failed: %v\n%s", err, out)
		}
	})
}
