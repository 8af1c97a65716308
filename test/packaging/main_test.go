//go:build linux

// Package packaging_test builds Apuri's packages with the Makefile's own targets (install,
// deb, windows, msi, macos-app) and checks them with the tools each platform uses:
// desktop-file-validate and appstreamcli, dpkg, debug/pe, msiinfo and msiextract, and Wine,
// which installs the MSI and runs the Windows programs. A tool that is missing skips its test
// with the command that installs it; under CI=true it fails instead, so a check cannot stop
// running unnoticed. Installing the .deb for real needs root.
package packaging_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// testVersion is the version the test builds carry (the Makefile's VERSION), so that
// `apuri version` has a known answer.
const testVersion = "0.1.0-packaging-test"

var (
	// root is the module's root, where the Makefile is.
	root string
	// shared holds the builds that several tests look at, made once per run.
	shared string
)

func TestMain(m *testing.M) {
	flag.Parse()
	_, file, _, _ := runtime.Caller(0)
	root = filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	dir, err := os.MkdirTemp("", "apuri-packaging-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = dir
	code := m.Run()
	if winePfx != nil {
		winePfx.stop()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// need skips a test whose commands are missing here and names the line that installs them;
// under CI=true it fails, because scripts/deps.sh installs them there.
func need(tb testing.TB, commands ...string) {
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

// needBuilds skips the tests that build whole programs in -short mode.
func needBuilds(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds the programs; skipped in -short mode")
	}
}

// runMake runs one make target in the module root and returns its output; it fails the test
// with the output's end when make fails.
func runMake(tb testing.TB, args ...string) string {
	tb.Helper()
	out, err := makeCommand(args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, tail(out, 40))
	}
	return string(out)
}

func makeCommand(args ...string) *exec.Cmd {
	cmd := exec.Command("make", append([]string{"--no-print-directory"}, args...)...)
	cmd.Dir = root
	return cmd
}

// tail is the last n lines of out, where make and the compilers say what went wrong.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// once is one make run whose output directory several tests share.
type once struct {
	once sync.Once
	out  []byte
	err  error
}

// make runs `make target DIST=dir VERSION=testVersion` the first time and reports its result
// every time, so a failed build fails each test that needs it with the same reason.
func (o *once) make(tb testing.TB, target, dir string) {
	tb.Helper()
	o.once.Do(func() {
		o.out, o.err = makeCommand(target, "DIST="+dir, "VERSION="+testVersion).CombinedOutput()
	})
	if o.err != nil {
		tb.Fatalf("make %s: %v\n%s", target, o.err, tail(o.out, 40))
	}
}

// command runs name with args and returns its standard output; it fails the test when the
// command fails.
func command(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
