package selfhelp

import (
	"os"
	"slices"
)

// Browser is an installed web browser.
type Browser struct {
	// ID finds the browser again: a .desktop file name or an executable name on Linux, the
	// StartMenuInternet key on Windows, the bundle identifier on macOS.
	ID      string `json:"id"`
	Name    string `json:"name"`
	Default bool   `json:"default"`
	// cmd starts the browser, with urlArg where the URL goes. It never leaves this process.
	cmd []string
}

// urlArg marks the URL's place in a browser's command; it cannot occur in a real argument.
const urlArg = "\x00url\x00"

// command is the argv that opens u in the browser.
func (b Browser) command(u string) []string {
	argv := slices.Clone(b.cmd)
	for i, a := range argv {
		if a == urlArg {
			argv[i] = u
		}
	}
	return argv
}

// isExecutable says whether path is a file someone may run.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// markDefault marks the browser that matches isDefault, and moves it first.
func markDefault(bs []Browser, isDefault func(Browser) bool) []Browser {
	for i := range bs {
		if isDefault(bs[i]) {
			bs[i].Default = true
			d := bs[i]
			bs = slices.Delete(bs, i, i+1)
			return slices.Insert(bs, 0, d)
		}
	}
	return bs
}
