// Package assets holds what Apuri ships inside its binary: translations, the default
// organisation profile and the tray icons. It imports nothing, so every package may use it.
package assets

import "embed"

// Translations holds translations/{fi,sv,en}.json: one source for the CLI, the tray and the windows.
//
//go:embed translations/*.json
var Translations embed.FS

// DefaultProfile is the embedded organisation profile used until IT deploys one.
//
//go:embed profile/default.toml
var DefaultProfile []byte

// Icons holds icons/tray-STATE-PANEL.png (STATE: healthy, warning, problem, checking, unknown;
// PANEL: light or dark) and icons/apuri.png, the application icon.
//
//go:generate go run ../tools/genicons icons
//go:embed icons/*.png
var Icons embed.FS

// PhoneIcon is a mobile phone, 24×24 SVG in one colour, for the Call buttons: Fyne's theme has
// no phone, and a person's silhouette does not say "call".
//
//go:embed icons/phone.svg
var PhoneIcon []byte

// TrayIcon returns the PNG for a tray state on a light or dark panel, or nil if there is none.
func TrayIcon(state string, dark bool) []byte {
	panel := "light"
	if dark {
		panel = "dark"
	}
	data, err := Icons.ReadFile("icons/tray-" + state + "-" + panel + ".png")
	if err != nil {
		return nil
	}
	return data
}

// AppIcon returns the application icon (512×512 PNG).
func AppIcon() []byte {
	data, _ := Icons.ReadFile("icons/apuri.png")
	return data
}
