//go:build linux

package packaging_test

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

// needRoot skips a test that changes the system (dpkg -i) when not run as root; under CI=true
// it fails, because CI runs as root.
func needRoot(tb testing.TB) {
	tb.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("needs root to install the package with dpkg")
	}
	tb.Skip("needs root to install the package with dpkg (sudo go test ./test/packaging/)")
}

// TestDebInstallsAndPurges builds the .deb with `make deb`, installs it for real with dpkg,
// runs the installed programs and removes the package again.
func TestDebInstallsAndPurges(t *testing.T) {
	pkgtest.NeedBuilds(t)
	need(t, "make", "dpkg", "dpkg-deb", "dpkg-query")
	needRoot(t)
	lockDpkgTest(t)
	if dpkgInstalled("apuri") {
		if os.Getenv("CI") == "true" {
			t.Fatal("a package named apuri is installed here already")
		}
		t.Skip("a package named apuri is installed here; this test would remove it")
	}
	app := pkgtest.ReadFyneApp(t)
	debBuild.Make(t, "deb", debBuildDir())
	dist := debBuildDir()
	deb := filepath.Join(dist, "apuri_"+app.Details.Version+"-1_"+runtime.GOARCH+".deb")
	info, err := os.Stat(deb)
	if err != nil {
		t.Fatalf("make deb did not write the package: %v", err)
	}
	t.Logf("%s: %.1f MB", filepath.Base(deb), float64(info.Size())/1e6)

	t.Run("control", func(t *testing.T) {
		fields := command(t, "dpkg-deb", "--field", deb, "Package", "Version", "Architecture")
		for _, want := range []string{"Package: apuri\n", "Version: " + app.Details.Version + "-1\n", "Architecture: " + runtime.GOARCH + "\n"} {
			if !strings.Contains(fields, want) {
				t.Errorf("control lacks %q:\n%s", want, fields)
			}
		}
		if conffiles := command(t, "dpkg-deb", "--info", deb, "conffiles"); strings.TrimSpace(conffiles) != "/etc/xdg/autostart/apuri.desktop" {
			t.Errorf("conffiles = %q, want the login entry, which IT may remove", conffiles)
		}
	})

	t.Run("depends on every library the programs link", func(t *testing.T) {
		depends := dependsNames(command(t, "dpkg-deb", "--field", deb, "Depends"))
		tree := t.TempDir()
		command(t, "dpkg-deb", "--extract", deb, tree)
		for _, prog := range []string{"apuri", "apuri-window"} {
			f, err := elf.Open(filepath.Join(tree, "usr", "bin", prog))
			if err != nil {
				t.Fatal(err)
			}
			libs, err := f.ImportedLibraries()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(libs) == 0 {
				t.Errorf("%s links no shared library; is it the program?", prog)
			}
			for _, lib := range libs {
				pkgs := dpkgOwners(t, lib)
				if !slices.ContainsFunc(pkgs, func(p string) bool { return slices.Contains(depends, p) }) {
					t.Errorf("%s links %s from %v, which Depends (%v) does not name", prog, lib, pkgs, depends)
				}
			}
		}
	})

	t.Cleanup(func() {
		if dpkgInstalled("apuri") {
			if out, err := dpkg("--purge", "apuri"); err != nil {
				t.Errorf("dpkg --purge apuri: %v\n%s", err, out)
			}
		}
	})
	if out, err := dpkg("-i", deb); err != nil {
		t.Fatalf("dpkg -i: %v\n%s", err, out)
	}

	if out := run(t, "/usr/bin/apuri", "version"); !strings.Contains(out, testVersion) {
		t.Errorf("apuri version = %q, want %s", out, testVersion)
	}
	profiles, _ := filepath.Glob(filepath.Join(root, "packaging", "profiles", "*.toml"))
	if len(profiles) == 0 {
		t.Fatal("no example profiles in packaging/profiles")
	}
	for _, p := range profiles {
		if out := run(t, "/usr/bin/apuri", "profile", "check", p); !strings.Contains(out, filepath.Base(p)) {
			t.Errorf("apuri profile check %s = %q", p, out)
		}
	}
	files := command(t, "dpkg", "--listfiles", "apuri")
	for _, want := range []string{"/usr/bin/apuri-window", "/usr/share/applications/apuri.desktop",
		"/usr/share/metainfo/" + app.Details.ID + ".metainfo.xml", "/usr/share/icons/hicolor/48x48/apps/apuri.png"} {
		if !strings.Contains(files, want+"\n") {
			t.Errorf("the package did not install %s", want)
		}
	}
	// The window program loads: its libraries resolve and its command line answers.
	if out := run(t, "/usr/bin/apuri-window", "version"); !strings.Contains(out, testVersion) {
		t.Errorf("apuri-window version = %q, want %s", out, testVersion)
	}

	if out, err := dpkg("--purge", "apuri"); err != nil {
		t.Fatalf("dpkg --purge: %v\n%s", err, out)
	}
	for _, gone := range []string{"/usr/bin/apuri", "/usr/bin/apuri-window", "/etc/xdg/autostart/apuri.desktop"} {
		if _, err := os.Stat(gone); err == nil {
			t.Errorf("%s is still there after dpkg --purge", gone)
		}
	}
}

// run runs an installed program that must succeed, with C.UTF-8 so Fyne reads a locale.
func run(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// dpkg runs dpkg, waiting while another dpkg (another test run, an upgrade) holds its lock.
func dpkg(args ...string) ([]byte, error) {
	for range 60 {
		out, err := exec.Command("dpkg", args...).CombinedOutput()
		if err == nil || !bytes.Contains(out, []byte("lock")) {
			return out, err
		}
		time.Sleep(2 * time.Second)
	}
	return exec.Command("dpkg", args...).CombinedOutput()
}

func dpkgInstalled(pkg string) bool {
	out, err := exec.Command("dpkg-query", "--show", "--showformat=${Status}", pkg).Output()
	return err == nil && strings.HasSuffix(string(out), " installed")
}

// dpkgOwners names the packages that hold a file called lib, such as libGL.so.1.
func dpkgOwners(tb testing.TB, lib string) []string {
	tb.Helper()
	out, err := exec.Command("dpkg", "--search", "*/"+lib).Output()
	if err != nil {
		tb.Fatalf("no installed package holds %s: %v", lib, err)
	}
	var pkgs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		owners, _, _ := strings.Cut(line, ": ")
		for _, p := range strings.Split(owners, ", ") {
			p, _, _ = strings.Cut(p, ":") // libgl1:amd64
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

var versionRestriction = regexp.MustCompile(`\s*\(.*?\)`)

// dependsNames reads a Depends field's package names (each alternative of a "|" too).
func dependsNames(field string) []string {
	var names []string
	for _, dep := range strings.Split(strings.TrimSpace(field), ",") {
		for _, alt := range strings.Split(dep, "|") {
			if name := strings.TrimSpace(versionRestriction.ReplaceAllString(alt, "")); name != "" {
				names = append(names, name)
			}
		}
	}
	return names
}

// lockDpkgTest keeps two runs of this test on one machine from installing and removing the
// same package under each other; the kernel drops the lock if the run dies.
func lockDpkgTest(tb testing.TB) {
	tb.Helper()
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "apuri-packaging-deb.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		tb.Fatalf("lock: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
}
