package disruptions

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/internal/safetext"
)

// now is the clock of every parse test: the morning of the fixtures.
var now = time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func titles(list []diagnostics.Disruption) []string {
	var out []string
	for _, d := range list {
		out = append(out, d.Title)
	}
	return out
}

func TestParseFormats(t *testing.T) {
	base, _ := url.Parse("https://status.example.org/feed")
	tests := []struct {
		name, file string
		want       []string // titles, newest first
	}{
		{"statuspage summary: open incident, running maintenance, component down without incident",
			"statuspage_summary.json", []string{"TOP sign-in fails", "VPN gateway maintenance", "Joiku"}},
		{"statuspage unresolved incidents", "statuspage_unresolved.json", []string{"Tokka is slow"}},
		{"RSS: resolved and old items left out", "rss.xml", []string{"Joiku meetings drop", "Sneaky link"}},
		{"Atom in Finnish and Swedish: the fixed one left out", "atom.xml", []string{"VPN-yhteydet katkeilevat", "Utskrift fungerar inte"}},
		{"JSON Feed", "jsonfeed.json", []string{"Eduroam unavailable in building B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := Parse(readFixture(t, tt.file), base, now, 24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if got := titles(list); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("titles = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatuspageFields(t *testing.T) {
	list, err := Parse(readFixture(t, "statuspage_summary.json"), nil, now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	top := list[0]
	want := diagnostics.Disruption{
		Title: "TOP sign-in fails", URL: "https://stspg.example.org/abc", Status: "identified", Impact: "major",
		Components: []string{"TOP"}, Body: "The cause is a certificate renewal; a fix is being deployed.",
		Started: time.Date(2026, 11, 25, 7, 35, 0, 0, time.UTC), Updated: time.Date(2026, 11, 25, 8, 5, 0, 0, time.UTC),
	}
	if top.Title != want.Title || top.URL != want.URL || top.Status != want.Status || top.Impact != want.Impact ||
		strings.Join(top.Components, ",") != "TOP" || top.Body != want.Body || !top.Started.Equal(want.Started) ||
		!top.Updated.Equal(want.Updated) {
		t.Errorf("incident = %+v\nwant %+v", top, want)
	}
	if vpn := list[1]; vpn.URL != "https://status.example.org/incidents/m1" {
		t.Errorf("maintenance without shortlink links to %q, want the page's incident address", vpn.URL)
	}
	if joiku := list[2]; joiku.Status != "degraded_performance" || joiku.URL != "https://status.example.org" {
		t.Errorf("component = %+v", joiku)
	}
}

func TestSyndicationFields(t *testing.T) {
	base, _ := url.Parse("https://status.example.org/feed.atom")
	list, err := Parse(readFixture(t, "atom.xml"), base, now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	vpn := list[0]
	if vpn.URL != "https://status.example.org/tiedotteet/vpn" {
		t.Errorf("relative link resolved to %q", vpn.URL)
	}
	if vpn.Status != "investigating" || vpn.Body != "Häiriötä selvitetään. Etäyhteys voi katketa." {
		t.Errorf("status %q, body %q", vpn.Status, vpn.Body)
	}
	if strings.Join(vpn.Components, ",") != "VPN" {
		t.Errorf("components from categories = %q", vpn.Components)
	}

	rss, err := Parse(readFixture(t, "rss.xml"), nil, now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if rss[0].Body != "Nov 25, 08:00 UTC Investigating - Joiku meetings drop after a few minutes. We are investigating." {
		t.Errorf("plain text of the RSS description = %q", rss[0].Body)
	}
	if rss[1].URL != "" {
		t.Errorf("a javascript: link survived as %q", rss[1].URL)
	}
}

func TestMaxAge(t *testing.T) {
	list, err := Parse(readFixture(t, "rss.xml"), nil, now, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(list); !strings.Contains(strings.Join(got, "|"), "Old printing problem") {
		t.Errorf("with a 30-day max age the old item should count: %q", got)
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"HTML error page", readFixture(t, "html_page.html")},
		{"truncated RSS", readFixture(t, "truncated.xml")},
		{"truncated JSON", readFixture(t, "truncated.json")},
		{"JSON of another kind", []byte(`{"hello": "world"}`)},
		{"empty", nil},
		{"binary", []byte{0, 1, 2, 3, 0xff, 0xfe}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := Parse(tt.data, nil, now, 24*time.Hour)
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("err = %v (list %v), want ErrMalformed", err, list)
			}
		})
	}
}

func TestParseBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"page":{"url":"https://status.example.org"},"incidents":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"id":"i","name":"` + strings.Repeat("Very long title ", 40) + `","status":"investigating",` +
			`"incident_updates":[{"body":"` + strings.Repeat("word ", 500) + `"}]}`)
	}
	b.WriteString("]}")
	list, err := Parse([]byte(b.String()), nil, now, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != maxDisruptions {
		t.Errorf("%d disruptions kept, want %d", len(list), maxDisruptions)
	}
	for _, d := range list {
		if n := len([]rune(d.Title)); n > maxTitleRunes {
			t.Fatalf("title of %d characters", n)
		}
		if n := len([]rune(d.Body)); n > maxBodyRunes || !strings.HasSuffix(d.Body, "…") {
			t.Fatalf("body of %d characters: %q", n, d.Body[len(d.Body)-10:])
		}
	}
}

// A feed is untrusted: escape sequences and bidi overrides, written raw or as entities, never
// reach a terminal or a window.
func TestParseRemovesHostileText(t *testing.T) {
	statuspage := `{"page":{"url":"https://status.example.org"},"incidents":[{"id":"1",` +
		`"name":"TOP \u001b]0;pwned\u0007down\u001b[2K","status":"investigating\u202e",` +
		`"components":[{"name":"T\u2066OP\u2069"}],"incident_updates":[{"body":"Fix\u0000ed \u009b31msoon\r\nagain"}]}]}`
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>s</title><item>` +
		`<title>VPN down &#x202E;fdp.exe</title><description>&lt;p&gt;zero&#x200B;width &amp;#27;[31mred&lt;/p&gt;</description>` +
		`<pubDate>Wed, 25 Nov 2026 08:00:00 +0000</pubDate><link>https://status.example.org/&#x202E;x</link></item></channel></rss>`
	want := map[string][]string{
		"statuspage": {"TOP down", "investigating", "TOP", "Fixed soon again"},
		"rss":        {"VPN down fdp.exe", "zerowidth red"},
	}
	for name, feed := range map[string]string{"statuspage": statuspage, "rss": rss} {
		list, err := Parse([]byte(feed), nil, now, 24*time.Hour)
		if err != nil || len(list) != 1 {
			t.Fatalf("%s: %v, %v", name, list, err)
		}
		d := list[0]
		texts := append([]string{d.Title, d.Body, d.Status, d.Impact, d.URL}, d.Components...)
		joined := strings.Join(texts, "|")
		for _, w := range want[name] {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: %q lacks %q", name, joined, w)
			}
		}
		for _, text := range texts {
			if text != safetext.Line(text, 0) {
				t.Errorf("%s: unsafe text %q", name, text)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"statuspage_summary.json", "rss.xml", "atom.xml", "jsonfeed.json", "truncated.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := Parse(data, nil, now, 24*time.Hour)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error not marked malformed: %v", err)
		}
		for _, d := range list {
			if d.URL != "" && !strings.HasPrefix(d.URL, "http://") && !strings.HasPrefix(d.URL, "https://") {
				t.Fatalf("unsafe link %q", d.URL)
			}
			for _, text := range append([]string{d.Title, d.Body, d.Status, d.Impact, d.URL}, d.Components...) {
				if text != safetext.Line(text, 0) {
					t.Fatalf("unsafe text %q", text)
				}
			}
		}
	})
}

// BenchmarkParse reads a normal status page and the largest feed Apuri accepts.
func BenchmarkParse(b *testing.B) {
	summary, err := os.ReadFile(filepath.Join("testdata", "statuspage_summary.json"))
	if err != nil {
		b.Fatal(err)
	}
	var huge strings.Builder
	huge.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for huge.Len() < DefaultMaxBytes-2000 {
		huge.WriteString(`<item><title>Printing fails</title><description>&lt;p&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - ` +
			`We are looking into it.&lt;/p&gt;</description><pubDate>Wed, 25 Nov 2026 08:00:00 +0000</pubDate>` +
			`<link>https://status.example.org/i/1</link></item>`)
	}
	huge.WriteString(`</channel></rss>`)
	for _, bc := range []struct {
		name string
		data []byte
	}{{"statuspage_summary", summary}, {"rss_1MB", []byte(huge.String())}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				if _, err := Parse(bc.data, nil, now, 24*time.Hour); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
