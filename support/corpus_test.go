package support

import (
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

// planted is one secret of the corpus and the kind that must remove it.
type planted struct {
	kind  string
	value string
}

// corpus holds every kind of secret the bundle must remove, with values that exercise each
// form: every century sign of the personal identity code, bearer and basic tokens, JWTs,
// PEM and OpenSSH keys, both MAC notations, IPv4 and IPv6.
var corpus = []planted{
	{RedactUserName, "mmeikalainen"},
	{RedactUserName, "Matti Meikäläinen"},
	{RedactUserPath, "svea.medelsvensson"},
	{RedactHost, "matti-laptop"},
	{RedactEmail, "matti.meikalainen@valtori.fi"},
	{RedactEmail, "svea+apuri@agency.example.fi"},
	{RedactPersonalID, "131052-308T"},
	{RedactPersonalID, "010594Y9021"},
	{RedactPersonalID, "240377X5129"},
	{RedactPersonalID, "081166W318A"},
	{RedactPersonalID, "170955V777F"},
	{RedactPersonalID, "010101U2348"},
	{RedactPersonalID, "311299A1236"},
	{RedactPersonalID, "290200B001B"},
	{RedactPersonalID, "310111C2047"},
	{RedactPersonalID, "121220D6407"},
	{RedactPersonalID, "020502E436W"},
	{RedactPersonalID, "050607F9982"},
	{RedactPersonalID, "150445+7656"},
	{RedactToken, "abcdEFGH1234ijklMNOP5678qrst"},
	{RedactToken, "YWxhZGRpbjpvcGVuc2VzYW1l"},
	{RedactToken, "1-14-e63c3f5cc46fb013e7af15a9f787a596"},
	{RedactURLCreds, "Pr0xyPassw0rd"},
	{RedactURLCreds, "proxyuser"},
	{RedactURLCreds, "RtPassw0rd"},
	{RedactSecret, "Hunter2Secret"},
	{RedactSecret, "WebhookT0kenValue"},
	{RedactSecret, "sessionCookieValue42"},
	{RedactJWT, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdmlydGFuZW4ifQ.c2lnbmF0dXJlLWJ5dGVz"},
	{RedactPrivateKey, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"},
	{RedactPrivateKey, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"},
	{RedactMAC, "3c:22:fb:12:34:56"},
	{RedactMAC, "A4-5E-60-C2-11-0B"},
	{RedactIP, "192.168.44.10"},
	{RedactIP, "10.20.30.40"},
	{RedactIP, "2001:db8:abcd::42"},
	{RedactIP, "fe80::3e22:fbff:fe12:3456"},
	{RedactHost, "fileserver.valtori.fi"},
	{RedactHost, "matti-home.lan"},
	{RedactHost, "proxy.corp.local"},
	{RedactCookie, "Cookie-Value-1"},
	{RedactCookie, "Cookie-Value-2"},
	{RedactPhone, "040 123 4567"},
	{RedactIBAN, "FI21 1234 5600 0007 85"},
	{RedactSSID, "Hotel Kämp Guest"},
	{RedactOrganisation, "EMP-123456"},
	{RedactSecret, "Sig-Secret"},
}

// corpusText is a paragraph that carries every planted secret in a realistic setting.
const corpusText = `user mmeikalainen (Matti Meikäläinen) on matti-laptop; files in /home/mmeikalainen/Documents and /home/svea.medelsvensson/x
mail from matti.meikalainen@valtori.fi cc svea+apuri@agency.example.fi
ids 131052-308T 010594Y9021 240377X5129 081166W318A 170955V777F 010101U2348 311299A1236 290200B001B 310111C2047 121220D6407 020502E436W 050607F9982 150445+7656
Authorization: Bearer abcdEFGH1234ijklMNOP5678qrst
proxy said Basic YWxhZGRpbjpvcGVuc2VzYW1l denied
Authorization: token 1-14-e63c3f5cc46fb013e7af15a9f787a596
via http://proxyuser:Pr0xyPassw0rd@proxy.corp.local:8080/ and https://rtbot:RtPassw0rd@rt.example.org/
login?user=x&password=Hunter2Secret and cookie=sessionCookieValue42
jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdmlydGFuZW4ifQ.c2lnbmF0dXJlLWJ5dGVz
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
-----END PRIVATE KEY-----
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ
-----END OPENSSH PRIVATE KEY-----
link 3c:22:fb:12:34:56 and A4-5E-60-C2-11-0B
addresses 192.168.44.10 10.20.30.40 2001:db8:abcd::42 fe80::3e22:fbff:fe12:3456%wlan0
hosts fileserver.valtori.fi matti-home.lan
Cookie: a=Cookie-Value-1; b=Cookie-Value-2
soita 040 123 4567, tili FI21 1234 5600 0007 85
SSID: Hotel Kämp Guest
employee EMP-123456 and https://blob.example.net/x?sig=Sig-Secret
`

// TestCorpusNothingSurvives plants every kind of secret in the environment, the profile, the
// logs, the timeline and the report (its messages, details, summaries and log lines), builds
// the bundle and fails if any secret is left in any file.
func TestCorpusNothingSurvives(t *testing.T) {
	id := Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"}
	env := map[string]string{
		"HTTPS_PROXY": "http://proxyuser:Pr0xyPassw0rd@proxy.corp.local:8080",
		"http_proxy":  "http://proxyuser:Pr0xyPassw0rd@10.20.30.40:3128",
		"NO_PROXY":    "fileserver.valtori.fi,192.168.44.10,matti-home.lan",
		"LANG":        "fi_FI.UTF-8",
	}
	p := testProfile()
	p.Request.Webhook.URL = "https://hooks.example.org/apuri?token=WebhookT0kenValue"
	p.Request.RT.URL = "https://rtbot:RtPassw0rd@rt.example.org/"
	p.Organisation.Name = "Matti Meikäläinen's unit, matti.meikalainen@valtori.fi"
	p.Privacy.RedactPatterns = []string{`EMP-[0-9]{6}`, `never-matches-[0-9]+`}

	r := normalReport()
	for i := range r.Checks {
		c := &r.Checks[i]
		c.Summary = corpusText
		c.Log = append(c.Log, strings.Split(corpusText, "\n")...)
		c.Details["note"] = corpusText
		c.Details["nested"] = map[string]any{"list": []any{corpusText, map[string]any{"deeper": corpusText}}}
		c.Details["password"] = "Hunter2Secret"
		c.Message.Args = map[string]any{"error": corpusText, "host": "fileserver.valtori.fi"}
	}
	r.Verdict.Message = i18n.Msg("verdict.service_down", "service", "intranet", "error", corpusText)
	r.Verdict.Summary = corpusText

	b, err := BuildBundle(BundleInput{Report: r, Profile: p, ProfileSource: "/home/mmeikalainen/.config/apuri/profile.toml",
		Lang: "fi", Identity: &id, Getenv: func(k string) string { return env[k] },
		Logs: func() ([]byte, error) { return []byte(corpusText), nil },
		Timeline: func() ([]byte, error) {
			return []byte(`{"time":"2026-11-25T09:58:00Z","event":"lost","detail":` + jsonString(corpusText) + "}\n"), nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	files := unzipAll(t, b.Data)
	for name, text := range files {
		lower := strings.ToLower(text)
		for _, s := range corpus {
			if strings.Contains(lower, strings.ToLower(s.value)) {
				t.Errorf("%s: %s secret %q survived", name, s.kind, s.value)
			}
		}
	}
	for _, kind := range RedactKinds {
		if b.Redactions[kind] == 0 {
			t.Errorf("no %s was redacted; the corpus plants some", kind)
		}
	}
	// The organisation's patterns are named by number, never shown: in the MANIFEST with
	// what each removed, and in the copy of the profile.
	if m := files[FileManifest]; !strings.Contains(m, "organisation rule 1: ") || !strings.Contains(m, "organisation rule 2: 0") {
		t.Errorf("MANIFEST lacks the organisation's rules:\n%s", m)
	}
	if strings.Contains(files[FileProfile], "EMP-[0-9]") || !strings.Contains(files[FileProfile], "(pattern 1)") {
		t.Errorf("profile.toml shows the organisation's patterns:\n%s", files[FileProfile])
	}
	// What support needs stays: the organisation's own hosts and Apuri's identifiers.
	for _, keep := range []string{"intra.example.org", "rt.example.org", "service.intranet", "check.service.status"} {
		if !strings.Contains(files[FileReportJSON]+files[FileProfile], keep) {
			t.Errorf("%q was removed, but support needs it", keep)
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func testIdentity() Identity {
	return Identity{Login: "mmeikalainen", RealName: "Matti Meikäläinen", Home: "/home/mmeikalainen", Hostname: "matti-laptop"}
}
