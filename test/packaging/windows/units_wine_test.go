//go:build linux

package windows_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// windowsTestBinary builds the Go tests of pkg for Windows (pure Go, no cgo) and returns the
// binary's Windows path for Wine.
func windowsTestBinary(t *testing.T, pkg string) string {
	t.Helper()
	need(t, "go")
	exe := filepath.Join(t.TempDir(), filepath.Base(pkg)+".test.exe")
	cmd := exec.Command("go", "test", "-c", "-o", exe, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test -c %s: %v\n%s", pkg, err, out)
	}
	return windowsPath(exe)
}

// TestPolicyReadUnderWine writes the policy as Group Policy would, machine-wide and per user,
// and has the policy package's Windows test read it back through the real registry calls: the
// machine's profile path wins and is expanded, the user's Autostart applies.
func TestPolicyReadUnderWine(t *testing.T) {
	w := sharedWine(t)
	exe := windowsTestBinary(t, "./policy")
	const machine, user = `HKLM\Software\Policies\Apuri`, `HKCU\Software\Policies\Apuri`
	t.Cleanup(func() {
		w.run("wine", "reg", "delete", machine, "/f")
		w.run("wine", "reg", "delete", user, "/f")
	})
	for _, add := range [][]string{
		{machine, "/v", "ProfilePath", "/t", "REG_EXPAND_SZ", "/d", `%ProgramData%\Org\profile.toml`},
		{user, "/v", "ProfilePath", "/t", "REG_SZ", "/d", `C:\Users\own.toml`},
		{user, "/v", "Autostart", "/t", "REG_DWORD", "/d", "1"},
	} {
		if _, err := w.run("wine", append([]string{"reg", "add"}, append(add, "/f")...)...); err != nil {
			t.Fatal(err)
		}
	}
	out, err := w.run("wine", exe, "-test.run", "^TestReadRegistry$", "-test.v", "-want", `C:\ProgramData\Org\profile.toml|on`)
	if err != nil || !strings.Contains(out, "--- PASS: TestReadRegistry") {
		t.Errorf("policy test under Wine: %v\n%s", err, out)
	}
}

// TestNativeToastFallsBackUnderWine: Wine has no Windows Runtime toasts, so the native toast
// must fail with an error, not a crash, and the notifier must turn to Windows PowerShell.
func TestNativeToastFallsBackUnderWine(t *testing.T) {
	w := sharedWine(t)
	out, err := w.run("wine", windowsTestBinary(t, "./notify"), "-test.run", "^TestNativeToastFailsCleanly$", "-test.v")
	if err != nil || !strings.Contains(out, "--- PASS: TestNativeToastFailsCleanly") {
		t.Fatalf("notify test under Wine: %v\n%s", err, out)
	}
	if !strings.Contains(out, "using Windows PowerShell from now on") {
		t.Errorf("the fall-back was not taken:\n%s", out)
	}
}

// TestCustomRegistryCheckUnderWine: a custom check of kind registry reads values of every kind
// through the real registry calls, and a missing key or value is told apart from an error.
func TestCustomRegistryCheckUnderWine(t *testing.T) {
	w := sharedWine(t)
	out, err := w.run("wine", windowsTestBinary(t, "./diagnostics"), "-test.run", "^TestWindowsRegistryReads$", "-test.v")
	if err != nil || !strings.Contains(out, "--- PASS: TestWindowsRegistryReads") {
		t.Errorf("diagnostics test under Wine: %v\n%s", err, out)
	}
}
