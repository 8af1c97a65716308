package support

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

// TestBundleRedactsWhatACustomCommandPrinted: a command the organisation wrote prints what it
// likes; its summary, details and log lines reach the bundle redacted like everything else,
// and the check is still there under its own ID and title.
func TestBundleRedactsWhatACustomCommandPrinted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script is a Unix test")
	}
	script := filepath.Join(t.TempDir(), "check.sh")
	body := "#!/bin/sh\necho 'Sync failed for maija.virtanen@example.fi token=Zx81kQ2mN7pL4vR9 in /home/mmeikalainen/Sync'\n" +
		"echo 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtbSJ9.c2lnbmF0dXJlc2lnbmF0dXJl'\nexit 2\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	p := testProfile()
	p.Timeouts = profile.Timeouts{Check: profile.Duration{Duration: 2 * time.Second}, Total: profile.Duration{Duration: 4 * time.Second}}
	p.Checks = []profile.CustomCheck{{ID: "sync", Title: profile.Title{FI: "Synkronointi", SV: "Synkronisering", EN: "Sync"},
		Kind: profile.CheckCommand, Run: []string{script}, Severity: profile.SeverityFail}}
	r := diagnostics.Run(context.Background(), p, diagnostics.CustomChecks(p), nil)
	if r.Verdict.Cause != diagnostics.CauseCustomCheck {
		t.Fatalf("verdict %s: %+v", r.Verdict.Cause, r.Checks)
	}
	if out, _ := r.Checks[0].Details[diagnostics.DetailOutput].(string); !strings.Contains(out, "maija.virtanen@example.fi") {
		t.Fatalf("the check did not capture the output: %q", out)
	}
	id := testIdentity()
	b, err := BuildBundle(BundleInput{Report: r, Profile: p, Identity: &id, Lang: "fi",
		Getenv: func(string) string { return "" }, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	files := unzipAll(t, b.Data)
	for _, name := range []string{FileReportJSON, FileReportText} {
		text := files[name]
		for _, secret := range []string{"maija.virtanen", "Zx81kQ2mN7pL4vR9", "mmeikalainen", "eyJhbGciOiJIUzI1NiJ9"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s keeps %q", name, secret)
			}
		}
		if !strings.Contains(text, "Synkronointi") {
			t.Errorf("%s does not name the check by its title", name)
		}
	}
	if !strings.Contains(files[FileReportJSON], `"custom.sync"`) {
		t.Error("the check's ID is not kept in report.json")
	}
}
