package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/selfhelp/webpage"
)

// webPageShot is the name of the web page's pictures: report-html-LANG.png.
const webPageShot = "report-html"

// shootWebPages photographs the accessible web page (`apuri report --html`, Open as a web page)
// of the VPN problem in each language, as headless Chromium draws it.
func shootWebPages(out, tmp string, langs []string, only string) error {
	if !strings.Contains(webPageShot, only) {
		return nil
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return fmt.Errorf("chromium is needed for the web page (apt-get install chromium): %w", err)
	}
	for _, lang := range langs {
		page := filepath.Join(tmp, "report-"+lang+".html")
		p := webpage.Page{Report: demo.VPNDown(), Profile: demo.Profile(), Made: demo.StartedAt.Add(3 * time.Minute), Location: time.UTC}
		if err := webpage.Save(page, p, i18n.New(lang)); err != nil {
			return err
		}
		file := filepath.Join(out, fmt.Sprintf("%s-%s.png", webPageShot, lang))
		abs, err := filepath.Abs(file)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--no-first-run", "--user-data-dir="+filepath.Join(tmp, "chromium"), "--screenshot="+abs,
			"--window-size=1000,2450", "file://"+page)
		o, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			return fmt.Errorf("chromium: %v: %s", err, o)
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("chromium wrote no picture: %s", o)
		}
		fmt.Println(file)
	}
	return nil
}
