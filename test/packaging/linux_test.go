//go:build linux

package packaging_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

// fakePrograms writes stand-ins for bin/apuri and bin/apuri-window: `make install` copies
// programs, and what it copies is all this test looks at.
func fakePrograms(tb testing.TB) (bin string) {
	tb.Helper()
	dir := tb.TempDir()
	bin = filepath.Join(dir, "apuri")
	for _, p := range []string{bin, bin + "-window"} {
		if err := os.WriteFile(p, []byte("#!/bin/sh\necho "+filepath.Base(p)+"\n"), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	return bin
}

// iconSizes are the sizes of the committed hicolor icons.
func iconSizes(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(root, "packaging", "linux", "icons", "*x*.png"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no icons in packaging/linux/icons: %v", err)
	}
	var sizes []string
	for _, f := range files {
		sizes = append(sizes, strings.TrimSuffix(filepath.Base(f), ".png"))
	}
	return sizes
}

// installedFiles lists every file under dir (relative, with its mode); directories are left out.
func installedFiles(tb testing.TB, dir string) map[string]fs.FileMode {
	tb.Helper()
	files := map[string]fs.FileMode{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files["/"+rel] = info.Mode().Perm()
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestInstallAndUninstall(t *testing.T) {
	need(t, "make", "desktop-file-validate", "appstreamcli")
	app := pkgtest.ReadFyneApp(t)
	tests := []struct {
		name      string
		prefix    string
		autostart bool
	}{
		{"prefix /usr/local with login entry", "/usr/local", true},
		{"prefix /usr without login entry", "/usr", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin, destdir := fakePrograms(t), t.TempDir()
			autostart := "0"
			if tt.autostart {
				autostart = "1"
			}
			vars := []string{"BIN=" + bin, "DESTDIR=" + destdir, "PREFIX=" + tt.prefix, "AUTOSTART=" + autostart}
			runMake(t, append([]string{"install"}, vars...)...)

			want := map[string]fs.FileMode{
				tt.prefix + "/bin/apuri":                                          0o755,
				tt.prefix + "/bin/apuri-window":                                   0o755,
				tt.prefix + "/share/applications/apuri.desktop":                   0o644,
				tt.prefix + "/share/metainfo/" + app.Details.ID + ".metainfo.xml": 0o644,
			}
			for _, s := range iconSizes(t) {
				want[tt.prefix+"/share/icons/hicolor/"+s+"/apps/apuri.png"] = 0o644
			}
			if tt.autostart {
				want["/etc/xdg/autostart/apuri.desktop"] = 0o644
			}
			got := installedFiles(t, destdir)
			if diff := diffFiles(got, want); diff != "" {
				t.Errorf("installed files differ (-missing +unexpected):\n%s", diff)
			}
			for _, p := range []string{"apuri", "apuri-window"} {
				data, err := os.ReadFile(filepath.Join(destdir, tt.prefix, "bin", p))
				if err != nil || !bytes.Contains(data, []byte("echo "+p+"\n")) {
					t.Errorf("%s/bin/%s is not the program from BIN: %q, %v", tt.prefix, p, data, err)
				}
			}

			for entry, exec := range map[string]string{
				tt.prefix + "/share/applications/apuri.desktop": tt.prefix + "/bin/apuri --details",
				"/etc/xdg/autostart/apuri.desktop":              tt.prefix + "/bin/apuri",
			} {
				path := filepath.Join(destdir, entry)
				if _, err := os.Stat(path); err != nil {
					continue
				}
				command(t, "desktop-file-validate", path)
				if got := desktopEntry(t, path)["Exec"]; got != exec {
					t.Errorf("%s: Exec=%s, want %s", entry, got, exec)
				}
			}
			command(t, "appstreamcli", "validate", "--no-net", "--pedantic",
				filepath.Join(destdir, tt.prefix, "share", "metainfo", app.Details.ID+".metainfo.xml"))
			if tt.prefix == "/usr" { // validate-tree reads DIR/usr/share
				command(t, "appstreamcli", "validate-tree", "--no-net", destdir)
			}
			for _, s := range iconSizes(t) {
				checkPNGSize(t, filepath.Join(destdir, tt.prefix, "share/icons/hicolor", s, "apps/apuri.png"), s)
			}

			runMake(t, append([]string{"uninstall"}, vars...)...)
			if left := installedFiles(t, destdir); len(left) > 0 {
				t.Errorf("make uninstall left %v", left)
			}
		})
	}
}

// TestUninstallKeepsAnotherInstallationsLoginEntry: removing a /usr/local installation must
// not take away the login entry of the packaged one in /usr.
func TestUninstallKeepsAnotherInstallationsLoginEntry(t *testing.T) {
	need(t, "make")
	bin, destdir := fakePrograms(t), t.TempDir()
	runMake(t, "install", "BIN="+bin, "DESTDIR="+destdir, "PREFIX=/usr", "AUTOSTART=1")
	runMake(t, "uninstall", "DESTDIR="+destdir, "PREFIX=/usr/local")
	if _, err := os.Stat(filepath.Join(destdir, "etc/xdg/autostart/apuri.desktop")); err != nil {
		t.Errorf("the /usr installation's login entry is gone: %v", err)
	}
}

func TestInstallWithoutProgramsSaysToBuild(t *testing.T) {
	need(t, "make")
	out, err := makeCommand("install", "BIN="+filepath.Join(t.TempDir(), "apuri"), "DESTDIR="+t.TempDir()).CombinedOutput()
	if err == nil {
		t.Fatalf("make install without programs succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "run make build first") {
		t.Errorf("make install does not say what to do:\n%s", out)
	}
}

// TestCommittedIconsAreUpToDate: packaging/linux/icons is committed so that installing needs no
// Go; it must be what `make icons` makes from assets/icons/apuri.png today.
func TestCommittedIconsAreUpToDate(t *testing.T) {
	sizes := iconSizes(t)
	var list []string
	for _, s := range sizes {
		list = append(list, strings.Split(s, "x")[0])
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./tools/pkgicons", "-src", "assets/icons/apuri.png", "-out", out, "-sizes", strings.Join(list, ","))
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./tools/pkgicons: %v\n%s", err, b)
	}
	for _, s := range sizes {
		t.Run(s, func(t *testing.T) {
			committed := decodePNG(t, filepath.Join(root, "packaging", "linux", "icons", s+".png"))
			fresh := decodePNG(t, filepath.Join(out, s+".png"))
			if d := maxChannelDiff(committed, fresh); d > 2 {
				t.Errorf("packaging/linux/icons/%s.png differs from the app icon by up to %d/255 per channel; run make icons", s, d)
			}
		})
	}
}

func decodePNG(tb testing.TB, path string) image.Image {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return img
}

func checkPNGSize(tb testing.TB, path, size string) {
	tb.Helper()
	b := decodePNG(tb, path).Bounds()
	if got := fmt.Sprintf("%dx%d", b.Dx(), b.Dy()); got != size {
		tb.Errorf("%s is %s, want %s", path, got, size)
	}
}

// maxChannelDiff is the largest difference of one colour channel between two images of the
// same size (255 when their sizes differ): resampling may round differently on other CPUs.
func maxChannelDiff(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return 255
	}
	worst := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			for _, d := range []int{diff8(r1, r2), diff8(g1, g2), diff8(b1, b2), diff8(a1, a2)} {
				worst = max(worst, d)
			}
		}
	}
	return worst
}

func diff8(a, b uint32) int {
	d := int(a>>8) - int(b>>8)
	if d < 0 {
		return -d
	}
	return d
}

// diffFiles lists the files missing from got and the ones it has beyond want, with modes.
func diffFiles(got, want map[string]fs.FileMode) string {
	var lines []string
	for p, m := range want {
		if g, ok := got[p]; !ok {
			lines = append(lines, fmt.Sprintf("-%s %v", p, m))
		} else if g != m {
			lines = append(lines, fmt.Sprintf("-%s %v\n+%s %v", p, m, p, g))
		}
	}
	for p, m := range got {
		if _, ok := want[p]; !ok {
			lines = append(lines, fmt.Sprintf("+%s %v", p, m))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
