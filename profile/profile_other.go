//go:build !linux && !darwin && !windows

package profile

// systemPath is where the administrator deploys the profile; other Unix systems follow Linux.
func systemPath() string { return "/etc/apuri/profile.toml" }
