package tray

import "fyne.io/systray"

// runShell shows the tray until quit is closed. before sets up the icon and menu and runs
// before the item appears on the bus, so that its first properties are already right (a
// change made while systray exports the item can otherwise be lost); ready runs once it is
// there.
func runShell(before, ready func(), quit <-chan struct{}) {
	start, end := systray.RunWithExternalLoop(nil, nil)
	before()
	start()
	ready()
	<-quit
	endSafely(end)
}

// endSafely ends the tray; systray panics when it never got its bus connection, and a tray
// that is going away anyway must not take the exit code with it.
func endSafely(end func()) {
	defer func() { _ = recover() }()
	end()
}
