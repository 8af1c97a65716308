package webpage

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/selfhelp"
)

// state is one situation the page must read well in.
type state struct {
	name string
	page func() Page
}

func states() []state {
	made := demo.StartedAt.Add(3 * time.Minute)
	page := func(r *diagnostics.Report, running bool) Page {
		return Page{Report: r, Running: running, Profile: demo.Profile(), Made: made, Location: time.UTC}
	}
	return []state{
		{"healthy", func() Page { return page(demo.Healthy(), false) }},
		{"checking", func() Page {
			p := page(nil, true)
			p.Disruptions = demo.Disruptions().Disruptions
			return p
		}},
		{"checking again", func() Page { return page(demo.VPNDown(), true) }},
		{"not checked", func() Page { return page(nil, false) }},
		{"problem", func() Page { return page(demo.VPNDown(), false) }},
		{"restart", func() Page { return page(demo.LongUptime(), false) }},
		{"known disruption", func() Page { return page(demo.ServiceDownKnown(), false) }},
	}
}

// eachPage renders every state in every language.
func eachPage(t *testing.T, check func(t *testing.T, lang string, p Page, doc []byte)) {
	for _, st := range states() {
		for _, lang := range i18n.Languages {
			t.Run(st.name+"/"+lang, func(t *testing.T) {
				p := st.page()
				doc, err := Bytes(p, i18n.New(lang))
				if err != nil {
					t.Fatal(err)
				}
				check(t, lang, p, doc)
			})
		}
	}
}

func parse(t *testing.T, doc []byte) *html.Node {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return root
}

// all returns the elements under n for which match is true, in document order.
func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func is(a atom.Atom) func(*html.Node) bool { return func(n *html.Node) bool { return n.DataAtom == a } }

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// text is everything n says, spaces collapsed; the style sheet says nothing.
// flat is s as text reads it: any run of spaces, a no-break space too, as one space.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode && d.Parent.DataAtom != atom.Style {
			b.WriteString(d.Data)
			b.WriteByte(' ')
		}
	}
	return flat(b.String())
}

func TestEveryStateIsASemanticPage(t *testing.T) {
	eachPage(t, func(t *testing.T, lang string, p Page, doc []byte) {
		root := parse(t, doc)
		htmls := all(root, is(atom.Html))
		if got, _ := attr(htmls[0], "lang"); got != lang {
			t.Errorf("<html lang=%q>, want %q", got, lang)
		}
		if titles := all(root, is(atom.Title)); len(titles) != 1 || text(titles[0]) == "" {
			t.Errorf("want one non-empty <title>, got %d", len(titles))
		}
		if h1 := all(root, is(atom.H1)); len(h1) != 1 {
			t.Errorf("%d <h1>, want exactly one", len(h1))
		}
		if len(all(root, is(atom.H2))) == 0 {
			t.Error("no <h2>: the sections have no headings")
		}
		if len(all(root, is(atom.Main))) != 1 {
			t.Error("want one <main>")
		}
		// The ladder: an ordered list with one item per step, in the ladder's order.
		steps := p.Steps
		if steps == nil {
			steps = selfhelp.Ladder(p.Report, p.Profile)
		}
		var items []*html.Node
		for _, ol := range all(root, func(n *html.Node) bool { return n.DataAtom == atom.Ol && hasClass(n, "steps") }) {
			items = append(items, children(ol, atom.Li)...)
		}
		if len(items) != len(steps) {
			t.Fatalf("%d steps listed, want %d", len(items), len(steps))
		}
		tr := i18n.New(lang)
		for i, s := range steps {
			if want := flat(tr.T(s.Title.Key, s.Title.Args)); !strings.Contains(text(items[i]), want) {
				t.Errorf("step %d says %q, want %q", i+1, text(items[i]), want)
			}
		}
		if p.Report == nil {
			if len(all(root, is(atom.Table))) != 0 {
				t.Error("a table of checks without a diagnosis")
			}
			return
		}
		checkVerdictFirst(t, root, p, tr)
		checkTable(t, root, p.Report, tr)
	})
}

// checkVerdictFirst: after the heading, the first thing said is the verdict's sentence, then
// what to try.
func checkVerdictFirst(t *testing.T, root *html.Node, p Page, tr *i18n.Translator) {
	t.Helper()
	r := *p.Report
	r.Checks = slices.Clone(r.Checks)
	r.Localize(tr)
	sections := all(root, is(atom.Section))
	if len(sections) == 0 {
		t.Fatal("no sections")
	}
	first := text(sections[0])
	at := strings.Index(first, flat(r.Verdict.Summary))
	if at < 0 {
		t.Fatalf("the first section %q lacks the verdict %q", first, r.Verdict.Summary)
	}
	for _, a := range r.Verdict.Advice {
		if i := strings.Index(first, flat(a)); i < at {
			t.Errorf("advice %q missing, or before the verdict", a)
		}
	}
	if r.Verdict.Disruption != nil && !strings.Contains(first, flat(r.Verdict.Disruption.Title)) {
		t.Errorf("the known disruption %q is not beside the verdict", r.Verdict.Disruption.Title)
	}
}

// checkTable: a real table with a caption, column headers and one row per check whose status
// is a word, not only a colour.
func checkTable(t *testing.T, root *html.Node, r *diagnostics.Report, tr *i18n.Translator) {
	t.Helper()
	tables := all(root, is(atom.Table))
	if len(tables) != 1 {
		t.Fatalf("%d tables, want 1", len(tables))
	}
	tbl := tables[0]
	if c := all(tbl, is(atom.Caption)); len(c) != 1 || text(c[0]) == "" {
		t.Error("the table has no caption")
	}
	heads := all(tbl, func(n *html.Node) bool { v, _ := attr(n, "scope"); return n.DataAtom == atom.Th && v == "col" })
	if len(heads) != 4 {
		t.Errorf("%d column headers, want 4 (check, result, found, time)", len(heads))
	}
	rows := all(all(tbl, is(atom.Tbody))[0], is(atom.Tr))
	if len(rows) != len(r.Checks) {
		t.Fatalf("%d rows, want one per check (%d)", len(rows), len(r.Checks))
	}
	for i, c := range r.Checks {
		cells := slices.Concat(children(rows[i], atom.Th), children(rows[i], atom.Td))
		if len(cells) != 4 {
			t.Fatalf("row %d has %d cells", i, len(cells))
		}
		if got, want := text(cells[0]), diagnostics.CheckName(tr, c.ID, c.Title); got != want {
			t.Errorf("row %d names %q, want %q", i, got, want)
		}
		if scope, _ := attr(cells[0], "scope"); cells[0].DataAtom != atom.Th || scope != "row" {
			t.Errorf("row %d: the check's name is not the row's header", i)
		}
		if word := tr.T("status."+string(c.Status), nil); !strings.Contains(text(cells[1]), word) {
			t.Errorf("row %d: status %q, want the word %q", i, text(cells[1]), word)
		}
		want := flat(i18n.FormatDuration(tr.Lang(), time.Duration(c.DurationMS)*time.Millisecond))
		if text(cells[3]) != want {
			t.Errorf("row %d: duration %q, want %q", i, text(cells[3]), want)
		}
	}
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), class)
}

func children(n *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	for c := range n.ChildNodes() {
		if c.Type == html.ElementNode && c.DataAtom == a {
			out = append(out, c)
		}
	}
	return out
}

// A screen reader's user has the page alone: it loads nothing, runs nothing and links only to
// web pages.
func TestEveryStateIsSelfContained(t *testing.T) {
	eachPage(t, func(t *testing.T, _ string, _ Page, doc []byte) {
		checkSelfContained(t, parse(t, doc))
	})
}

func checkSelfContained(t *testing.T, root *html.Node) {
	t.Helper()
	banned := []atom.Atom{atom.Script, atom.Noscript, atom.Link, atom.Img, atom.Iframe, atom.Object,
		atom.Embed, atom.Audio, atom.Video, atom.Source, atom.Form, atom.Base, atom.Svg, atom.Math}
	for _, n := range all(root, func(*html.Node) bool { return true }) {
		if slices.Contains(banned, n.DataAtom) || n.Data == "svg" {
			t.Errorf("<%s> in the page", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "src" || a.Key == "srcset" || a.Key == "style" {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		if n.DataAtom == atom.Style && (strings.Contains(n.FirstChild.Data, "url(") || strings.Contains(n.FirstChild.Data, "@import")) {
			t.Error("the style sheet loads something")
		}
		if n.DataAtom == atom.A {
			href, _ := attr(n, "href")
			u, err := url.Parse(href)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Errorf("link to %q: only http and https links belong on the page", href)
			}
			if text(n) == "" {
				t.Errorf("link to %q has no words", href)
			}
		}
	}
}

// rawKey is what a missing translation renders as.
var rawKey = regexp.MustCompile(`\b(webpage|window|tray|report|selfhelp|status|advice|verdict|check)\.[a-z_.]+\b`)

func TestEveryStateIsTranslated(t *testing.T) {
	eachPage(t, func(t *testing.T, _ string, _ Page, doc []byte) {
		if k := rawKey.Find([]byte(text(parse(t, doc)))); k != nil {
			t.Errorf("untranslated key %s on the page", k)
		}
	})
}

// Whatever a feed, a profile or a check says stays words: no markup, no script, no link to
// something other than a web page.
func TestOutsideTextStaysText(t *testing.T) {
	r := demo.ServiceDown()
	hostile := `<script>alert("x")</script><img src=x onerror=alert(1)> R&D`
	r.Disruptions = []diagnostics.Disruption{
		{Title: hostile, URL: "javascript:alert(1)", Body: "</li></ul><a href='file:///etc/passwd'>x</a>"},
		{Title: "FTP bulletin", URL: "ftp://status.example.org/x"},
		{Title: "Local bulletin", URL: "file:///etc/passwd"},
	}
	r.Checks[0].Message = i18n.Msg("check.interfaces.ok", "links", hostile)
	steps := []selfhelp.Step{{
		ID: selfhelp.StepInstructions, Title: i18n.Msg("selfhelp.step.instructions"),
		Action: selfhelp.Action{Kind: selfhelp.ActionOpenURL, Label: i18n.Msg("selfhelp.action.open_link", "name", hostile), URL: "https://support.example.org/a?b=1&c=<2>"},
		More: []selfhelp.Action{
			{Kind: selfhelp.ActionOpenURL, Label: i18n.Msg("selfhelp.action.open_instructions"), URL: "data:text/html,<script>alert(1)</script>"},
			{Kind: selfhelp.ActionCall, Label: i18n.Msg("selfhelp.action.call", "phone", "0295"), URL: "tel:0295"},
		},
	}}
	doc, err := Bytes(Page{Report: r, Profile: demo.Profile(), Steps: steps}, i18n.New("en"))
	if err != nil {
		t.Fatal(err)
	}
	root := parse(t, doc)
	checkSelfContained(t, root)
	words := text(root)
	if n := strings.Count(words, `<script>alert("x")</script><img src=x onerror=alert(1)> R&D`); n < 3 {
		t.Errorf("the hostile text shows %d times as words, want 3 (disruption, check, link label): %s", n, words)
	}
	links := all(root, is(atom.A))
	var hrefs []string
	for _, a := range links {
		h, _ := attr(a, "href")
		hrefs = append(hrefs, h)
	}
	// The disruptions' bulletins (javascript:, ftp:, file:), the data: instructions and the
	// tel: call are no links; the one web address is, its query kept.
	if want := []string{"https://support.example.org/a?b=1&c=%3c2%3e"}; !slices.Equal(hrefs, want) {
		t.Errorf("links %q, want %q", hrefs, want)
	}
}

func TestSaveIsForTheUserAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "apuri", FileName)
	if err := Save(path, Page{Report: demo.VPNDown(), Profile: demo.Profile()}, i18n.New("fi")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasPrefix(data, []byte("<!DOCTYPE html>")) {
		t.Errorf("the file starts %q", data[:min(len(data), 40)])
	}
}

func TestDefaultPathIsInTheCache(t *testing.T) {
	dir, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no cache directory here")
	}
	got, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "apuri", FileName); got != want {
		t.Errorf("DefaultPath %q, want %q", got, want)
	}
}

// Times and numbers are written as each language writes them, by the same formatter as the
// windows and the command line: the page says when it was made and when the checks ran, with
// their date (a page is read later), and each check's time with its unit.
func TestTimesAndNumbersFollowTheLanguage(t *testing.T) {
	at := time.Date(2026, 11, 5, 8, 2, 0, 0, time.UTC)
	r := demo.Healthy()
	r.StartedAt, r.DurationMS = at, 1490
	p := Page{Report: r, Profile: demo.Profile(), Made: at.Add(3 * time.Minute), Location: time.UTC}
	for _, tt := range []struct{ lang, checked, made string }{
		{"fi", "Tarkistettu 5.11.2026 klo\u00a08.02, kesto 1,5\u00a0s.", "Apuri teki tämän sivun 5.11.2026 klo\u00a08.05."},
		{"sv", "Kontrollerat 5.11.2026 kl.\u00a08.02 på 1,5\u00a0s.", "Apuri gjorde den här sidan 5.11.2026 kl.\u00a08.05."},
		{"en", "Checked at 08:02 on 5\u00a0Nov\u00a02026, in 1.5\u00a0s.", "Apuri made this page at 08:05 on 5\u00a0Nov\u00a02026."},
	} {
		tr := i18n.New(tt.lang)
		v := newView(p, tr)
		if v.Checked != tt.checked {
			t.Errorf("%s: checked %q, want %q", tt.lang, v.Checked, tt.checked)
		}
		if !strings.HasPrefix(v.Made, tt.made) {
			t.Errorf("%s: made %q, want it to begin %q", tt.lang, v.Made, tt.made)
		}
		for i, row := range v.Checks.Rows {
			ms := time.Duration(r.Checks[i].DurationMS) * time.Millisecond
			if want := i18n.FormatDuration(tt.lang, ms); row.Duration != want {
				t.Errorf("%s: row %d took %q, want %q", tt.lang, i, row.Duration, want)
			}
		}
	}
}
