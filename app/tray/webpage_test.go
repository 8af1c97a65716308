package tray

import (
	"html"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
)

// openedPages is what the rig's desktop was asked to open.
func (r *rig) openedPages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.files)
}

func TestTheMenuOpensTheWebPage(t *testing.T) {
	tr := i18n.New("sv")
	diag := &fakeDiagnosis{causes: []diagnostics.Cause{diagnostics.CauseNoLink, diagnostics.CauseHealthy}, release: make(chan struct{})}
	r := newRig(t, "sv", diag)
	r.a.SetProfile(profile.Loaded{Profile: parseProfile(t, fullProfile)})
	poll.Until(t, "the profile's links in the menu", func() bool { return slices.Contains(r.shell.labels(), "TOP") })

	// While the first diagnosis runs, the page says so.
	r.c.diagnose()
	poll.Until(t, "a diagnosis running", func() bool { return r.a.State().Running })
	r.shell.click(t, tr.T("tray.menu.web_page", nil))
	poll.Until(t, "the page opened", func() bool { return len(r.openedPages()) == 1 })
	page := readPage(t, r.page)
	if want := html.EscapeString(tr.T("webpage.checking", nil)); !strings.Contains(page, want) {
		t.Errorf("the page while checking lacks %q", want)
	}

	// Once it has ended, the page has its verdict, in the agent's language, with the profile's links.
	diag.release <- struct{}{}
	poll.Until(t, "the diagnosis done", func() bool { return r.a.State().Report != nil })
	r.shell.click(t, tr.T("tray.menu.web_page", nil))
	poll.Until(t, "the page opened again", func() bool { return len(r.openedPages()) == 2 })
	if got := r.openedPages(); got[1] != r.page {
		t.Errorf("opened %q, want %s", got, r.page)
	}
	page = readPage(t, r.page)
	for _, want := range []string{`<html lang="sv">`, html.EscapeString(tr.T("verdict.no_link", nil)), `href="https://support.example.org/"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func readPage(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
