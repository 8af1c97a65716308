package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// apuri.exe is a GUI program, so that starting at sign-in opens no console window. Run from a
// command prompt, it borrows that prompt's console for its output, so `apuri diagnose` prints
// there; output that is redirected to a file or a pipe is left as it is.
func init() {
	const attachParentProcess = ^uint32(0)
	stdout, _ := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE)
	stderr, _ := windows.GetStdHandle(windows.STD_ERROR_HANDLE)
	if usable(stdout) && usable(stderr) {
		return
	}
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(uintptr(attachParentProcess)); ok == 0 {
		return // started without a console (the Start menu, sign-in): nothing to print to
	}
	con, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	if !usable(stdout) {
		os.Stdout = con
	}
	if !usable(stderr) {
		os.Stderr = con
	}
}

// usable says whether a standard handle leads somewhere: a GUI program started from a prompt
// has none unless the prompt redirected it.
func usable(h windows.Handle) bool { return h != 0 && h != windows.InvalidHandle }
