//go:build !windows

package policy

// Read returns no policy: only Windows has a policy store that Apuri reads. Linux and macOS
// administrators deploy the system-wide profile and the login item as files.
func Read() (Policy, error) { return Policy{}, nil }
