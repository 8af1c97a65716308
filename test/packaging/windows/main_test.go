//go:build linux

// Package windows_test cross-compiles Apuri's Windows programs and MSI with the Makefile's
// targets (make windows, make msi) and checks them: the programs' PE headers and resources with
// debug/pe and go-winres, the MSI's tables and files with msiinfo and msiextract, and, in a Wine
// prefix of the run's own, both programs' command lines and the MSI's install and uninstall. A
// tool that is missing skips its test with the command that installs it; under CI=true it
// fails instead. It is a test binary of its own, apart from test/packaging, so that the cold
// cgo build of Fyne for Windows (minutes) has a test timeout of its own.
package windows_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

var (
	root        = pkgtest.Root
	testVersion = pkgtest.TestVersion
	need        = pkgtest.Need
	command     = pkgtest.Command
	// shared holds the build that every test looks at and the Wine prefix, made once per run.
	shared string
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "apuri-packaging-windows-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = dir
	// The build runs before m.Run, outside the test timeout: a cold cgo build of Fyne for
	// Windows takes minutes. The tests report its failure.
	if !testing.Short() && pkgtest.Have("make", "x86_64-w64-mingw32-gcc", "wixl") &&
		(pkgtest.Wanted("TestWindowsPrograms") || pkgtest.Wanted("TestWindowsProgramsRunUnderWine") ||
			pkgtest.Wanted("TestMSIContents") || pkgtest.Wanted("TestMSIInstallsUnderWine")) {
		_ = windowsBuild.Run("msi", windowsBuildDir())
	}
	code := m.Run()
	if winePfx != nil {
		winePfx.stop()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}
