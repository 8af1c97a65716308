package profile

import (
	"os"
	"path/filepath"
)

// systemPath is where the administrator deploys the profile.
func systemPath() string {
	dir := os.Getenv("ProgramData")
	if dir == "" {
		dir = `C:\ProgramData`
	}
	return filepath.Join(dir, "Apuri", "profile.toml")
}
