//go:build linux

package packaging_test

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

func TestFyneAppIsComplete(t *testing.T) {
	app := pkgtest.ReadFyneApp(t)
	d := app.Details
	for _, f := range []struct{ key, value string }{
		{"Details.ID", d.ID}, {"Details.Name", d.Name}, {"Details.Version", d.Version},
		{"Details.Icon", d.Icon}, {"Website", app.Website}, {"LinuxAndBSD.Comment", app.LinuxAndBSD.Comment},
		{"LinuxAndBSD.GenericName", app.LinuxAndBSD.GenericName},
	} {
		if f.value == "" {
			t.Errorf("FyneApp.toml has no %s", f.key)
		}
	}
	if d.Build < 1 {
		t.Errorf("Details.Build = %d, want a positive build number", d.Build)
	}
	if _, err := os.Stat(filepath.Join(root, d.Icon)); err != nil {
		t.Errorf("Details.Icon: %v", err)
	}
	if len(app.LinuxAndBSD.Categories) == 0 {
		t.Error("LinuxAndBSD.Categories is empty")
	}
	if !app.Migrations["fyneDo"] {
		t.Error("Migrations.fyneDo is not set (the windows call fyne.Do)")
	}
	for _, lang := range i18n.Languages {
		if !strings.Contains(strings.Join(app.Languages, " "), lang) {
			t.Errorf("Languages lacks %q, which the windows speak", lang)
		}
	}
}

// desktopEntry reads the keys of a desktop file's [Desktop Entry] group.
func desktopEntry(tb testing.TB, path string) map[string]string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	keys := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	group := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && group == "[Desktop Entry]" {
			keys[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return keys
}

// TestDesktopEntriesFollowFyneAppAndTranslations keeps the menu entry and the login entry in
// step with FyneApp.toml and with the text of the login entry that Apuri's own setting writes.
func TestDesktopEntriesFollowFyneAppAndTranslations(t *testing.T) {
	app := pkgtest.ReadFyneApp(t)
	comment := func(lang string) string {
		text, ok := i18n.Text(lang, agent.KeyAutostartComment)
		if !ok {
			t.Fatalf("no %s translation of %s", lang, agent.KeyAutostartComment)
		}
		return text
	}
	tests := []struct {
		name string
		file string
		want map[string]string
	}{
		{"menu entry", "apuri.desktop.in", map[string]string{
			"Type": "Application", "Name": app.Details.Name, "Name[fi]": app.Details.Name, "Name[sv]": app.Details.Name,
			"GenericName": app.LinuxAndBSD.GenericName,
			"Comment":     app.LinuxAndBSD.Comment, "Comment[fi]": comment("fi"), "Comment[sv]": comment("sv"),
			"Categories": strings.Join(app.LinuxAndBSD.Categories, ";") + ";",
			"Keywords":   strings.Join(app.LinuxAndBSD.Keywords, ";") + ";",
			// The menu entry asks for the details window, so that it opens a window even where
			// the desktop shows no tray icon; the login entry starts the tray alone.
			"Exec": "@BINDIR@/apuri --details", "TryExec": "@BINDIR@/apuri", "Icon": "apuri", "Terminal": "false",
		}},
		{"login entry", "apuri-autostart.desktop.in", map[string]string{
			"Type": "Application", "Name": app.Details.Name,
			"Comment": comment("en"), "Comment[fi]": comment("fi"), "Comment[sv]": comment("sv"),
			"Exec": "@BINDIR@/apuri", "TryExec": "@BINDIR@/apuri", "Icon": "apuri",
			"X-GNOME-Autostart-enabled": "true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := desktopEntry(t, filepath.Join(root, "packaging", "linux", tt.file))
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
			for _, k := range []string{"GenericName", "Keywords"} {
				if _, ok := got[k]; ok {
					for _, lang := range []string{"fi", "sv"} {
						if got[k+"["+lang+"]"] == "" {
							t.Errorf("%s has no %s translation", k, lang)
						}
					}
				}
			}
		})
	}
	if app.LinuxAndBSD.Comment != comment("en") {
		t.Errorf("FyneApp.toml Comment %q differs from the login entry's %q", app.LinuxAndBSD.Comment, comment("en"))
	}
}

// metainfo is the part of the AppStream metainfo that must agree with the rest of Apuri.
type metainfo struct {
	ID         string `xml:"id"`
	Names      []text `xml:"name"`
	Launchable struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"launchable"`
	Binaries   []string `xml:"provides>binary"`
	Categories []string `xml:"categories>category"`
	Releases   []struct {
		Version string `xml:"version,attr"`
	} `xml:"releases>release"`
	Summaries []text `xml:"summary"`
}

type text struct {
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Value string `xml:",chardata"`
}

func TestMetainfoFollowsFyneApp(t *testing.T) {
	app := pkgtest.ReadFyneApp(t)
	path := filepath.Join(root, "packaging", "linux", app.Details.ID+".metainfo.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the metainfo file is named after the app ID: %v", err)
	}
	var m metainfo
	if err := xml.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.ID != app.Details.ID {
		t.Errorf("id = %q, want FyneApp.toml's %q", m.ID, app.Details.ID)
	}
	if len(m.Names) == 0 || m.Names[0].Value != app.Details.Name {
		t.Errorf("name = %v, want %q", m.Names, app.Details.Name)
	}
	if m.Launchable.Type != "desktop-id" || m.Launchable.Value != agent.DesktopFileName {
		t.Errorf("launchable = %s %q, want desktop-id %q", m.Launchable.Type, m.Launchable.Value, agent.DesktopFileName)
	}
	if len(m.Releases) == 0 || m.Releases[0].Version != app.Details.Version {
		t.Errorf("newest release = %v, want FyneApp.toml's version %q first", m.Releases, app.Details.Version)
	}
	if strings.Join(m.Categories, ";") != strings.Join(app.LinuxAndBSD.Categories, ";") {
		t.Errorf("categories %v, want FyneApp.toml's %v", m.Categories, app.LinuxAndBSD.Categories)
	}
	if strings.Join(m.Binaries, " ") != "apuri" {
		t.Errorf("provides binaries %v, want apuri", m.Binaries)
	}
	langs := map[string]bool{}
	for _, s := range m.Summaries {
		langs[s.Lang] = true
	}
	for _, lang := range []string{"", "fi", "sv"} {
		if !langs[lang] {
			t.Errorf("no summary in language %q", lang)
		}
	}
}
