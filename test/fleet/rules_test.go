//go:build linux

package fleet_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestRules runs promtool's rule unit tests (testdata/rules.test.yml) against the shipped
// rules: a first loss counts, a long-past one does not, one computer with two series counts
// once, a site below N stays quiet, and the alert resolves once the window holds no loss.
func TestRules(t *testing.T) {
	needPrograms(t)
	dir := t.TempDir()
	for src, dst := range map[string]string{
		filepath.Join(shipped, "apuri-rules.yml"): "apuri-rules.yml",
		"testdata/rules.test.yml":                 "rules.test.yml",
	} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("promtool", "test", "rules", "rules.test.yml")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}

// TestShippedConfigurationsAreValid checks the shipped rules and routing with the tools of the
// programs that read them.
func TestShippedConfigurationsAreValid(t *testing.T) {
	needPrograms(t)
	for _, c := range [][]string{
		{"promtool", "check", "rules", filepath.Join(shipped, "apuri-rules.yml")},
		{"amtool", "check-config", filepath.Join(shipped, "alertmanager.yml")},
	} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			t.Errorf("%v: %v\n%s", c, err, out)
		}
	}
}
