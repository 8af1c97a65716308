package selfhelp

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// macPlatform asks System Events to restart or log out, which lets applications save their
// documents, and opens URLs with `open`. Outside a _darwin.go file so its commands are tested
// everywhere.
type macPlatform struct{}

func (macPlatform) restart(ctx context.Context, r *Remedies) error {
	return r.run(ctx, "osascript", "-e", `tell application "System Events" to restart`)
}

func (macPlatform) logOut(ctx context.Context, r *Remedies) error {
	return r.run(ctx, "osascript", "-e", `tell application "System Events" to log out`)
}

func (macPlatform) openURL(ctx context.Context, r *Remedies, u string) error {
	return r.start(ctx, "open", u)
}

func (macPlatform) browsers(ctx context.Context, r *Remedies) []Browser {
	return macBrowsers(ctx, r)
}

// macApps are the browsers Apuri looks for, by application name and bundle identifier.
var macApps = []struct{ app, bundle string }{
	{"Safari", "com.apple.Safari"},
	{"Firefox", "org.mozilla.firefox"},
	{"Google Chrome", "com.google.Chrome"},
	{"Microsoft Edge", "com.microsoft.edgemac"},
	{"Brave Browser", "com.brave.Browser"},
	{"Chromium", "org.chromium.Chromium"},
	{"Vivaldi", "com.vivaldi.Vivaldi"},
	{"Opera", "com.operasoftware.Opera"},
	{"Arc", "company.thebrowser.Browser"},
}

func macBrowsers(ctx context.Context, r *Remedies) []Browser {
	dirs := r.AppDirs
	if dirs == nil {
		dirs = []string{"/Applications"}
		if home := r.getenv("HOME"); home != "" {
			dirs = append(dirs, filepath.Join(home, "Applications"))
		}
	}
	var out []Browser
	for _, a := range macApps {
		for _, d := range dirs {
			p := filepath.Join(d, a.app+".app")
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				out = append(out, Browser{ID: a.bundle, Name: a.app, cmd: []string{"open", "-a", p, urlArg}})
				break
			}
		}
	}
	def := macDefault(ctx, r)
	return markDefault(out, func(b Browser) bool { return strings.EqualFold(b.ID, def) })
}

// macDefault is the bundle identifier of the default https handler. Launch Services records a
// choice only once the user makes one; until then Safari is the default.
func macDefault(ctx context.Context, r *Remedies) string {
	out, err := r.output(ctx, "defaults", "read", "com.apple.LaunchServices/com.apple.launchservices.secure", "LSHandlers")
	if err == nil {
		if id := httpsHandler(string(out)); id != "" {
			return id
		}
	}
	return "com.apple.Safari"
}

// httpsHandler reads the https handler out of `defaults read … LSHandlers`, an old-style
// property list: an array of dictionaries, some with nested dictionaries of their own.
func httpsHandler(out string) string {
	depth := 0
	item := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(t, "{"):
			depth++
			if depth == 1 {
				item = map[string]string{}
			}
		case strings.HasPrefix(t, "}"):
			depth--
			if depth == 0 && item["LSHandlerURLScheme"] == "https" {
				if id := item["LSHandlerRoleAll"]; id != "" && id != "-" {
					return id
				}
				return item["LSHandlerRoleViewer"]
			}
		case depth == 1:
			k, v, ok := strings.Cut(t, "=")
			if !ok {
				continue
			}
			v = strings.Trim(strings.TrimSuffix(strings.TrimSpace(v), ";"), `"`)
			item[strings.TrimSpace(k)] = v
		}
	}
	return ""
}
