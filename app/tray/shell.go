package tray

import "fyne.io/systray"

// shell is the part of the system tray the controller draws on; systrayShell is the real one
// and tests use a fake, so the controller runs without a desktop.
type shell interface {
	SetIcon(png []byte)
	SetTitle(title string)
	SetTooltip(tip string)
	// ResetMenu removes every item; their Clicked channels close.
	ResetMenu()
	AddItem(label, tooltip string, disabled bool) menuItem
	AddSeparator()
}

// menuItem is one shown menu item.
type menuItem interface {
	Clicked() <-chan struct{}
	SetTitle(label string)
	SetTooltip(tip string)
}

type systrayShell struct{}

func (systrayShell) SetIcon(png []byte)    { systray.SetIcon(png) }
func (systrayShell) SetTitle(title string) { systray.SetTitle(title) }
func (systrayShell) SetTooltip(tip string) { systray.SetTooltip(tip) }
func (systrayShell) ResetMenu()            { systray.ResetMenu() }
func (systrayShell) AddSeparator()         { systray.AddSeparator() }

func (systrayShell) AddItem(label, tooltip string, disabled bool) menuItem {
	mi := systray.AddMenuItem(label, tooltip)
	if disabled {
		mi.Disable()
	}
	return systrayItem{mi}
}

type systrayItem struct{ mi *systray.MenuItem }

func (i systrayItem) Clicked() <-chan struct{} { return i.mi.ClickedCh }
func (i systrayItem) SetTitle(label string)    { i.mi.SetTitle(label) }
func (i systrayItem) SetTooltip(tip string)    { i.mi.SetTooltip(tip) }
