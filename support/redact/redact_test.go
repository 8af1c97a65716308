package redact

import (
	"encoding/json"
	"regexp"
	"slices"
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
		{"e-mail", "mail matti.meikalainen@valtori.fi now", "mail [email-1] now", map[string]int{KindEmail: 1}},
		{"same e-mail, same pseudonym", "a@b.fi and A@B.FI", "[email-1] and [email-1]", map[string]int{KindEmail: 2}},
		{"hetu", "hetu 131052-308T.", "hetu [personal-id].", map[string]int{KindPersonalID: 1}},
		{"invalid hetu stays", "order 131052-308U", "order 131052-308U", nil},
		{"bearer token", "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "Authorization: Bearer [token]", map[string]int{KindToken: 1}},
		{"bare bearer", "sent bearer abcdefghijklmnopqrstuvwxyz", "sent bearer [token]", map[string]int{KindToken: 1}},
		{"basic token", "used Basic dXNlcjpzZWNyZXQ= here", "used Basic [token] here", map[string]int{KindToken: 1}},
		{"basic as a word stays", "basic connectivity works", "basic connectivity works", nil},
		{"RT token header", `Authorization: token 1-14-e63c3f5cc46fb013`, "Authorization: token [token]", map[string]int{KindToken: 1}},
		{"password in a URL", "proxy http://matti:hunter2@127.0.0.1:3128/", "proxy http://[user]:[password]@127.0.0.1:3128/", map[string]int{KindURLCreds: 1}},
		{"user in a URL", "ftp://matti@files", "ftp://[user]@host-1", map[string]int{KindURLCreds: 1, KindHost: 1}},
		{"password parameter", "login?user=x&password=hunter2,x&y", "login?user=x&password=[secret]", map[string]int{KindSecret: 1}},
		{"password in a URL's query", "https://top.example.org/login?user=x&password=hunter2&x=1", "https://host-1/login?user=[user]&password=[secret]&x=1",
			map[string]int{KindSecret: 1, KindUserName: 1, KindHost: 1}},
		{"token key-value", `api_key: "abc123"`, `api_key: "[secret]"`, map[string]int{KindSecret: 1}},
		{"jwt", "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-x end", "t=[jwt] end", map[string]int{KindJWT: 1}},
		{"private key", "k -----BEGIN RSA PRIVATE KEY-----\nMIIBOg\nAbC=\n-----END RSA PRIVATE KEY----- after",
			"k [private-key] after", map[string]int{KindPrivateKey: 1}},
		{"openssh key, escaped newlines", `"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----"`,
			`"[private-key]"`, map[string]int{KindPrivateKey: 1}},
		{"truncated private key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN", "[private-key]", map[string]int{KindPrivateKey: 1}},
		{"mac with colons", "link aa:bb:cc:dd:ee:ff up", "link [mac] up", map[string]int{KindMAC: 1}},
		{"mac with hyphens", "AA-BB-CC-DD-EE-0F", "[mac]", map[string]int{KindMAC: 1}},
		{"ipv4", "gw 192.168.1.1 dns 192.168.1.1 and 10.0.0.7", "gw ip-1 dns ip-1 and ip-2", map[string]int{KindIP: 3}},
		{"ipv4 with prefix and port", "10.1.2.3/24 10.1.2.3:443", "ip-1/24 ip-1:443", map[string]int{KindIP: 2}},
		{"loopback, netmask and link-local stay", "127.0.0.53 255.255.255.0 169.254.1.2 0.0.0.0", "127.0.0.53 255.255.255.0 169.254.1.2 0.0.0.0", nil},
		{"ipv6", "addr 2001:db8::1 via fe80::aa:bbff:fecc:ddee%wlan0", "addr ipv6-1 via ipv6-2%wlan0", map[string]int{KindIP: 2}},
		{"ipv6 loopback stays", "::1 and ::", "::1 and ::", nil},
		{"a time is no address", "at 10:30:00", "at 10:30:00", nil},
		{"host names", "dial intra.valtori.fi: no such host; retry intra.valtori.fi", "dial host-1: no such host; retry host-1", map[string]int{KindHost: 2}},
		{"internal suffix", "printer.corp.local", "host-1", map[string]int{KindHost: 1}},
		{"kept host", "probe detectportal.firefox.com", "probe detectportal.firefox.com", nil},
		{"file names and keys stay", "report.json check.dns.ok network.dns bundle.zip 5.0.3", "report.json check.dns.ok network.dns bundle.zip 5.0.3", nil},
		{"home path", "open /home/mmeikalainen/.config/apuri", "open /home/[user]/.config/apuri", map[string]int{KindUserName: 1}},
		{"other home path", "/home/svea/x and C:\\Users\\svea\\AppData", "/home/[user]/x and C:\\Users\\[user]\\AppData", map[string]int{KindUserPath: 2}},
		{"login and real name", "Matti Meikäläinen (mmeikalainen) and Meikäläinen", "[user] ([user]) and [user]", map[string]int{KindUserName: 3}},
		{"name inside a word stays", "Annabel", "Annabel", nil},
		{"machine name", "host matti-laptop said", "host host-1 said", map[string]int{KindHost: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := New(Options{Identity: testIdentity(), Keep: []string{"detectportal.firefox.com"}})
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
	r := New(Options{})
	out, err := r.JSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(out) {
		t.Fatalf("redacted JSON does not parse:\n%s", out)
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

func TestValidIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want bool
	}{
		{"FI21 1234 5600 0007 85", true},
		{"FI2112345600000785", true},
		{"SE45 5000 0000 0583 9825 7466", true},
		{"DE89 3704 0044 0532 0130 00", true},
		{"FI21 1234 5600 0007 86", false}, // one digit off
		{"FI12 3456", false},              // too short
		{"fi21 1234 5600 0007 85", false}, // written in small letters: not how an IBAN is printed
	}
	for _, tc := range tests {
		if got := ValidIBAN(tc.iban); got != tc.want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", tc.iban, got, tc.want)
		}
	}
}

// JSON is judged by key: a secret field's value goes whatever its type, and fields that name
// a network, a device, a computer or a user are redacted for what they are.
func TestRedactJSONByKey(t *testing.T) {
	in := `{"details":{"password":12345,"api_key":["a","b"],"client_secret":{"v":"x"},"token":null,` +
		`"ssid":"Hotel Kämp","bssid":"aa:bb:cc:dd:ee:01","mac":"3c22fb123456","hostname":"fileserver",` +
		`"hosts":["printer01:9100","intra.valtori.fi:443"],"user":"svea","owner":"root","code":"dns_failure",` +
		`"signature":"aB3dE5fG7hJ9kL1m","tls_host":"10.1.2.3"},"host":{"os":"linux"},"id":"network.dns","key":"check.dns.fail"}`
	r := New(Options{Keep: []string{"intra.valtori.fi"}})
	out, err := r.JSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{`"password": "[secret]"`, `"api_key": "[secret]"`, `"client_secret": "[secret]"`,
		`"token": null`, `"ssid": "[ssid]"`, `"bssid": "[mac]"`, `"mac": "[mac]"`, `"hostname": "host-1"`,
		`"printer01:9100"`, `"intra.valtori.fi:443"`, `"user": "[user]"`, `"owner": "root"`, `"code": "dns_failure"`,
		`"signature": "[secret]"`, `"tls_host": "ip-1"`, `"os": "linux"`, `"id": "network.dns"`, `"key": "check.dns.fail"`} {
		if !strings.Contains(strings.ReplaceAll(s, `"printer01:9100"`, `"host-2:9100"`), strings.ReplaceAll(want, `"printer01:9100"`, `"host-2:9100"`)) {
			t.Errorf("output lacks %s:\n%s", want, s)
		}
	}
	for _, gone := range []string{"12345", "Hotel", "aa:bb", "3c22fb", "fileserver", "printer01", "svea", "aB3dE5", "10.1.2.3"} {
		if strings.Contains(s, gone) {
			t.Errorf("%q survived:\n%s", gone, s)
		}
	}
	counts := r.Counts()
	if counts[KindSecret] != 4 || counts[KindSSID] != 1 || counts[KindMAC] != 2 || counts[KindHost] != 2 || counts[KindUserName] != 1 || counts[KindIP] != 1 {
		t.Errorf("counts %v", counts)
	}
}

// The organisation's options: its patterns (a group takes only its text), IP addresses
// dropped rather than pseudonymised, whole domains and its phone kept.
func TestOrganisationOptions(t *testing.T) {
	r := New(Options{
		Patterns: []*regexp.Regexp{regexp.MustCompile(`EMP-[0-9]{6}`), regexp.MustCompile(`case ([0-9]{4,})`), regexp.MustCompile(`never`)},
		DropIPs:  true,
		Keep:     []string{"*.valtori.fi", "+358 295 000 000", "10.99.0.53"},
	})
	in := "EMP-123456 and EMP-654321 on case 998877 from 10.1.2.3 and 10.99.0.53 via fs01.valtori.fi; call 0295 000 000"
	want := "[redacted] and [redacted] on case [redacted] from [ip] and 10.99.0.53 via fs01.valtori.fi; call 0295 000 000"
	if got := r.String(in); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := r.PatternCounts(); !slices.Equal(got, []int{2, 1, 0}) {
		t.Errorf("pattern counts %v", got)
	}
	if c := r.Counts(); c[KindOrganisation] != 3 || c[KindIP] != 1 {
		t.Errorf("counts %v", c)
	}
	// A pattern that would match a marker leaves it alone: redacting twice changes nothing.
	r = New(Options{Patterns: []*regexp.Regexp{regexp.MustCompile(`[a-z]+`)}})
	if got := r.String("abc [secret] host-1"); got != "[redacted] [secret] host-1" {
		t.Errorf("markers redacted again: %q", got)
	}
}

// A pseudonym is the same for the same host or address in every text of a bundle.
func TestPseudonymsAreStable(t *testing.T) {
	r := New(Options{})
	a := r.String("https://fs01.agency.fi/x from 10.1.2.3")
	b := r.String(`\\FS01.agency.fi\share and lookup fs01.agency.fi; ping 10.1.2.3`)
	if a != "https://host-1/x from ip-1" || b != `\\host-1\share and lookup host-1; ping ip-1` {
		t.Errorf("%q\n%q", a, b)
	}
}

// A user whose name is one of the redactor's own words does not break its markers.
func TestUserNamedLikeAMarker(t *testing.T) {
	r := New(Options{Identity: Identity{Login: "host", RealName: "Secret Token"}})
	if got := r.String("lookup fs01.agency.fi failed"); got != "lookup host-1 failed" {
		t.Errorf("got %q", got)
	}
}

// BenchmarkLog redacts the largest log a bundle takes (64 KiB) of ordinary lines.
func BenchmarkLog(b *testing.B) {
	var log strings.Builder
	for log.Len() < 64<<10 {
		log.WriteString("2026-11-25T09:59:00Z INFO GET https://intra.valtori.fi/api?lang=fi from 192.168.44.10: 503 in 120 ms (lookup fs01.agency.fi ok)\n")
	}
	text := log.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		New(corpusOptions()).String(text)
	}
}
