package tray

import "golang.org/x/sys/windows/registry"

// desktop is the Windows session the tray lives in.
type desktop struct{ dark bool }

// openDesktop reads whether the taskbar is dark (the system, not the apps, colour mode).
func openDesktop(func(string) string) (*desktop, error) {
	d := &desktop{dark: true}
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Themes\Personalize`, registry.QUERY_VALUE)
	if err == nil {
		defer k.Close()
		if v, _, err := k.GetIntegerValue("SystemUsesLightTheme"); err == nil {
			d.dark = v == 0
		}
	}
	return d, nil
}

func (d *desktop) Dark() bool               { return d.dark }
func (d *desktop) DarkChanges() <-chan bool { return nil }
func (d *desktop) Tray() bool               { return true }
func (d *desktop) TrayChanges() <-chan bool { return nil }
func (d *desktop) Close() error             { return nil }
