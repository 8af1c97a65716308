//go:build linux

package lab

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// Build compiles the program pkg of this module into out, as the tests that run real binaries
// (the lab, the end-to-end tray test) need.
func Build(out, pkg string) error {
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("find module root: %w", err)
	}
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	return nil
}
