//go:build linux

package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Wine runs the Windows build of apuri (apuri.exe) under Wine inside a lab namespace, so that
// the Windows code reads real interfaces, routes, neighbours and resolvers: Wine answers the IP
// Helper API from the Linux kernel of the namespace its wineserver runs in.
//
// A Wine prefix has one wineserver, and the server (with the device driver process that answers
// IP Helper queries) stays in the namespace it was started in. So runs take turns: each starts
// a fresh server inside its namespace and stops it when done.
type Wine struct {
	// Exe is the Windows build of apuri.
	Exe string
	// Prefix is the Wine prefix, made once by NewWine.
	Prefix string
	dir    string
	env    []string
	mu     sync.Mutex
	// pendingReg are the registry edits the next Run imports (QueueReg).
	pendingReg []string
}

// WineMissing says what this machine lacks to run apuri.exe under Wine, or "".
func WineMissing() string {
	var missing []string
	for _, tool := range []string{"wine", "wineboot", "wineserver"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool+" (apt-get install wine wine64)")
		}
	}
	if _, err := exec.LookPath(mingwCC); err != nil {
		missing = append(missing, mingwCC+" (apt-get install gcc-mingw-w64-x86-64)")
	}
	return strings.Join(missing, "; ")
}

const mingwCC = "x86_64-w64-mingw32-gcc"

// NewWine builds apuri.exe and a Wine prefix in dir, once per test run: making the prefix
// (wineboot) takes several seconds.
func NewWine(dir string) (*Wine, error) {
	if m := WineMissing(); m != "" {
		return nil, fmt.Errorf("wine lab needs %s", m)
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	w := &Wine{Exe: filepath.Join(dir, "apuri.exe"), Prefix: filepath.Join(dir, "wine"), dir: dir}
	if err := BuildWindows(w.Exe, "."); err != nil {
		return nil, err
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "WINE") || k == "DISPLAY" || k == "WAYLAND_DISPLAY" || k == "HOME" {
			continue
		}
		w.env = append(w.env, kv)
	}
	// WINEDEBUG=-all: Wine's chatter would bury the program's own standard error. No Mono and
	// no Gecko: nothing here needs .NET or a browser engine, and installing them asks.
	w.env = append(w.env, "WINEPREFIX="+w.Prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	if err := os.MkdirAll(w.Prefix, 0o700); err != nil {
		return nil, err
	}
	if _, err := w.run(context.Background(), "", nil, "wineboot", "--init"); err != nil {
		return nil, fmt.Errorf("make the Wine prefix: %w", err)
	}
	w.stopServer()
	// Wine before 9 lacks ProcessPrng, which Go programs need to start; the package tests'
	// stand-in (test/packaging/windows/testdata) fills in.
	dll := filepath.Join(w.Prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	src := filepath.Join(root, "test", "packaging", "windows", "testdata")
	cc := exec.Command(mingwCC, "-shared", "-O2", "-o", dll,
		filepath.Join(src, "bcryptprimitives.c"), filepath.Join(src, "bcryptprimitives.def"), "-lbcrypt")
	if out, err := cc.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build the ProcessPrng stand-in: %w\n%s", err, out)
	}
	return w, nil
}

// Close stops whatever of this prefix still runs.
func (w *Wine) Close() { w.stopServer() }

// Diagnose runs `apuri.exe diagnose --json --profile FILE` under Wine in ns, with env added to
// its environment, and decodes the report, as Apuri.Diagnose does for the Linux build.
// With no profilePath it runs with the default profile.
func (w *Wine) Diagnose(ctx context.Context, ns, profilePath string, env []string) (*Run, error) {
	args := []string{"diagnose", "--json"}
	if profilePath != "" {
		args = append(args, "--profile", windowsPath(profilePath))
	}
	r, err := w.Run(ctx, ns, env, w.Exe, args...)
	if err != nil {
		return r, err
	}
	return decodeDiagnosis(r)
}

// Run runs a Windows program with args under Wine in ns, with env added to the environment
// (Wine hands it to the program), and returns what it printed and its exit code.
func (w *Wine) Run(ctx context.Context, ns string, env []string, exe string, args ...string) (*Run, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// A server left from another namespace would answer for that namespace.
	w.stopServer()
	defer w.stopServer()
	// Starting a prefix's session starts its services and drivers, which compete for the CPU
	// for a few seconds: the queued registry edits, then a first, trivial run wait for them, so
	// that the program is timed on a settled system, as on a Windows that has been running.
	if err := w.importPending(ctx, ns); err != nil {
		return nil, fmt.Errorf("edit the registry in %s: %w", ns, err)
	}
	if _, err := w.run(ctx, ns, nil, "wine", w.Exe, "version"); err != nil {
		return nil, fmt.Errorf("start Wine in %s: %w", ns, err)
	}
	start := time.Now()
	out, err := w.run(ctx, ns, env, "wine", append([]string{exe}, args...)...)
	r := &Run{Wall: time.Since(start), Stdout: []byte(out.stdout), Stderr: out.stderr}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && ctx.Err() == nil:
		r.ExitCode = exit.ExitCode()
	default:
		return r, fmt.Errorf("run %s in %s: %w (stderr: %s)", filepath.Base(exe), ns, err, r.Stderr)
	}
	return r, nil
}

// BuildWindows cross-compiles the program pkg of this module for 64-bit Windows into out, or
// its test binary when pkg is given as "test:PKG". The programs need no cgo.
func BuildWindows(out, pkg string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	args := []string{"build", "-o", out, pkg}
	if p, ok := strings.CutPrefix(pkg, "test:"); ok {
		args = []string{"test", "-c", "-o", out, p}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s for windows: %w\n%s", strings.Join(args, " "), err, b)
	}
	return nil
}

type wineOutput struct{ stdout, stderr string }

// run runs a Wine command, inside ns unless it is "", with a HOME of its own. Its output goes
// through files, not pipes: Wine's background processes inherit them and outlive the command.
func (w *Wine) run(ctx context.Context, ns string, env []string, name string, args ...string) (wineOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	home, err := os.MkdirTemp(w.dir, "home-")
	if err != nil {
		return wineOutput{}, err
	}
	stdout, err := os.Create(filepath.Join(home, "stdout"))
	if err != nil {
		return wineOutput{}, err
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(home, "stderr"))
	if err != nil {
		return wineOutput{}, err
	}
	defer stderr.Close()
	if ns != "" {
		args = append([]string{"netns", "exec", ns, name}, args...)
		name = "ip"
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(append(slices.Clone(w.env), env...), "HOME="+home)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	runErr := cmd.Run()
	o, _ := os.ReadFile(stdout.Name())
	e, _ := os.ReadFile(stderr.Name())
	return wineOutput{string(o), string(e)}, runErr
}

// stopServer ends the prefix's wineserver, and with it every Windows process of the prefix,
// and waits until it is gone.
func (w *Wine) stopServer() {
	for _, arg := range []string{"-k", "-w"} {
		cmd := exec.Command("wineserver", arg)
		cmd.Env = w.env
		_ = cmd.Run()
	}
}

// windowsPath is the path Wine's Z: drive gives a Linux path.
func windowsPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find module root: %w", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}
