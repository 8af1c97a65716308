//go:build linux

// Package packaging_test builds Apuri's Linux and macOS packages with the Makefile's own
// targets (install, deb, macos-app) and checks them with the tools the platforms use:
// desktop-file-validate, appstreamcli and dpkg, and a strict reading of the macOS property
// lists. The Windows programs and the MSI are tested in ./windows. A tool that is missing
// skips its test with the command that installs it; under CI=true it fails instead, so a check
// cannot stop running unnoticed. Installing the .deb for real needs root.
package packaging_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

var (
	root        = pkgtest.Root
	testVersion = pkgtest.TestVersion
	need        = pkgtest.Need
	runMake     = pkgtest.RunMake
	makeCommand = pkgtest.MakeCommand
	command     = pkgtest.Command
)

// shared holds the .deb, built once per run.
var shared string

// debBuild is `make deb`.
var debBuild pkgtest.Once

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "apuri-packaging-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = dir
	// The build runs before m.Run, outside the test timeout: cold, it compiles Fyne's cgo code.
	// The test reports its failure.
	if !testing.Short() && os.Geteuid() == 0 && pkgtest.Have("make", "dpkg", "dpkg-deb", "dpkg-query") &&
		pkgtest.Wanted("TestDebInstallsAndPurges") {
		_ = debBuild.Run("deb", debBuildDir())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func debBuildDir() string { return filepath.Join(shared, "deb") }
