package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
)

func TestEveryLanguageHasTheSameKeys(t *testing.T) {
	en, err := Keys("en")
	if err != nil {
		t.Fatal(err)
	}
	if len(en) == 0 {
		t.Fatal("no English texts")
	}
	for _, lang := range Languages {
		keys, _ := Keys(lang)
		for _, k := range en {
			if !slices.Contains(keys, k) {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
		for _, k := range keys {
			if !slices.Contains(en, k) {
				t.Errorf("%s has %q, which English lacks", lang, k)
			}
		}
	}
}

// fields lists the {{.name}} placeholders of a template.
func fields(t *testing.T, lang, key, text string) []string {
	tmpl, err := template.New(key).Parse(text)
	if err != nil {
		t.Errorf("%s %s: %v", lang, key, err)
		return nil
	}
	var out []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			for _, cmd := range n.Pipe.Cmds {
				for _, a := range cmd.Args {
					if f, ok := a.(*parse.FieldNode); ok {
						out = append(out, strings.Join(f.Ident, "."))
					}
				}
			}
		case *parse.IfNode:
			walk(n.List)
			if n.ElseList != nil {
				walk(n.ElseList)
			}
		}
	}
	walk(tmpl.Tree.Root)
	slices.Sort(out)
	return slices.Compact(out)
}

func TestPlaceholdersAgreeAcrossLanguages(t *testing.T) {
	keys, _ := Keys("en")
	for _, k := range keys {
		en, _ := Text("en", k)
		want := fields(t, "en", k, en)
		for _, lang := range Languages[:2] {
			text, _ := Text(lang, k)
			if got := fields(t, lang, k, text); !slices.Equal(got, want) {
				t.Errorf("%s %s uses %v, English uses %v", lang, k, got, want)
			}
		}
	}
}

func TestRendersArgumentsAndFallsBackToTheKey(t *testing.T) {
	tr := New("fi")
	if got := tr.F("cli.unknown_command", "name", "frobnicate"); !strings.Contains(got, "frobnicate") || got == "cli.unknown_command" {
		t.Errorf("rendered %q", got)
	}
	if got := tr.T("no.such.key", nil); got != "no.such.key" {
		t.Errorf("a missing key renders as %q, want the key itself", got)
	}
	if New("de").Lang() != Fallback {
		t.Error("an unsupported language must fall back to English")
	}
}

// keyLiteral matches string literals in Go code that look like translation keys.
var keyLiteral = regexp.MustCompile(`"((?:advice|check|cli|profile|report|selfhelp|status|tray|verdict|window|draft|outbox|watch|app|feed|webpage)\.[a-z0-9_.]*[a-z0-9])"`)

// fileName tells key-like literals that are really file names apart from keys.
var fileName = regexp.MustCompile(`\.(toml|json|sock|png|zip|txt|eml|desktop|plist|html)$`)

// TestKeysUsedInCodeExist scans the module's Go code for key literals: a key used but never
// translated would show up to users as a raw key.
func TestKeysUsedInCodeExist(t *testing.T) {
	root := filepath.Join("..")
	en, _ := Keys("en")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyLiteral.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			if fileName.MatchString(key) {
				continue
			}
			checked++
			if !slices.Contains(en, key) && !hasPrefixKey(en, key+".") {
				t.Errorf("%s uses %q, which has no translation", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("found only %d key literals; is the scan looking in the right place?", checked)
	}
}

// hasPrefixKey allows a literal that names a family of keys, such as "profile.source".
func hasPrefixKey(keys []string, prefix string) bool {
	for _, k := range keys {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
