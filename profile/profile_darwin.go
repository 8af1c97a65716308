package profile

// systemPath is where the administrator deploys the profile.
func systemPath() string { return "/Library/Application Support/Apuri/profile.toml" }
