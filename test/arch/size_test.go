package arch

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxLines is how long a non-test Go file may grow. Past it a file nearly always holds more than
// one job, and a newcomer has to read all of it to find one of them.
const maxLines = 500

// TestNoLongSourceFiles keeps every non-test Go file that git tracks within maxLines, so that
// "one job per file" stays true as the code grows.
func TestNoLongSourceFiles(t *testing.T) {
	out, err := exec.Command("git", "-C", moduleRoot(t), "ls-files", "*.go").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	var files int
	for _, name := range strings.Fields(string(out)) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(moduleRoot(t), name))
		if err != nil {
			t.Fatal(err)
		}
		files++
		if n := bytes.Count(data, []byte("\n")); n > maxLines {
			t.Errorf("%s has %d lines (at most %d): split it by job", name, n, maxLines)
		}
	}
	if files < 50 {
		t.Fatalf("only %d Go files listed; is the module root right?", files)
	}
}
