package diagnostics

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// linuxReboot reads the flags that Linux package managers leave when an update needs a
// restart. Each distribution family has its own; none needs privileges to read.
type linuxReboot struct {
	root string // "/" in real life; a folder of the test's own in tests
	// needsRestarting runs Fedora/RHEL's `needs-restarting -r`: (true, nil) when it says a
	// restart is needed, (false, nil) when not, an error when it is absent or failed.
	needsRestarting func(ctx context.Context) (bool, error)
}

func systemRebootPending(ctx context.Context) (RebootState, error) {
	return linuxReboot{root: "/", needsRestarting: runNeedsRestarting}.pending(ctx)
}

func (l linuxReboot) pending(ctx context.Context) (RebootState, error) {
	var st RebootState
	found := func(source string, since time.Time) {
		st.Pending = true
		st.Sources = append(st.Sources, source)
		if !since.IsZero() && (st.Since.IsZero() || since.Before(st.Since)) {
			st.Since = since
		}
	}
	// Debian and Ubuntu: update-notifier's hook writes the flag and the packages behind it.
	if fi, err := os.Stat(filepath.Join(l.root, "run/reboot-required")); err == nil {
		found(RebootSourcePackages, fi.ModTime())
		st.Packages = readLines(filepath.Join(l.root, "run/reboot-required.pkgs"), maxRebootPackages*4)
	}
	// openSUSE: zypper's flag.
	if fi, err := os.Stat(filepath.Join(l.root, "run/reboot-needed")); err == nil {
		found(RebootSourceZypper, fi.ModTime())
	}
	if l.needsRestarting != nil {
		if need, err := l.needsRestarting(ctx); err == nil && need {
			found(RebootSourceNeedsRestarting, time.Time{})
		} else if err != nil && !errors.Is(err, exec.ErrNotFound) {
			Logf(ctx, "needs-restarting: %v", err)
		}
	}
	return st, nil
}

// readLines returns up to max non-empty lines of a file; none when it cannot be read.
func readLines(path string, max int) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(lines) < max {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			lines = append(lines, s)
		}
	}
	return lines
}

// needsRestartingTimeout bounds the tool: it reads the package database, which takes a moment.
const needsRestartingTimeout = 5 * time.Second

// runNeedsRestarting runs `needs-restarting -r`, which exits 1 when a restart is needed and 0
// when not (dnf-utils and yum-utils agree on this). It is not run through a shell.
func runNeedsRestarting(ctx context.Context) (bool, error) {
	path, err := exec.LookPath("needs-restarting")
	if err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(ctx, needsRestartingTimeout)
	defer cancel()
	err = exec.CommandContext(ctx, path, "-r").Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return false, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return true, nil
	}
	return false, err
}
