package diagnostics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestLinuxRebootFlags reads the flags the package managers leave, in a folder of the test's own.
func TestLinuxRebootFlags(t *testing.T) {
	root := t.TempDir()
	none := func(context.Context) (bool, error) { return false, nil }
	l := linuxReboot{root: root, needsRestarting: none}
	if st, err := l.pending(context.Background()); err != nil || st.Pending {
		t.Fatalf("no flags: %+v %v", st, err)
	}

	run := filepath.Join(root, "run")
	if err := os.MkdirAll(run, 0o755); err != nil {
		t.Fatal(err)
	}
	flagged := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	write := func(name, content string, mtime time.Time) {
		p := filepath.Join(run, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	write("reboot-required", "*** System restart required ***\n", flagged)
	write("reboot-required.pkgs", "linux-image-6.1.0-28-amd64\n\nlibc6\n", flagged)
	st, err := l.pending(context.Background())
	if err != nil || !st.Pending || !st.Since.Equal(flagged) {
		t.Fatalf("Debian flag: %+v %v", st, err)
	}
	if !slices.Equal(st.Sources, []string{RebootSourcePackages}) || !slices.Equal(st.Packages, []string{"linux-image-6.1.0-28-amd64", "libc6"}) {
		t.Errorf("sources %v packages %v", st.Sources, st.Packages)
	}

	// zypper's flag, older, and needs-restarting: all named; the oldest date wins.
	older := flagged.Add(-48 * time.Hour)
	write("reboot-needed", "", older)
	l.needsRestarting = func(context.Context) (bool, error) { return true, nil }
	st, _ = l.pending(context.Background())
	if !slices.Equal(st.Sources, []string{RebootSourcePackages, RebootSourceZypper, RebootSourceNeedsRestarting}) || !st.Since.Equal(older) {
		t.Errorf("all three: %+v", st)
	}
}
