//go:build linux

// Package pkgtest holds what the package tests (test/packaging and test/packaging/windows)
// share: running the Makefile's targets, skipping when a tool is missing, and reading
// FyneApp.toml and the agent's login items. The Linux and the Windows tests are separate test
// binaries so that each cold build (Fyne's cgo code for Linux, then for Windows) has its own
// test timeout, and the two can run side by side.
package pkgtest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"
)

// TestVersion is the version the test builds carry (the Makefile's VERSION), so that
// `apuri version` has a known answer.
const TestVersion = "0.1.0-packaging-test"

// TB is the part of testing.TB these helpers use. This package is built like production code,
// which never imports testing.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// Root is the module's root, where the Makefile is.
var Root = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}()

// Need skips a test whose commands are missing here and names the line that installs them;
// under CI=true it fails, because scripts/deps.sh installs them there.
func Need(tb TB, commands ...string) {
	tb.Helper()
	var missing []string
	for _, c := range commands {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("needs %s (scripts/deps.sh test installs them)", strings.Join(missing, ", "))
	}
	tb.Skipf("needs %s; install them with: sudo bash scripts/deps.sh test", strings.Join(missing, ", "))
}

// RunMake runs make in the module root and returns its output; it fails the test with the
// output's end when make fails.
func RunMake(tb TB, args ...string) string {
	tb.Helper()
	out, err := MakeCommand(args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, Tail(out, 40))
	}
	return string(out)
}

// MakeCommand is make in the module root.
func MakeCommand(args ...string) *exec.Cmd {
	cmd := exec.Command("make", append([]string{"--no-print-directory"}, args...)...)
	cmd.Dir = Root
	return cmd
}

// Tail is the last n lines of out, where make and the compilers say what went wrong.
func Tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Once is one make run whose output directory several tests share. TestMain starts it before
// m.Run where it can: the test timeout starts with m.Run, and a cold cgo build of Fyne takes
// minutes.
type Once struct {
	once sync.Once
	out  []byte
	err  error
}

// Run runs `make target DIST=dir VERSION=TestVersion` the first time and returns that run's
// result every time.
func (o *Once) Run(target, dir string) error {
	o.once.Do(func() {
		o.out, o.err = MakeCommand(target, "DIST="+dir, "VERSION="+TestVersion).CombinedOutput()
	})
	return o.err
}

// Make is Run that fails the test, with make's output, when the build failed; so a failed build
// fails each test that needs it with the same reason.
func (o *Once) Make(tb TB, target, dir string) {
	tb.Helper()
	if err := o.Run(target, dir); err != nil {
		tb.Fatalf("make %s: %v\n%s", target, err, Tail(o.out, 40))
	}
}

// Have reports whether every command is installed.
func Have(commands ...string) bool {
	for _, c := range commands {
		if _, err := exec.LookPath(c); err != nil {
			return false
		}
	}
	return true
}

// Wanted reports whether -run selects the top-level test name (or does not filter at all),
// so TestMain builds only for tests that will run.
func Wanted(name string) bool {
	f := flag.Lookup("test.run")
	if f == nil || f.Value.String() == "" {
		return true
	}
	top, _, _ := strings.Cut(f.Value.String(), "/")
	re, err := regexp.Compile(top)
	return err != nil || re.MatchString(name)
}

// Short reports whether the tests run with -short, which skips whole-program builds.
func Short() bool {
	f := flag.Lookup("test.short")
	return f != nil && f.Value.String() == "true"
}

// NeedBuilds skips a test that builds whole programs in -short mode.
func NeedBuilds(tb TB) {
	tb.Helper()
	if Short() {
		tb.Skipf("builds the programs; skipped in -short mode")
	}
}

// Command runs name with args and returns its standard output; it fails the test when the
// command fails.
func Command(tb TB, name string, args ...string) string {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// FyneApp is FyneApp.toml as Fyne's packaging tool reads it (fyne.io/tools, metadata.FyneApp);
// a key that tool does not know is a typo here too.
type FyneApp struct {
	Website     string
	Description string
	Languages   []string
	Details     struct {
		Icon    string
		Name    string
		ID      string
		Version string
		Build   int
	}
	Source struct {
		Repo, Dir string
	}
	LinuxAndBSD struct {
		GenericName string
		Categories  []string
		Comment     string
		Keywords    []string
		ExecParams  string
	}
	Migrations map[string]bool
}

// ReadFyneApp reads FyneApp.toml strictly.
func ReadFyneApp(tb TB) FyneApp {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(Root, "FyneApp.toml"))
	if err != nil {
		tb.Fatalf("%v", err)
	}
	var app FyneApp
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&app); err != nil {
		tb.Fatalf("FyneApp.toml: %v", err)
	}
	return app
}

// FileVersion is the four-part version the Windows programs carry: Version.Build.
func (a FyneApp) FileVersion() string {
	return fmt.Sprintf("%s.%d", a.Details.Version, a.Details.Build)
}
