package profile

// systemPath is where the administrator deploys the profile.
func systemPath() string { return "/etc/apuri/profile.toml" }
