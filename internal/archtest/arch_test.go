// Package archtest holds tests that keep Apuri's architecture honest (DESIGN.md §2): which
// packages may use Fyne and testing, and that the module's requirements stay tidy.
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/apuri-project/apuri"

type listedPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// listPackages runs `go list` over the module's production code (no test files).
func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages; is the module root right?", len(pkgs))
	}
	return pkgs
}

func moduleRoot(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// mayUseFyne reports whether a package is allowed to import Fyne: only app/ and the window
// program. The agent's main package must not: it sits in the tray all day and must not map Fyne.
func mayUseFyne(path string) bool {
	return path == module+"/cmd/apuri-window" || path == module+"/app" || strings.HasPrefix(path, module+"/app/")
}

func TestOnlyAppImportsFyne(t *testing.T) {
	for _, p := range listPackages(t) {
		if mayUseFyne(p.ImportPath) {
			continue
		}
		// Deps is transitive: a package that reaches Fyne through another of ours fails too.
		for _, dep := range p.Deps {
			if strings.HasPrefix(dep, "fyne.io/fyne/") {
				t.Errorf("%s depends on %s; only app/ may use Fyne", p.ImportPath, dep)
				break
			}
		}
	}
}

func TestProductionCodeDoesNotImportTesting(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, imp := range p.Imports {
			if imp == "testing" || strings.HasPrefix(imp, "testing/") {
				t.Errorf("%s imports %s in production code", p.ImportPath, imp)
			}
		}
	}
}

func TestGoModIsTidy(t *testing.T) {
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy would change go.mod/go.sum:\n%s", out)
	}
}
