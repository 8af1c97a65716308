//go:build !windows

package notify

// SetProcessAppID does nothing here: only Windows groups toasts and windows by an
// AppUserModelID.
func SetProcessAppID() error { return nil }
