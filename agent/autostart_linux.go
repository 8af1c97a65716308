package agent

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"github.com/apuri-project/apuri/internal/atomicfile"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/apuri-project/apuri/i18n"
)

// DesktopFileName is the name of Apuri's XDG autostart entry, the same as its desktop entry,
// so that a per-user entry overrides a system-wide one installed by IT.
const DesktopFileName = "apuri.desktop"

// XDGAutostart is the freedesktop.org autostart entry ($XDG_CONFIG_HOME/autostart/apuri.desktop).
type XDGAutostart struct {
	// Dir is the user's autostart directory; default $XDG_CONFIG_HOME/autostart.
	Dir string
	// SystemDirs are the system-wide autostart directories; default $XDG_CONFIG_DIRS/…/autostart.
	SystemDirs []string
	// Exec is the program to start; default os.Executable().
	Exec string
}

// NewAutostart returns the login item of this OS.
func NewAutostart() Autostart { return &XDGAutostart{} }

func (x *XDGAutostart) dir() (string, error) {
	if x.Dir != "" {
		return x.Dir, nil
	}
	dir, err := os.UserConfigDir() // $XDG_CONFIG_HOME, else ~/.config
	if err != nil {
		return "", fmt.Errorf("find the autostart directory: %w", err)
	}
	return filepath.Join(dir, "autostart"), nil
}

func (x *XDGAutostart) systemDirs() []string {
	if x.SystemDirs != nil {
		return x.SystemDirs
	}
	dirs := os.Getenv("XDG_CONFIG_DIRS")
	if dirs == "" {
		dirs = "/etc/xdg"
	}
	var out []string
	for _, d := range filepath.SplitList(dirs) {
		if filepath.IsAbs(d) {
			out = append(out, filepath.Join(d, "autostart"))
		}
	}
	return out
}

// Enabled follows the XDG rules: the user's entry wins; Hidden=true in it turns a system-wide
// entry off.
func (x *XDGAutostart) Enabled() (bool, error) {
	dir, err := x.dir()
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(filepath.Join(dir, DesktopFileName))
	switch {
	case err == nil:
		return !entryHidden(data), nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, fmt.Errorf("read autostart entry: %w", err)
	}
	return x.systemEntry(), nil
}

func (x *XDGAutostart) systemEntry() bool {
	for _, d := range x.systemDirs() {
		if data, err := os.ReadFile(filepath.Join(d, DesktopFileName)); err == nil {
			return !entryHidden(data)
		}
	}
	return false
}

// SetEnabled writes the user's entry, or removes it; when IT installed a system-wide entry,
// turning it off needs a user entry that hides it.
func (x *XDGAutostart) SetEnabled(on bool) error {
	dir, err := x.dir()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, DesktopFileName)
	if !on && !x.systemEntry() {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove autostart entry: %w", err)
		}
		return nil
	}
	exe, err := executable(x.Exec)
	if err != nil {
		return fmt.Errorf("find the program to start at login: %w", err)
	}
	if err := atomicfile.Write(path, desktopEntry(exe, !on), 0o644); err != nil {
		return fmt.Errorf("write autostart entry: %w", err)
	}
	return nil
}

// desktopEntry is the autostart entry that starts exe (Desktop Entry Specification 1.5).
func desktopEntry(exe string, hidden bool) []byte {
	var b bytes.Buffer
	b.WriteString("[Desktop Entry]\nType=Application\nName=Apuri\n")
	fmt.Fprintf(&b, "Comment=%s\n", escapeDesktopValue(i18n.New("en").T(KeyAutostartComment, nil)))
	for _, lang := range i18n.Languages {
		if lang == "en" {
			continue
		}
		if text, ok := i18n.Text(lang, KeyAutostartComment); ok {
			fmt.Fprintf(&b, "Comment[%s]=%s\n", lang, escapeDesktopValue(text))
		}
	}
	fmt.Fprintf(&b, "Exec=%s\n", escapeDesktopValue(quoteExecArg(exe)))
	b.WriteString("Icon=apuri\nTerminal=false\nX-GNOME-Autostart-enabled=true\n")
	if hidden {
		b.WriteString("Hidden=true\n")
	}
	return b.Bytes()
}

// quoteExecArg quotes one argument of an Exec key: reserved characters need double quotes,
// inside which " ` $ and \ are escaped with a backslash, and % is doubled (field codes).
func quoteExecArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`") {
		return s
	}
	r := strings.NewReplacer(`"`, `\"`, "`", "\\`", `$`, `\$`, `\`, `\\`)
	return `"` + r.Replace(s) + `"`
}

// escapeDesktopValue escapes a string value of a desktop entry: \ and control characters.
func escapeDesktopValue(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s)
}

// entryHidden reads the keys of [Desktop Entry] that turn an autostart entry off.
func entryHidden(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	inMain := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			inMain = line == "[Desktop Entry]"
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !inMain || !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if key == "Hidden" && value == "true" || key == "X-GNOME-Autostart-enabled" && value == "false" {
			return true
		}
	}
	return false
}
