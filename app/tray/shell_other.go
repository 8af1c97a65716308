//go:build !linux

package tray

import "fyne.io/systray"

// runShell shows the tray until quit is closed. The platform's own event loop runs here, so
// before and ready run once the tray exists.
func runShell(before, ready func(), quit <-chan struct{}) {
	go func() {
		<-quit
		systray.Quit()
	}()
	systray.Run(func() {
		before()
		ready()
	}, nil)
}
