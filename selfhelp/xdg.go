package selfhelp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// knownBrowser is a Linux browser by its usual executable and desktop file names (distribution
// packages, Flatpak and Snap), so one found both ways is listed once.
type knownBrowser struct {
	name    string
	exes    []string
	desktop []string
}

var linuxBrowsers = []knownBrowser{
	{"Firefox", []string{"firefox"}, []string{"firefox.desktop", "org.mozilla.firefox.desktop", "firefox_firefox.desktop"}},
	{"Firefox ESR", []string{"firefox-esr"}, []string{"firefox-esr.desktop"}},
	{"Chromium", []string{"chromium", "chromium-browser"}, []string{"chromium.desktop", "chromium-browser.desktop", "org.chromium.Chromium.desktop", "chromium_chromium.desktop"}},
	{"Google Chrome", []string{"google-chrome-stable", "google-chrome"}, []string{"google-chrome.desktop", "com.google.Chrome.desktop"}},
	{"Microsoft Edge", []string{"microsoft-edge-stable", "microsoft-edge"}, []string{"microsoft-edge.desktop", "com.microsoft.Edge.desktop"}},
	{"Brave", []string{"brave-browser", "brave"}, []string{"brave-browser.desktop", "com.brave.Browser.desktop", "brave_brave.desktop"}},
	{"Vivaldi", []string{"vivaldi-stable", "vivaldi"}, []string{"vivaldi-stable.desktop", "com.vivaldi.Vivaldi.desktop"}},
	{"Web", []string{"epiphany", "epiphany-browser"}, []string{"org.gnome.Epiphany.desktop", "epiphany.desktop", "epiphany-browser.desktop"}},
	{"Falkon", []string{"falkon"}, []string{"org.kde.falkon.desktop"}},
}

func knownByDesktop(id string) int {
	return slices.IndexFunc(linuxBrowsers, func(k knownBrowser) bool { return slices.Contains(k.desktop, id) })
}

func knownByExe(exe string) int {
	return slices.IndexFunc(linuxBrowsers, func(k knownBrowser) bool { return slices.Contains(k.exes, exe) })
}

// xdgBrowsers finds the browsers in the desktop entries (Categories=WebBrowser, or a known
// name) and the known ones on PATH, and marks the one `xdg-settings` calls the default.
func xdgBrowsers(ctx context.Context, r *Remedies) []Browser {
	path := pathDirs(r.getenv("PATH"))
	var out []Browser
	seen := map[string]bool{}
	covered := map[int]bool{}
	for _, dir := range desktopDirs(r.getenv) {
		files, _ := os.ReadDir(dir) // a missing directory is normal
		for _, f := range files {
			id := f.Name()
			if !strings.HasSuffix(id, ".desktop") || seen[id] {
				continue
			}
			// The first directory that has an ID decides it, even to hide it.
			seen[id] = true
			data, err := readSmall(filepath.Join(dir, id))
			if err != nil {
				continue
			}
			de := parseDesktopEntry(data)
			k := knownByDesktop(id)
			if (k < 0 && !de.isBrowser()) || !de.usable(path) {
				continue
			}
			argv, err := splitExec(de.exec)
			if err != nil || len(argv) == 0 {
				continue
			}
			if k < 0 {
				k = knownByExe(filepath.Base(program(argv)))
			}
			name := de.name
			if k >= 0 {
				covered[k] = true
				if name == "" {
					name = linuxBrowsers[k].name
				}
			}
			if name == "" {
				name = strings.TrimSuffix(id, ".desktop")
			}
			out = append(out, Browser{ID: id, Name: name, cmd: execArgs(argv)})
		}
	}
	for i, k := range linuxBrowsers {
		if covered[i] {
			continue
		}
		for _, exe := range k.exes {
			if p := lookPath(path, exe); p != "" {
				out = append(out, Browser{ID: exe, Name: k.name, cmd: []string{p, urlArg}})
				break
			}
		}
	}
	def := defaultDesktopID(ctx, r)
	if def == "" {
		return out
	}
	return markDefault(out, func(b Browser) bool {
		if b.ID == def {
			return true
		}
		k := knownByExe(b.ID)
		return k >= 0 && slices.Contains(linuxBrowsers[k].desktop, def)
	})
}

// defaultDesktopID asks xdg-settings for the default browser's desktop file ("firefox.desktop").
func defaultDesktopID(ctx context.Context, r *Remedies) string {
	out, err := r.output(ctx, "xdg-settings", "get", "default-web-browser")
	if err != nil {
		return ""
	}
	id := strings.TrimSpace(string(out))
	if !strings.HasSuffix(id, ".desktop") || strings.ContainsAny(id, "/\n") {
		return ""
	}
	return id
}

// desktopDirs are the XDG application directories, most important first.
func desktopDirs(getenv func(string) string) []string {
	home := getenv("XDG_DATA_HOME")
	if home == "" && getenv("HOME") != "" {
		home = filepath.Join(getenv("HOME"), ".local", "share")
	}
	data := getenv("XDG_DATA_DIRS")
	if data == "" {
		data = "/usr/local/share:/usr/share"
	}
	var dirs []string
	for _, d := range append([]string{home}, filepath.SplitList(data)...) {
		if filepath.IsAbs(d) {
			dirs = append(dirs, filepath.Join(d, "applications"))
		}
	}
	return dirs
}

// pathDirs are PATH's directories; relative ones (and the empty one, meaning ".") are skipped,
// so a browser is never run from wherever the agent happens to be.
func pathDirs(path string) []string {
	var out []string
	for _, d := range filepath.SplitList(path) {
		if filepath.IsAbs(d) {
			out = append(out, d)
		}
	}
	return out
}

// lookPath finds an executable by name in the given directories.
func lookPath(dirs []string, name string) string {
	if strings.ContainsRune(name, '/') {
		if filepath.IsAbs(name) && isExecutable(name) {
			return name
		}
		return ""
	}
	for _, d := range dirs {
		if p := filepath.Join(d, name); isExecutable(p) {
			return p
		}
	}
	return ""
}

// maxDesktopFile bounds what is read of one desktop file; real ones are a few kilobytes.
const maxDesktopFile = 256 << 10

func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxDesktopFile))
}

// desktopEntry is what Apuri reads of a .desktop file's [Desktop Entry] group.
type desktopEntry struct {
	typ, name, exec, tryExec string
	categories               []string
	hidden, noDisplay        bool
}

// parseDesktopEntry reads the keys of the [Desktop Entry] group (freedesktop.org Desktop Entry
// Specification); localised keys and other groups (such as actions) are ignored.
func parseDesktopEntry(data []byte) desktopEntry {
	var de desktopEntry
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxDesktopFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			in = line == "[Desktop Entry]"
			continue
		}
		if !in {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), unescapeDesktop(strings.TrimSpace(value))
		switch key {
		case "Type":
			de.typ = value
		case "Name":
			de.name = value
		case "Exec":
			de.exec = value
		case "TryExec":
			de.tryExec = value
		case "Categories":
			de.categories = strings.FieldsFunc(value, func(r rune) bool { return r == ';' })
		case "Hidden":
			de.hidden = value == "true"
		case "NoDisplay":
			de.noDisplay = value == "true"
		}
	}
	return de
}

// unescapeDesktop undoes the escapes of a desktop file's string values.
func unescapeDesktop(s string) string {
	if !strings.ContainsRune(s, '\\') {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 's':
			b.WriteByte(' ')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		default:
			// Not a string escape: leave it for the Exec quoting rules.
			b.WriteByte('\\')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func (de desktopEntry) isBrowser() bool { return slices.Contains(de.categories, "WebBrowser") }

// usable says whether the entry is an application that is shown and whose program exists.
func (de desktopEntry) usable(path []string) bool {
	if (de.typ != "" && de.typ != "Application") || de.hidden || de.noDisplay || de.exec == "" {
		return false
	}
	return de.tryExec == "" || lookPath(path, de.tryExec) != ""
}

var errBadExec = errors.New("malformed Exec line")

// splitExec splits an Exec value into arguments: separated by spaces, optionally in double
// quotes, inside which a backslash escapes ", `, $ and \.
func splitExec(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted && c == '\\':
			if i+1 == len(s) || !strings.ContainsRune("\"`$\\", rune(s[i+1])) {
				return nil, errBadExec
			}
			i++
			cur.WriteByte(s[i])
		case quoted && c == '"':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '"':
			quoted, inArg = true, true
		case c == ' ' || c == '\t':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if quoted {
		return nil, errBadExec
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// execArgs turns split Exec arguments into a command: %u %U %f %F become the URL's place,
// the other field codes go (Apuri has no icon or file location to give), and %% is a percent
// sign. Without a field code for it, the URL goes last.
func execArgs(args []string) []string {
	var out []string
	hasURL := false
	for _, a := range args {
		switch a {
		case "%u", "%U", "%f", "%F":
			if !hasURL {
				out = append(out, urlArg)
				hasURL = true
			}
			continue
		case "%i", "%c", "%k", "%d", "%D", "%n", "%N", "%v", "%m":
			continue
		}
		out = append(out, strings.ReplaceAll(a, "%%", "%"))
	}
	if !hasURL {
		out = append(out, urlArg)
	}
	return out
}

// program is the executable an Exec line runs, looking past `env VAR=value`.
func program(args []string) string {
	if len(args) > 1 && filepath.Base(args[0]) == "env" {
		for _, a := range args[1:] {
			if !strings.Contains(a, "=") && !strings.HasPrefix(a, "-") {
				return a
			}
		}
	}
	return args[0]
}
