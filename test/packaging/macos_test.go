//go:build linux

package packaging_test

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/test/packaging/pkgtest"
)

func TestPlistParser(t *testing.T) {
	tests := []struct {
		name, body string
		want       any
		bad        bool
	}{
		{"dict of every kind", `<dict><key>s</key><string>a&amp;b</string><key>i</key><integer>7</integer>` +
			`<key>t</key><true/><key>a</key><array><string>x</string><false/></array></dict>`,
			map[string]any{"s": "a&b", "i": int64(7), "t": true, "a": []any{"x", false}}, false},
		{"key without value", `<dict><key>k</key></dict>`, nil, true},
		{"key twice", `<dict><key>k</key><true/><key>k</key><true/></dict>`, nil, true},
		{"value without key", `<dict><string>v</string></dict>`, nil, true},
		{"unknown element", `<dict><key>k</key><bool>1</bool></dict>`, nil, true},
		{"two values", `<true/><false/>`, nil, true},
		{"not well-formed", `<dict><key>k</key><string>v</dict>`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePlist([]byte(`<?xml version="1.0" encoding="UTF-8"?><plist version="1.0">` + tt.body + `</plist>`))
			if tt.bad {
				if err == nil {
					t.Errorf("parsed %v, want an error", got)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
}

func readPlist(tb testing.TB, path string) map[string]any {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := parsePlist(data)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	d, ok := v.(map[string]any)
	if !ok {
		tb.Fatalf("%s: the top value is %T, not a dict", path, v)
	}
	return d
}

// TestMacOSApp builds the bundle layout with `make macos-app` and checks that Info.plist names
// the app as FyneApp.toml does, that its icon is there, and that the LaunchAgent is the one
// Apuri's own setting writes, pointing into the installed bundle.
func TestMacOSApp(t *testing.T) {
	need(t, "make")
	app := pkgtest.ReadFyneApp(t)
	dist := t.TempDir()
	runMake(t, "macos-app", "DIST="+dist)
	bundle := filepath.Join(dist, "macos", app.Details.Name+".app")
	bundleID := strings.ReplaceAll(app.Details.ID, "_", "-")

	info := readPlist(t, filepath.Join(bundle, "Contents", "Info.plist"))
	want := map[string]any{
		"CFBundleIdentifier":         bundleID,
		"CFBundleName":               app.Details.Name,
		"CFBundleDisplayName":        app.Details.Name,
		"CFBundleShortVersionString": app.Details.Version,
		"CFBundleVersion":            strconv.Itoa(app.Details.Build),
		"CFBundleExecutable":         "apuri",
		"CFBundlePackageType":        "APPL",
		"CFBundleIconFile":           "icon.icns",
		"LSUIElement":                true, // the tray agent keeps out of the Dock
	}
	for k, w := range want {
		if !reflect.DeepEqual(info[k], w) {
			t.Errorf("Info.plist %s = %#v, want %#v", k, info[k], w)
		}
	}
	var langs []string
	for _, l := range info["CFBundleLocalizations"].([]any) {
		langs = append(langs, l.(string))
	}
	if strings.Join(langs, " ") != strings.Join(app.Languages, " ") {
		t.Errorf("CFBundleLocalizations %v, want FyneApp.toml's %v", langs, app.Languages)
	}
	if v, _ := info["LSMinimumSystemVersion"].(string); v == "" || mustAtoi(t, strings.Split(v, ".")[0]) < 12 {
		t.Errorf("LSMinimumSystemVersion %q: Go programs need macOS 12 or newer", v)
	}
	checkICNS(t, filepath.Join(bundle, "Contents", "Resources", "icon.icns"))

	label := agent.LaunchAgentLabel
	agentPlist := agent.LaunchAgentPlist(label, "/Applications/"+app.Details.Name+".app/Contents/MacOS/apuri")
	if label != bundleID {
		t.Errorf("the LaunchAgent label %q (agent.LaunchAgentLabel) is not the bundle ID %q", label, bundleID)
	}
	fromAgent, err := parsePlist(agentPlist)
	if err != nil {
		t.Fatalf("the plist agent.LaunchAgent writes: %v", err)
	}
	packaged := readPlist(t, filepath.Join(dist, "macos", label+".plist"))
	if !reflect.DeepEqual(packaged, fromAgent) {
		t.Errorf("packaging/macos/%s.plist = %v\nwant what Apuri's setting writes, pointing into the bundle: %v", label, packaged, fromAgent)
	}
}

func mustAtoi(tb testing.TB, s string) int {
	tb.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// checkICNS reads an .icns file's table of icons and decodes its 512-pixel PNG ('ic09').
func checkICNS(tb testing.TB, path string) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if len(data) < 8 || string(data[:4]) != "icns" || int(binary.BigEndian.Uint32(data[4:8])) != len(data) {
		tb.Fatalf("%s: not an icns file of its stated length", path)
	}
	types := map[string][]byte{}
	for off := 8; off < len(data); {
		if off+8 > len(data) {
			tb.Fatalf("%s: truncated entry at %d", path, off)
		}
		n := int(binary.BigEndian.Uint32(data[off+4 : off+8]))
		if n < 8 || off+n > len(data) {
			tb.Fatalf("%s: entry %q has length %d", path, data[off:off+4], n)
		}
		types[string(data[off:off+4])] = data[off+8 : off+n]
		off += n
	}
	img, err := png.Decode(bytes.NewReader(types["ic09"]))
	if err != nil {
		tb.Fatalf("%s: no 512-pixel PNG icon (ic09): %v; has %d entries", path, err, len(types))
	}
	if b := img.Bounds(); b.Dx() != 512 || b.Dy() != 512 {
		tb.Errorf("%s: ic09 is %v, want 512x512", path, b.Size())
	}
	// Apple's grid leaves a margin around the tile: the corners are transparent.
	if _, _, _, a := img.At(20, 20).RGBA(); a != 0 {
		tb.Errorf("%s: the icon has no margin", path)
	}
}
