// Package docs_test keeps the documentation honest: every file a document or a comment points
// to exists, nothing points outside the repository, and the README's Layout table is the tree.
package docs_test

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// forbidden are mentions of what lies outside the repository: the first design sketch and the
// steering directory beside it. They are spelt in two parts so that this file does not hold them.
var forbidden = []string{"DESIGN" + ".md", "../" + "shared"}

// repo is the repository's root and the files git knows (tracked, and new ones not ignored).
func repo(t *testing.T) (root string, files []string) {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git work tree: %v", err)
	}
	root = strings.TrimSpace(string(out))
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
	cmd.Dir = root
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" {
			continue
		}
		// A file deleted in the work tree but still in the index is not there to point to.
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(f))); err == nil {
			files = append(files, f)
		}
	}
	return root, files
}

// allRefs gathers the references of every markdown and Go file.
func allRefs(t *testing.T, root string, files []string, tr tree) []ref {
	t.Helper()
	top := tr.topLevel()
	var refs []ref
	for _, f := range files {
		switch path.Ext(f) {
		case ".md":
			refs = append(refs, markdownRefs(f, read(t, root, f), top)...)
		case ".go":
			r, err := goCommentRefs(f, []byte(read(t, root, f)), top)
			if err != nil {
				t.Errorf("%s: %v", f, err)
			}
			refs = append(refs, r...)
		}
	}
	return refs
}

func read(t *testing.T, root, f string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestReferencesExist(t *testing.T) {
	root, files := repo(t)
	tr := newTree(files)
	refs := allRefs(t, root, files, tr)
	if len(refs) < 50 {
		t.Fatalf("found only %d references: the extractor is broken", len(refs))
	}
	headings := func(f string) map[string]bool { return anchors(read(t, root, f)) }
	for _, r := range dangling(refs, tr, headings) {
		t.Errorf("%s:%d: %q names nothing in the repository", r.file, r.line, r.target)
	}
	t.Logf("%d references to files of the repository checked", len(refs))
}

func TestNothingPointsOutside(t *testing.T) {
	root, files := repo(t)
	for _, f := range files {
		if ext := path.Ext(f); ext != ".md" && ext != ".go" {
			continue
		}
		for i, line := range strings.Split(read(t, root, f), "\n") {
			for _, bad := range forbidden {
				if strings.Contains(line, bad) {
					t.Errorf("%s:%d: mentions %s, which is not in the repository", f, i+1, bad)
				}
			}
		}
	}
}

// The extractor must be able to fail: a sample with dangling references, and with everything
// that only looks like a path.
func TestExtractorFindsDanglingReferences(t *testing.T) {
	tr := newTree([]string{"docs/report.md", "docs/profile.md", "README.md", "agent/autostart_linux.go",
		"assets/translations/fi.json", "assets/translations/sv.json", "packaging/README.md"})
	md := strings.Join([]string{
		"# Title",
		"See [the report](report.md#the-report) and [gone](missing.md), [profile](profile.md#nowhere).",
		"Paths: `docs/report.md`, `agent/autostart_*.go`, `assets/translations/{fi,sv}.json`, `docs/nothing.md`.",
		"Not paths: `github.com/apuri-project/apuri`, `/etc/apuri/profile.toml`, `FILE.zip`, `diagnostics/<name>.go`,",
		"`https://example.org/docs/x.md`, `apuri window NAME`, `apuri.report/v1`, `bin/apuri`, [web](https://example.org).",
		"## The report",
		"```",
		"[inside a fence](nowhere.md) `docs/fenced.md`",
		"```",
	}, "\n")
	refs := markdownRefs("docs/sample.md", md, tr.topLevel())
	goSrc := "// Package x follows docs/report.md and docs/gone.md, not https://example.org/docs/x.md.\npackage x\n\n" +
		"// see `packaging/README.md` and `packaging/nowhere.toml`; docs/shots/WINDOW-LANG.png is a pattern\nvar s = \"docs/in-a-string.md\"\n"
	goRefs, err := goCommentRefs("x/x.go", []byte(goSrc), tr.topLevel())
	if err != nil {
		t.Fatal(err)
	}
	refs = append(refs, goRefs...)
	headings := func(f string) map[string]bool {
		if f == "docs/report.md" {
			return anchors("# x\n## The report\n")
		}
		return map[string]bool{}
	}
	var got []string
	for _, r := range dangling(refs, tr, headings) {
		got = append(got, fmt.Sprintf("%s:%d:%s", r.file, r.line, r.target))
	}
	want := []string{
		"docs/sample.md:2:missing.md",
		"docs/sample.md:2:profile.md#nowhere",
		"docs/sample.md:3:docs/nothing.md",
		"x/x.go:1:docs/gone.md",
		"x/x.go:4:packaging/nowhere.toml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("dangling:\n got %q\nwant %q", got, want)
	}
	var all []string
	for _, r := range refs {
		all = append(all, r.target)
	}
	for _, mustFind := range []string{"report.md#the-report", "docs/report.md", "agent/autostart_*.go",
		"assets/translations/{fi,sv}.json", "packaging/README.md"} {
		if !slices.Contains(all, mustFind) {
			t.Errorf("%q was not taken for a reference; found %q", mustFind, all)
		}
	}
}
