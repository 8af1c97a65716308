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
