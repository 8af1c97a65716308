//go:build !windows

package diagnostics

// systemEchoer is nil here: Linux caps segment sizes instead, and elsewhere no unprivileged
// program can set Don't Fragment on an echo (pro-bing sets it only on Linux).
func systemEchoer() echoer { return nil }
