package docs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// ref is one place where a document or a comment names a file of the repository.
type ref struct {
	file   string // the file that mentions it, relative to the repository root
	line   int
	target string // as written
	// resolved is the repository path it names, without a fragment; for a link, relative to
	// the file that holds it.
	resolved string
	fragment string // a link's #anchor, "" when none
	fromFile bool   // a markdown link: relative to the file's directory, not the root
}

var (
	mdLink     = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	backticked = regexp.MustCompile("`([^`\n]+)`")
	// docsMention finds docs/… and packaging/… in Go comments, not inside a URL or a longer path.
	docsMention = regexp.MustCompile(`(?:^|[\s(\[{"'])((?:docs|packaging)/[A-Za-z0-9_.*/-]*[A-Za-z0-9_*])`)
	urlScheme   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	pathExts    = []string{".md", ".go", ".json", ".toml", ".sh"}
)

// markdownRefs finds the links and the backticked repository paths of a markdown file. Fenced
// code blocks are left out: they hold commands and output, not references.
func markdownRefs(file string, text string, topLevel map[string]bool) []ref {
	var refs []ref
	fenced := false
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
			target := m[1]
			if urlScheme.MatchString(target) || strings.HasPrefix(target, "#") && len(target) == 1 {
				continue
			}
			r := ref{file: file, line: i + 1, target: target, fromFile: true}
			r.resolved, r.fragment, _ = strings.Cut(target, "#")
			if r.resolved == "" {
				r.resolved = path.Base(file) // #anchor in the same file
			}
			refs = append(refs, r)
		}
		refs = append(refs, backtickedRefs(file, i+1, line, topLevel)...)
	}
	return refs
}

// goCommentRefs finds backticked repository paths and docs/… or packaging/… mentions in the
// comments of a Go file.
func goCommentRefs(file string, src []byte, topLevel map[string]bool) ([]ref, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var refs []ref
	for _, group := range f.Comments {
		for _, c := range group.List {
			line := fset.Position(c.Pos()).Line
			for j, text := range strings.Split(commentText(c), "\n") {
				refs = append(refs, backtickedRefs(file, line+j, text, topLevel)...)
				for _, m := range docsMention.FindAllStringSubmatch(text, -1) {
					target := strings.TrimSuffix(m[1], ".")
					if placeholder(target) {
						continue
					}
					refs = append(refs, ref{file: file, line: line + j, target: target, resolved: cleanPath(target)})
				}
			}
		}
	}
	return refs, nil
}

func commentText(c *ast.Comment) string {
	t := strings.TrimPrefix(c.Text, "//")
	t = strings.TrimPrefix(t, "/*")
	return strings.TrimSuffix(t, "*/")
}

// backtickedRefs finds `path` spans that name a repository path: relative, one word, with a
// slash or a file extension of the repository's own, and starting at a top-level entry.
func backtickedRefs(file string, line int, text string, topLevel map[string]bool) []ref {
	var refs []ref
	for _, m := range backticked.FindAllStringSubmatch(text, -1) {
		if p, ok := repoPath(m[1], topLevel); ok {
			refs = append(refs, ref{file: file, line: line, target: m[1], resolved: p})
		}
	}
	return refs
}

// repoPath says whether s names a repository path and returns it cleaned. Placeholders (<name>,
// NAME, FILE.zip), absolute and home paths, URLs, Go import paths and commands are not paths of
// the tree.
func repoPath(s string, topLevel map[string]bool) (string, bool) {
	if strings.ContainsAny(s, " \t<>$%~\\:=@") || urlScheme.MatchString(s) {
		return "", false
	}
	if !strings.Contains(s, "/") && !slices.ContainsFunc(pathExts, func(ext string) bool { return strings.HasSuffix(s, ext) }) {
		return "", false
	}
	p := cleanPath(s)
	first, _, _ := strings.Cut(p, "/")
	if !topLevel[first] || placeholder(p) {
		return "", false
	}
	return p, true
}

// placeholder spots a file name written as capitals for the reader to fill in, such as
// docs/screenshots/WINDOW-STATE-LANG.png; README.md is a name, not a placeholder.
func placeholder(p string) bool {
	base := path.Base(p)
	base = strings.TrimSuffix(base, path.Ext(base))
	return strings.ContainsAny(base, "-_") && strings.ToUpper(base) == base && strings.ToLower(base) != base
}

// cleanPath drops ./ in front and / or /... behind: `./diagnostics/...` names diagnostics.
func cleanPath(s string) string {
	s = strings.TrimPrefix(s, "./")
	s = strings.TrimSuffix(s, "/...")
	return strings.TrimSuffix(s, "/")
}

// expandBraces turns a/{b,c}.json into a/b.json and a/c.json.
func expandBraces(p string) []string {
	open := strings.Index(p, "{")
	end := strings.Index(p, "}")
	if open < 0 || end < open {
		return []string{p}
	}
	var out []string
	for _, alt := range strings.Split(p[open+1:end], ",") {
		out = append(out, expandBraces(p[:open]+alt+p[end+1:])...)
	}
	return out
}

// tree is the set of the repository's files and the directories that hold them.
type tree struct {
	files map[string]bool
	dirs  map[string]bool
}

func newTree(files []string) tree {
	t := tree{files: map[string]bool{}, dirs: map[string]bool{"": true, ".": true}}
	for _, f := range files {
		t.files[f] = true
		for d := path.Dir(f); d != "."; d = path.Dir(d) {
			t.dirs[d] = true
		}
	}
	return t
}

// topLevel are the names at the root of the tree.
func (t tree) topLevel() map[string]bool {
	top := map[string]bool{}
	for f := range t.files {
		first, _, _ := strings.Cut(f, "/")
		top[first] = true
	}
	return top
}

// exists says whether p names a file or a directory of the tree; a glob must match one.
func (t tree) exists(p string) bool {
	for _, q := range expandBraces(p) {
		if !t.existsOne(q) {
			return false
		}
	}
	return true
}

func (t tree) existsOne(p string) bool {
	if !strings.ContainsAny(p, "*?[") {
		return t.files[p] || t.dirs[p]
	}
	for f := range t.files {
		if ok, _ := path.Match(p, f); ok {
			return true
		}
	}
	for d := range t.dirs {
		if ok, _ := path.Match(p, d); ok {
			return true
		}
	}
	return false
}

// dangling lists the references that name nothing in the tree, or an anchor a markdown file
// does not have; headings gives a markdown file's anchors.
func dangling(refs []ref, t tree, headings func(file string) map[string]bool) []ref {
	var bad []ref
	for _, r := range refs {
		p := r.resolved
		if r.fromFile {
			if strings.HasPrefix(p, "/") {
				p = strings.TrimPrefix(p, "/")
			} else {
				p = path.Join(path.Dir(r.file), p)
			}
			p = cleanPath(p)
		}
		switch {
		case !t.exists(p):
			bad = append(bad, r)
		case r.fragment != "" && strings.HasSuffix(p, ".md") && !headings(p)[r.fragment]:
			bad = append(bad, r)
		}
	}
	return bad
}

// anchors are the heading anchors of a markdown text, as GitHub makes them.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteRune('-')
			}
		}
		out[b.String()] = true
	}
	return out
}
