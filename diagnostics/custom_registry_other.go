//go:build !windows

package diagnostics

// systemRegistry is nil: only Windows has a registry, and a registry check is skipped here.
func systemRegistry() registryReader { return nil }
