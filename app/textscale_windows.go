package app

import "golang.org/x/sys/windows/registry"

// desktopTextScale is Windows' "Make text bigger" (Settings, Accessibility, Text size), kept in
// percent; 1 when it is not set.
func desktopTextScale() float64 {
	k, err := registry.OpenKey(registry.CURRENT_USER, `SOFTWARE\Microsoft\Accessibility`, registry.QUERY_VALUE)
	if err != nil {
		return 1
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue("TextScaleFactor")
	if err != nil || v == 0 {
		return 1
	}
	return float64(v) / 100
}
