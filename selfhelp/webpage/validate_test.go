package webpage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
)

// need finds a program the test runs, or skips the test with the command that installs it;
// under CI=true it fails instead, so that the check cannot silently stop running.
func need(t *testing.T, program, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed: apt-get install %s (scripts/deps.sh test)", program, pkg)
	}
	t.Skipf("%s is not installed (apt-get install %s)", program, pkg)
	return ""
}

// tidyAdvisories are what HTML Tidy's accessibility checks say of every page with a style
// sheet: a reminder to test it, which TestColoursContrast and the browser test do.
var tidyAdvisories = []string{"[6.1.1.2]: style sheets require testing"}

// HTML Tidy validates every state in every language as HTML5, with its accessibility checks
// of priorities 1 and 2 (WCAG 1.0): missing headers, alternatives, titles, languages.
func TestTidyFindsNothing(t *testing.T) {
	tidy := need(t, "tidy", "tidy")
	eachPage(t, func(t *testing.T, _ string, _ Page, doc []byte) {
		cmd := exec.Command(tidy, "-errors", "-quiet", "-access", "2", "-utf8")
		cmd.Stdin = bytes.NewReader(doc)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var findings []string
		for line := range strings.Lines(out.String()) {
			line = strings.TrimSpace(line)
			if line == "" || advisory(line) {
				continue
			}
			findings = append(findings, line)
		}
		if len(findings) > 0 {
			t.Errorf("tidy: %s", strings.Join(findings, "\n"))
		}
		// Exit status 1 is warnings, 2 errors; both print what they found, checked above.
		var exit *exec.ExitError
		if err != nil && (!errors.As(err, &exit) || exit.ExitCode() > 2) {
			t.Fatalf("tidy did not run: %v", err)
		}
	})
}

func advisory(line string) bool {
	for _, a := range tidyAdvisories {
		if strings.Contains(line, a) {
			return true
		}
	}
	return false
}

// A real browser opens the page: headless Chromium draws it into a PNG, which must be a page
// of the asked size with something drawn on it.
func TestChromiumDrawsThePage(t *testing.T) {
	chromium := need(t, "chromium", "chromium")
	dir := t.TempDir()
	page := filepath.Join(dir, FileName)
	if err := Save(page, Page{Report: demo.ServiceDownKnown(), Profile: demo.Profile(), Location: time.UTC}, i18n.New("fi")); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "page.png")
	if out, err := screenshot(context.Background(), chromium, page, shot, 1000, 1400, filepath.Join(dir, "profile")); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 1400 {
		t.Errorf("the screenshot is %v, want 1000×1400", b.Size())
	}
	if colours := distinctColours(img); colours < 16 {
		t.Errorf("the screenshot has %d colours: nothing was drawn", colours)
	}
}

func distinctColours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// screenshot has headless Chromium draw the page at file into a width×height PNG at out; a
// profile directory of its own keeps it away from the user's. It returns what Chromium said.
func screenshot(ctx context.Context, chromium, file, out string, width, height int, profileDir string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--no-first-run", "--user-data-dir="+profileDir, "--screenshot="+out,
		fmt.Sprintf("--window-size=%d,%d", width, height), "file://"+abs)
	b, err := cmd.CombinedOutput()
	if err != nil {
		return b, fmt.Errorf("chromium: %w", err)
	}
	return b, nil
}
