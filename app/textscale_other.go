//go:build !linux && !windows

package app

// desktopTextScale is 1 where the desktop keeps no text scale of its own for programs to read
// (macOS scales the whole screen instead, which Fyne follows).
func desktopTextScale() float64 { return 1 }
