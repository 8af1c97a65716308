package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/program"
)

// htmlLang parses a page and returns its language, every link and its words.
func htmlLang(t *testing.T, page string) (lang string, links []string, words string) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("not HTML: %v", err)
	}
	var b strings.Builder
	for n := range root.Descendants() {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for _, a := range n.Attr {
			switch {
			case n.DataAtom == atom.Html && a.Key == "lang":
				lang = a.Val
			case n.DataAtom == atom.A && a.Key == "href":
				links = append(links, a.Val)
			}
		}
	}
	return lang, links, b.String()
}

func TestReportHTMLToStandardOutput(t *testing.T) {
	full := filepath.Join("..", "profile", "testdata", "good", "full.toml")
	code, out, errOut := run(t, noRoute, "report", "--html", "--lang", "sv", "--profile", full)
	if code != program.ExitFailed {
		t.Errorf("exit %d, want 1 as for diagnose; stderr: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Fatalf("stdout is no web page: %.80q", out)
	}
	lang, links, words := htmlLang(t, out)
	if lang != "sv" {
		t.Errorf("lang %q, want sv", lang)
	}
	v := noRoute.Verdict.Message
	if want := i18n.New("sv").T(v.Key, v.Args); !strings.Contains(words, want) {
		t.Errorf("the page lacks the Swedish verdict %q:\n%s", want, words)
	}
	// The profile's portal is linked from the request step.
	p, _ := os.ReadFile(full)
	found := false
	for _, l := range links {
		if strings.Contains(string(p), `"`+l+`"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no link from the profile among %q", links)
	}
}

func TestReportHTMLToAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut := run(t, healthy, "report", "--html", "-o", path, "--lang", "fi")
	if code != program.ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, errOut)
	}
	if !strings.Contains(out, path) {
		t.Errorf("stdout %q does not name the file", out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lang, _, _ := htmlLang(t, string(data)); lang != "fi" {
		t.Errorf("lang %q, want fi", lang)
	}
	if info, _ := os.Stat(path); runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
}

func TestReportWithoutHTMLIsText(t *testing.T) {
	code, out, _ := run(t, healthy, "report")
	if code != program.ExitOK || strings.Contains(out, "<") || !strings.Contains(out, "Everything Apuri checked works") {
		t.Errorf("exit %d, output %q; want the text report", code, out)
	}
}
