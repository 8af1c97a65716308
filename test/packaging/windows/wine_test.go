//go:build linux

package windows_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// wine is a Wine prefix of this run's own: a small Windows in a directory, without a display.
type wine struct {
	prefix string
	env    []string
}

var (
	wineOnce sync.Once
	wineErr  error
	winePfx  *wine
)

// sharedWine makes the run's Wine prefix the first time (about ten seconds) and returns it.
func sharedWine(tb testing.TB) *wine {
	tb.Helper()
	need(tb, "wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc")
	wineOnce.Do(func() { winePfx, wineErr = newWine(filepath.Join(shared, "wine")) })
	if wineErr != nil {
		tb.Fatalf("wine: %v", wineErr)
	}
	return winePfx
}

func newWine(prefix string) (*wine, error) {
	w := &wine{prefix: prefix}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "WINE") || k == "DISPLAY" || k == "WAYLAND_DISPLAY" {
			continue
		}
		w.env = append(w.env, kv)
	}
	w.env = append(w.env, "WINEPREFIX="+prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	if err := os.MkdirAll(prefix, 0o700); err != nil {
		return nil, err
	}
	// One wineserver for the whole run, instead of one per command: it stays 30 s after the
	// last Windows process ends, and TestMain stops it.
	// Its output goes nowhere: the server forks into the background and would keep a pipe open.
	server := exec.Command("wineserver", "-p30")
	server.Env = w.env
	if err := server.Run(); err != nil {
		return w, fmt.Errorf("start wineserver: %w", err)
	}
	if _, err := w.run("wineboot", "--init"); err != nil {
		return w, err
	}
	// Wine before 9 lacks ProcessPrng, which Go programs need to start; see testdata.
	dll := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if _, err := os.Stat(dll); err != nil {
		src := filepath.Join(root, "test", "packaging", "windows", "testdata")
		cmd := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", dll,
			filepath.Join(src, "bcryptprimitives.c"), filepath.Join(src, "bcryptprimitives.def"), "-lbcrypt")
		if out, err := cmd.CombinedOutput(); err != nil {
			return w, fmt.Errorf("build the ProcessPrng stand-in: %w\n%s", err, out)
		}
	}
	return w, nil
}

// stop ends the prefix's wineserver and with it every Windows process of this run.
func (w *wine) stop() {
	cmd := exec.Command("wineserver", "-k")
	cmd.Env = w.env
	_ = cmd.Run()
}

// run runs a command with the prefix's environment and returns its standard output; Wine's
// own chatter on standard error is part of the error when the command fails. The output goes
// through files, not pipes: Wine's background processes inherit them and outlive the command.
func (w *wine) run(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	stdout, err := os.CreateTemp("", "apuri-wine-stdout-")
	if err != nil {
		return "", err
	}
	defer os.Remove(stdout.Name())
	defer stdout.Close()
	stderr, err := os.CreateTemp("", "apuri-wine-stderr-")
	if err != nil {
		return "", err
	}
	defer os.Remove(stderr.Name())
	defer stderr.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = w.env, stdout, stderr
	runErr := cmd.Run()
	out, _ := os.ReadFile(stdout.Name())
	if runErr != nil {
		chatter, _ := os.ReadFile(stderr.Name())
		return string(out), &wineError{name, args, runErr, string(out) + string(chatter)}
	}
	return string(out), nil
}

type wineError struct {
	name   string
	args   []string
	err    error
	output string
}

func (e *wineError) Error() string {
	return e.name + " " + strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.output
}

// windowsPath is the path Wine's Z: drive gives a Linux path.
func windowsPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// cDrive is the Linux path of a path on the prefix's C: drive.
func (w *wine) cDrive(p string) string {
	return filepath.Join(w.prefix, "drive_c", filepath.FromSlash(strings.ReplaceAll(strings.TrimPrefix(p, `C:\`), `\`, "/")))
}
