//go:build !linux && !windows

package diagnostics

import "context"

// systemWifi: macOS tells Wi-Fi link quality only through CoreWLAN, an Objective-C framework
// that needs cgo, and Apuri's tray agent is built without it; `wdutil info` needs root and the
// `airport` tool is gone from current macOS. The check says so and is skipped.
func systemWifi(context.Context) ([]wifiLink, error) { return nil, errWifiUnsupported }
