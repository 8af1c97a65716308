package selfhelp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// browserView is what a test compares of a Browser, its command included.
type browserView struct {
	ID, Name string
	Default  bool
	Cmd      []string
}

func view(bs []Browser, u string) []browserView {
	out := []browserView{}
	for _, b := range bs {
		out = append(out, browserView{b.ID, b.Name, b.Default, b.command(u)})
	}
	return out
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

const chromeEntry = `[Desktop Entry]
Version=1.0
Name=Google Chrome
Name[fi]=Google Chrome -selain
Exec=/usr/bin/google-chrome-stable %U
Type=Application
Categories=Network;WebBrowser;

[Desktop Action new-window]
Name=New Window
Exec=/usr/bin/google-chrome-stable --new-window
`

// fakeXDG builds a PATH directory with fake executables and two XDG data directories with
// desktop files, and returns the environment that points at them.
func fakeXDG(t *testing.T) (map[string]string, string) {
	root := t.TempDir()
	bin := filepath.Join(root, "bin")
	script := "#!/bin/sh\nexit 0\n"
	writeFile(t, filepath.Join(bin, "firefox"), script, 0o755)
	writeFile(t, filepath.Join(bin, "google-chrome-stable"), script, 0o755)
	writeFile(t, filepath.Join(bin, "chromium"), script, 0o644) // not executable: not a browser
	if err := os.MkdirAll(filepath.Join(bin, "brave-browser"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(bin, "other-browser"), script, 0o755)

	home := filepath.Join(root, "home", ".local", "share", "applications")
	sys := filepath.Join(root, "usr", "share", "applications")
	writeFile(t, filepath.Join(home, "google-chrome.desktop"), chromeEntry, 0o644)
	// Shadowed by the user's own copy above.
	writeFile(t, filepath.Join(sys, "google-chrome.desktop"), strings.Replace(chromeEntry, "Name=Google Chrome", "Name=System Chrome", 1), 0o644)
	writeFile(t, filepath.Join(home, "other.desktop"), `[Desktop Entry]
Type=Application
Name=Other Browser
Exec=env MOZ_ENABLE_WAYLAND=1 "other-browser" --profile "/home/a b/p" %u %i
Categories=WebBrowser;
`, 0o644)
	writeFile(t, filepath.Join(home, "missing.desktop"), `[Desktop Entry]
Type=Application
Name=Missing Browser
TryExec=/nonexistent/missing-browser
Exec=/nonexistent/missing-browser %u
Categories=WebBrowser;
`, 0o644)
	writeFile(t, filepath.Join(sys, "firefox-esr.desktop"), `[Desktop Entry]
Type=Application
Name=Firefox ESR
NoDisplay=true
Exec=/usr/lib/firefox-esr/firefox-esr %u
`, 0o644)
	writeFile(t, filepath.Join(sys, "org.gnome.TextEditor.desktop"), `[Desktop Entry]
Type=Application
Name=Text Editor
Exec=gnome-text-editor %U
Categories=GNOME;Utility;TextEditor;
`, 0o644)
	writeFile(t, filepath.Join(sys, "hidden.desktop"), `[Desktop Entry]
Type=Application
Name=Hidden
Hidden=true
Exec=hidden %u
Categories=WebBrowser;
`, 0o644)
	writeFile(t, filepath.Join(sys, "README"), "not a desktop file", 0o644)
	env := map[string]string{
		"PATH":          "relative/bin:" + bin + "::/nonexistent",
		"HOME":          filepath.Join(root, "home"),
		"XDG_DATA_DIRS": filepath.Join(root, "usr", "share") + ":relative/share",
	}
	return env, bin
}

func TestLinuxBrowsers(t *testing.T) {
	env, bin := fakeXDG(t)
	const u = "https://mail.example.org/"
	chrome := browserView{"google-chrome.desktop", "Google Chrome", false, []string{"/usr/bin/google-chrome-stable", u}}
	other := browserView{"other.desktop", "Other Browser", false,
		[]string{"env", "MOZ_ENABLE_WAYLAND=1", "other-browser", "--profile", "/home/a b/p", u}}
	firefox := browserView{"firefox", "Firefox", false, []string{filepath.Join(bin, "firefox"), u}}
	def := func(b browserView) browserView { b.Default = true; return b }

	tests := []struct {
		name     string
		xdg      string
		xdgErr   error
		override map[string]string
		want     []browserView
	}{
		{
			name: "desktop entries and PATH, the default first",
			xdg:  "firefox.desktop\n",
			want: []browserView{def(firefox), chrome, other},
		},
		{
			name: "default by its desktop file",
			xdg:  "google-chrome.desktop\n",
			want: []browserView{def(chrome), other, firefox},
		},
		{
			name:   "no default when xdg-settings fails",
			xdgErr: errors.New("xdg-settings: not found"),
			want:   []browserView{chrome, other, firefox},
		},
		{
			name: "a strange answer from xdg-settings is ignored",
			xdg:  "../../evil.desktop\n",
			want: []browserView{chrome, other, firefox},
		},
		{
			name:     "nothing installed",
			override: map[string]string{"PATH": "/nonexistent", "HOME": "/nonexistent", "XDG_DATA_DIRS": "/nonexistent"},
			xdg:      "firefox.desktop",
			want:     []browserView{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			r := &Remedies{
				OS: "linux",
				Getenv: func(k string) string {
					if v, ok := tt.override[k]; ok {
						return v
					}
					return env[k]
				},
				Output: func(_ context.Context, name string, args ...string) ([]byte, error) {
					asked = append(asked, strings.Join(append([]string{name}, args...), " "))
					return []byte(tt.xdg), tt.xdgErr
				},
			}
			got := view(r.Browsers(context.Background()), u)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("browsers:\n got  %+v\n want %+v", got, tt.want)
			}
			if want := []string{"xdg-settings get default-web-browser"}; !reflect.DeepEqual(asked, want) {
				t.Errorf("asked %q, want %q", asked, want)
			}
		})
	}
}

func TestOpenInBrowserFindsTheBrowserAgain(t *testing.T) {
	env, bin := fakeXDG(t)
	tests := []struct {
		name    string
		browser Browser
		url     string
		cmds    []string
		err     error
	}{
		{"by executable name", Browser{ID: "firefox"}, "https://mail.example.org/",
			[]string{"start: " + filepath.Join(bin, "firefox") + " https://mail.example.org/"}, nil},
		{"by desktop file", Browser{ID: "google-chrome.desktop"}, "http://intra.example/",
			[]string{"start: /usr/bin/google-chrome-stable http://intra.example/"}, nil},
		{"a browser that is not installed", Browser{ID: "chromium"}, "https://mail.example.org/", nil, ErrBrowserNotFound},
		{"a command smuggled in is never run", Browser{ID: "calc", Name: "Calculator"}, "https://mail.example.org/", nil, ErrBrowserNotFound},
		{"only web addresses", Browser{ID: "firefox"}, "tel:123", nil, ErrRefusedURL},
		{"no file addresses", Browser{ID: "firefox"}, "file:///etc/shadow", nil, ErrRefusedURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &cmdLog{}
			r := &Remedies{
				OS: "linux", Start: log.runner("start"), Getenv: func(k string) string { return env[k] },
				Output: func(context.Context, string, ...string) ([]byte, error) { return []byte("firefox.desktop"), nil },
			}
			if err := r.OpenInBrowser(context.Background(), tt.browser, tt.url); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := log.got(); !reflect.DeepEqual(got, tt.cmds) {
				t.Errorf("commands = %q, want %q", got, tt.cmds)
			}
		})
	}
}

// fakeRegistry maps a key path to its values; sub-keys follow from the paths.
type fakeRegistry map[string]map[string]string

func (f fakeRegistry) SubKeys(key string) ([]string, error) {
	var out []string
	prefix := strings.ToLower(key) + `\`
	for k := range f {
		if rest, ok := strings.CutPrefix(strings.ToLower(k), prefix); ok {
			name := k[len(prefix):][:len(strings.SplitN(rest, `\`, 2)[0])]
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	if out == nil {
		return nil, errors.New("the system cannot find the file specified")
	}
	slices.Sort(out)
	return out, nil
}

func (f fakeRegistry) Value(key, name string) (string, error) {
	for k, vals := range f {
		if strings.EqualFold(k, key) {
			if v, ok := vals[name]; ok {
				return v, nil
			}
		}
	}
	return "", errors.New("the system cannot find the file specified")
}

func TestWindowsBrowsers(t *testing.T) {
	const smi = `HKLM\SOFTWARE\Clients\StartMenuInternet`
	const usmi = `HKCU\Software\Clients\StartMenuInternet`
	reg := fakeRegistry{
		smi + `\Firefox-308046B0AF4A39CB`:                                                      {"": "Mozilla Firefox"},
		smi + `\Firefox-308046B0AF4A39CB\shell\open\command`:                                   {"": `"C:\Program Files\Mozilla Firefox\firefox.exe"`},
		smi + `\Firefox-308046B0AF4A39CB\Capabilities\URLAssociations`:                         {"https": "FirefoxURL-308046B0AF4A39CB"},
		smi + `\Microsoft Edge`:                                                                {"": "Microsoft Edge"},
		smi + `\Microsoft Edge\shell\open\command`:                                             {"": `"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"`},
		smi + `\Microsoft Edge\Capabilities\URLAssociations`:                                   {"https": "MSEdgeHTM"},
		smi + `\IEXPLORE.EXE\shell\open\command`:                                               {"": `"C:\Program Files\Internet Explorer\iexplore.exe"`},
		smi + `\Broken\shell\open\command`:                                                     {"": `"C:\unterminated`},
		usmi + `\Google Chrome`:                                                                {"": "Google Chrome"},
		usmi + `\Google Chrome\shell\open\command`:                                             {"": `C:\Users\a\AppData\Local\Google\Chrome\Application\chrome.exe --single-argument`},
		usmi + `\Google Chrome\Capabilities\URLAssociations`:                                   {"https": "ChromeHTML"},
		`HKLM\SOFTWARE\WOW6432Node\Clients\StartMenuInternet\Google Chrome\shell\open\command`: {"": `"C:\old\chrome.exe"`},
	}
	const u = "https://mail.example.org/"
	firefox := browserView{"Firefox-308046B0AF4A39CB", "Mozilla Firefox", false, []string{`C:\Program Files\Mozilla Firefox\firefox.exe`, u}}
	edge := browserView{"Microsoft Edge", "Microsoft Edge", false, []string{`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, u}}
	chrome := browserView{"Google Chrome", "Google Chrome", false, []string{`C:\Users\a\AppData\Local\Google\Chrome\Application\chrome.exe`, u}}
	def := func(b browserView) browserView { b.Default = true; return b }
	tests := []struct {
		name   string
		choice string
		want   []browserView
	}{
		{"Edge by the user's choice", "MSEdgeHTM", []browserView{def(edge), chrome, firefox}},
		{"Firefox by the user's choice", "FirefoxURL-308046B0AF4A39CB", []browserView{def(firefox), chrome, edge}},
		{"no choice recorded", "", []browserView{chrome, firefox, edge}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeRegistry{}
			for k, v := range reg {
				r[k] = v
			}
			if tt.choice != "" {
				r[userChoiceHTTPS] = map[string]string{"ProgId": tt.choice}
			}
			rem := &Remedies{OS: "windows", Registry: r}
			if got := view(rem.Browsers(context.Background()), u); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("browsers:\n got  %+v\n want %+v", got, tt.want)
			}
		})
	}
}

const lsHandlers = `(
        {
        LSHandlerContentType = "public.html";
        LSHandlerPreferredVersions =         {
            LSHandlerRoleAll = "-";
        };
        LSHandlerRoleAll = "com.apple.safari";
    },
        {
        LSHandlerPreferredVersions =         {
            LSHandlerRoleAll = "-";
        };
        LSHandlerRoleAll = "org.mozilla.firefox";
        LSHandlerURLScheme = https;
    },
        {
        LSHandlerRoleAll = "com.google.chrome";
        LSHandlerURLScheme = http;
    }
)
`

func TestMacBrowsers(t *testing.T) {
	apps := t.TempDir()
	user := t.TempDir()
	for _, d := range []string{filepath.Join(apps, "Safari.app"), filepath.Join(user, "Firefox.app"), filepath.Join(apps, "Google Chrome.app", "Contents")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(apps, "Brave Browser.app"), "a file, not an application bundle", 0o644)
	const u = "https://mail.example.org/"
	safari := browserView{"com.apple.Safari", "Safari", false, []string{"open", "-a", filepath.Join(apps, "Safari.app"), u}}
	firefox := browserView{"org.mozilla.firefox", "Firefox", false, []string{"open", "-a", filepath.Join(user, "Firefox.app"), u}}
	chrome := browserView{"com.google.Chrome", "Google Chrome", false, []string{"open", "-a", filepath.Join(apps, "Google Chrome.app"), u}}
	def := func(b browserView) browserView { b.Default = true; return b }
	tests := []struct {
		name     string
		handlers string
		err      error
		want     []browserView
	}{
		{"the https handler is the default", lsHandlers, nil, []browserView{def(firefox), safari, chrome}},
		{"Safari until the user chooses", "", errors.New("The domain/default pair does not exist"), []browserView{def(safari), firefox, chrome}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Remedies{OS: "darwin", AppDirs: []string{apps, user},
				Output: func(_ context.Context, name string, args ...string) ([]byte, error) {
					if got := name + " " + strings.Join(args, " "); got != "defaults read com.apple.LaunchServices/com.apple.launchservices.secure LSHandlers" {
						t.Errorf("ran %q", got)
					}
					return []byte(tt.handlers), tt.err
				}}
			if got := view(r.Browsers(context.Background()), u); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("browsers:\n got  %+v\n want %+v", got, tt.want)
			}
		})
	}
}

func TestSplitExec(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		err  bool
	}{
		{"plain", "firefox %u", []string{"firefox", "%u"}, false},
		{"quoted with spaces", `"/opt/My Browser/browser" --x %U`, []string{"/opt/My Browser/browser", "--x", "%U"}, false},
		{"escapes inside quotes", `sh -c "echo \"\$HOME\" \\ \` + "`" + `"`, []string{"sh", "-c", "echo \"$HOME\" \\ `"}, false},
		{"repeated spaces", "a   b\tc", []string{"a", "b", "c"}, false},
		{"empty quoted argument", `a "" b`, []string{"a", "", "b"}, false},
		{"unterminated quote", `"a b`, nil, true},
		{"bad escape", `"a \n"`, nil, true},
		{"trailing backslash in quotes", `"a \`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := splitExec(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error: %v", err, tt.err)
			}
			if !tt.err && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExecArgs(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"%u", []string{"firefox", "%u"}, []string{"firefox", urlArg}},
		{"%U once", []string{"chrome", "%U", "%F"}, []string{"chrome", urlArg}},
		{"no field code", []string{"epiphany"}, []string{"epiphany", urlArg}},
		{"icon and name dropped", []string{"b", "%i", "%c", "%k", "%u"}, []string{"b", urlArg}},
		{"percent sign", []string{"b", "--title=100%%", "%u"}, []string{"b", "--title=100%", urlArg}},
		{"flatpak forwarding", []string{"/usr/bin/flatpak", "run", "--file-forwarding", "org.mozilla.firefox", "@@u", "%u", "@@"},
			[]string{"/usr/bin/flatpak", "run", "--file-forwarding", "org.mozilla.firefox", "@@u", urlArg, "@@"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := execArgs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExeFromCommand(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"quoted", `"C:\Program Files\Mozilla Firefox\firefox.exe" -osint -url "%1"`, `C:\Program Files\Mozilla Firefox\firefox.exe`},
		{"unquoted with spaces", `C:\Program Files\Browser\b.EXE --x`, `C:\Program Files\Browser\b.EXE`},
		{"unterminated quote", `"C:\x.exe`, ""},
		{"no program", `rundll32`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exeFromCommand(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// quoteExec writes arguments back as an Exec value.
func quoteExec(args []string) string {
	q := make([]string, len(args))
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	for i, a := range args {
		q[i] = `"` + r.Replace(a) + `"`
	}
	return strings.Join(q, " ")
}

func FuzzSplitExec(f *testing.F) {
	for _, s := range []string{"firefox %u", `"/a b/c" "\$x" %U`, `env A=1 b`, `"`, `a\ b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := splitExec(s)
		if err != nil {
			return
		}
		again, err := splitExec(quoteExec(args))
		if err != nil || !reflect.DeepEqual(again, args) && !(len(args) == 0 && len(again) == 0) {
			t.Fatalf("%q: split %q, quoted and split again %q (%v)", s, args, again, err)
		}
		_ = execArgs(args)
	})
}

func FuzzParseDesktopEntry(f *testing.F) {
	f.Add(chromeEntry)
	f.Add("[Desktop Entry]\nExec=a\\sb %u\nName=x\\\\y\n")
	f.Fuzz(func(t *testing.T, s string) {
		de := parseDesktopEntry([]byte(s))
		_ = de.isBrowser()
		_ = de.usable(nil)
	})
}

func TestHTTPSHandler(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"nested dictionaries do not confuse it", lsHandlers, "org.mozilla.firefox"},
		{"viewer role", "(\n {\n LSHandlerRoleViewer = \"com.brave.browser\";\n LSHandlerURLScheme = https;\n }\n)\n", "com.brave.browser"},
		{"no https handler", "(\n {\n LSHandlerRoleAll = \"com.google.chrome\";\n LSHandlerURLScheme = http;\n }\n)\n", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := httpsHandler(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
