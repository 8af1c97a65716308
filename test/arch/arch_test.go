// Package arch holds tests that keep Apuri's architecture honest (docs/architecture.md): which
// packages may use Fyne and testing, that test infrastructure and developer programs never ship,
// and that the module's requirements stay tidy.
package arch

import (
	"encoding/json"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/apuri-project/apuri"

type listedPackage struct {
	ImportPath   string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
}

// listPackages runs `go list` over the module's packages for this machine's OS. Imports and Deps
// are of the production code; TestImports and XTestImports are of its _test files.
func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	pkgs := goList(t, runtime.GOOS, "./...")
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages; is the module root right?", len(pkgs))
	}
	return pkgs
}

// goList runs `go list -json` with args in the module root, building for goos. cgo stays on so
// that the Fyne and systray files are listed for every OS; go list compiles nothing.
func goList(t *testing.T, goos string, args ...string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = moduleRoot(t)
	cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s (GOOS=%s): %v\n%s", strings.Join(args, " "), goos, err, stderr.String())
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

// isTestSupport reports whether a package is test infrastructure, which exists to serve tests.
func isTestSupport(path string) bool {
	return strings.HasPrefix(path, module+"/internal/testsupport/")
}

// isTool reports whether a package is a developer program: run from the source tree, never shipped.
func isTool(path string) bool {
	return strings.HasPrefix(path, module+"/tools/")
}

func TestProductionCodeDoesNotImportTesting(t *testing.T) {
	for _, p := range listPackages(t) {
		if isTestSupport(p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if imp == "testing" || strings.HasPrefix(imp, "testing/") {
				t.Errorf("%s imports %s in production code", p.ImportPath, imp)
			}
		}
	}
}

// shippedOSes are the systems Apuri is built for; files for one of them can import what the
// others do not.
var shippedOSes = []string{"linux", "windows", "darwin"}

// TestShippedCodeLeavesTestSupportAndToolsOut checks that the two programs, apuri and
// apuri-window, are built from no test infrastructure and no developer program, on any OS.
func TestShippedCodeLeavesTestSupportAndToolsOut(t *testing.T) {
	for _, goos := range shippedOSes {
		t.Run(goos, func(t *testing.T) {
			shipped := map[string]bool{}
			var own []listedPackage
			for _, p := range goList(t, goos, "-deps", ".", "./cmd/apuri-window") {
				if p.ImportPath == module || strings.HasPrefix(p.ImportPath, module+"/") {
					shipped[p.ImportPath] = true
					own = append(own, p)
				}
			}
			// Without these the list is not what the programs are built from, and the check
			// below would pass over nothing.
			for _, want := range []string{module, module + "/cmd/apuri-window", module + "/agent", module + "/app"} {
				if !shipped[want] {
					t.Fatalf("%s is missing from the programs' dependencies: %v", want, slices.Sorted(maps.Keys(shipped)))
				}
			}
			for _, p := range own {
				for _, imp := range p.Imports {
					if isTestSupport(imp) || isTool(imp) {
						t.Errorf("%s imports %s: test infrastructure and tools must not ship", p.ImportPath, imp)
					}
				}
			}
		})
	}
}

// TestTestSupportOnlyInTests checks that internal/testsupport/ is imported only by _test files,
// by tools/ and by other test infrastructure, on any OS.
func TestTestSupportOnlyInTests(t *testing.T) {
	for _, goos := range shippedOSes {
		t.Run(goos, func(t *testing.T) {
			usedByTests := false
			for _, p := range goList(t, goos, "./...") {
				for _, imp := range slices.Concat(p.TestImports, p.XTestImports) {
					usedByTests = usedByTests || isTestSupport(imp)
				}
				if isTestSupport(p.ImportPath) || isTool(p.ImportPath) {
					continue
				}
				for _, imp := range p.Imports {
					if isTestSupport(imp) {
						t.Errorf("%s imports %s outside its _test files", p.ImportPath, imp)
					}
				}
			}
			// The tests do use it: if no test's imports show up, the list is not what it seems.
			if !usedByTests {
				t.Fatal("no test imports anything under internal/testsupport; go list's test imports are missing")
			}
		})
	}
}

func TestGoModIsTidy(t *testing.T) {
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy would change go.mod/go.sum:\n%s", out)
	}
}
