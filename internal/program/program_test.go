package program

import (
	"go/build"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

const module = "github.com/apuri-project/apuri"

// The linker ignores a -X for a variable that does not exist, so a moved Version would leave
// every build saying 0.1.0-dev without any error: the Makefile must name this very variable.
func TestMakefileSetsThisVersion(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	want := reflect.TypeFor[Options]().PkgPath() + ".Version"
	flags := regexp.MustCompile(`-X ([^=\s]+)=`).FindAllStringSubmatch(string(data), -1)
	if len(flags) == 0 {
		t.Fatal("the Makefile sets no variable at link time")
	}
	for _, f := range flags {
		if f[1] != want {
			t.Errorf("the Makefile sets %s, want %s", f[1], want)
		}
	}
}

func TestWithTranslatorLeavesTheOriginal(t *testing.T) {
	o := Options{Profile: "org.toml", Lang: "sv"}
	tr := i18n.New("sv")
	got := o.WithTranslator(tr)
	if got.Tr() != tr || got.Profile != "org.toml" || got.Lang != "sv" {
		t.Errorf("WithTranslator gave %+v", got)
	}
	if o.Tr() != nil {
		t.Error("WithTranslator changed the options it was called on")
	}
}

// imports lists what the package in dir (relative to this one) imports from the module,
// its tests included.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	var own []string
	for _, list := range [][]string{pkg.Imports, pkg.TestImports} {
		for _, p := range list {
			if strings.HasPrefix(p, module+"/") {
				own = append(own, strings.TrimPrefix(p, module+"/"))
			}
		}
	}
	return own
}

// Every program shares this package, so it stays a leaf: nothing of Apuri but the translations.
func TestProgramIsALeaf(t *testing.T) {
	for _, p := range imports(t, ".") {
		if p != "i18n" {
			t.Errorf("internal/program imports %s", p)
		}
	}
}

// What the windows, the tray and the agent share with the command line comes from here: they
// do not import cli, which is the command line itself.
func TestOnlyTheProgramsImportCLI(t *testing.T) {
	for _, dir := range []string{"app", "app/tray", "agent", "support"} {
		for _, p := range imports(t, filepath.Join("..", "..", dir)) {
			if p == "cli" {
				t.Errorf("%s imports cli", dir)
			}
		}
	}
}
