package docs_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// layoutEntries reads the first column of the README's "## Layout" table: each backticked
// path in it, such as `cli/`, `main.go`, `internal/atomicfile/` or `tools/...`.
func layoutEntries(readme string) ([]string, error) {
	var entries []string
	in := false
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Layout"
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		for _, m := range backticked.FindAllStringSubmatch(cells[1], -1) {
			entries = append(entries, m[1])
		}
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("no table with backticked paths under \"## Layout\"")
	}
	return entries, nil
}

// covers says whether a Layout entry stands for directory dir (relative to the root, "." for
// the root): `x/` and `x` name x, `x/...` names x and everything below it, and a file such as
// `main.go` names its directory.
func covers(entry, dir string) bool {
	if e, ok := strings.CutSuffix(entry, "/..."); ok {
		return dir == e || strings.HasPrefix(dir, e+"/")
	}
	if strings.HasSuffix(entry, ".go") {
		return path.Dir(entry) == dir
	}
	return strings.TrimSuffix(entry, "/") == dir
}

// codeDirs are the directories of the module's packages with code that is not a test, relative
// to the root: `go list` with the files every build constraint leaves out counted too, so a
// package for another OS is not missed.
func codeDirs(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-f", "{{.Dir}}\t{{join .GoFiles \" \"}} {{join .CgoFiles \" \"}} {{join .IgnoredGoFiles \" \"}}", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var dirs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		dir, files, _ := strings.Cut(sc.Text(), "\t")
		code := false
		for _, f := range strings.Fields(files) {
			if !strings.HasSuffix(f, "_test.go") {
				code = true
			}
		}
		if !code {
			continue
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, filepath.ToSlash(rel))
	}
	return dirs
}

// TestLayoutTableIsTheTree holds the README's Layout table to the tree: every directory with
// code that is not a test has a row (by itself, or under a `dir/...` row), and every path in
// the table exists. When packages move, the failures name the rows to add and to change.
func TestLayoutTableIsTheTree(t *testing.T) {
	root, files := repo(t)
	entries, err := layoutEntries(read(t, root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	tr := newTree(files)
	for _, e := range entries {
		if !tr.exists(cleanPath(e)) {
			t.Errorf("README.md Layout lists %s, which is not in the tree", e)
		}
	}
	dirs := codeDirs(t, root)
	if !slices.Contains(dirs, ".") || len(dirs) < 10 {
		t.Fatalf("go list found %q: not the module's packages", dirs)
	}
	for _, d := range dirs {
		if !slices.ContainsFunc(entries, func(e string) bool { return covers(e, d) }) {
			t.Errorf("README.md Layout has no row for %s/ (a package with code)", d)
		}
	}
}

func TestLayoutRules(t *testing.T) {
	readme := "## Install\n| `bin/` | x |\n## Layout\n\n| package | job |\n|---|---|\n" +
		"| `main.go` | a |\n| `internal/atomicfile/`, `internal/filelock/` | b |\n| `tools/...` | c |\n## Measured\n| `x/` | y |\n"
	entries, err := layoutEntries(readme)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"main.go", "internal/atomicfile/", "internal/filelock/", "tools/..."}; !slices.Equal(entries, want) {
		t.Fatalf("entries %q, want %q", entries, want)
	}
	for _, c := range []struct {
		dir  string
		want bool
	}{
		{".", true}, {"internal/filelock", true}, {"internal/filelock/sub", false}, {"internal", false},
		{"tools", true}, {"tools/genicons", true}, {"toolsmith", false}, {"cli", false},
	} {
		got := slices.ContainsFunc(entries, func(e string) bool { return covers(e, c.dir) })
		if got != c.want {
			t.Errorf("%s covered: %v, want %v", c.dir, got, c.want)
		}
	}
}
