package cli

import (
	"fmt"
	"github.com/apuri-project/apuri/internal/program"
	"os"
	"path/filepath"
	"runtime"
)

// WindowBinary is the program that holds Apuri's Fyne windows. The always-on agent (`apuri`)
// never links Fyne, so none of Fyne's code is mapped into the process that sits in the tray all
// day; `apuri window NAME` hands its command line to this program instead.
const WindowBinary = "apuri-window"

// windowBinaryPath is where the window program is: beside this program.
func windowBinaryPath() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	name := WindowBinary
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}

// runWindowBinary runs `apuri-window window ARGS…` in this process's place.
func runWindowBinary(env Env, opts program.Options, args []string) int {
	path, err := windowBinaryPath()
	if err == nil {
		_, err = os.Stat(path)
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, opts.Tr().F("cli.window_missing", "path", path))
		return program.ExitUsage
	}
	code, err := execReplacing(path, append([]string{path, "window"}, args...))
	if err != nil {
		fmt.Fprintln(env.Stderr, opts.Tr().F("cli.window_failed", "error", err.Error()))
		return program.ExitFailed
	}
	return code
}
