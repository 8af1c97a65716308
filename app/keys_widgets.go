package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The windows' focusable widgets: Fyne's, with the keys a focused widget would keep from the
// window (Enter, Escape, the access keys) handed on to the window's keyboard.

// keyButton is a button that Enter presses as well as Space.
type keyButton struct {
	widget.Button
	keys     *keyboard
	hasFocus bool
}

func (k *keyboard) button(label string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{keys: k}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeyEscape:
		b.keys.escape()
	default:
		b.Button.TypedKey(ev)
	}
}

// keyEntry is an entry from which Escape and the access keys still reach the window.
type keyEntry struct {
	widget.Entry
	keys *keyboard
}

func (k *keyboard) entry(multiLine bool) *keyEntry {
	e := &keyEntry{keys: k}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// password is an entry for a secret: dots for what is typed, and Fyne's eye to show it.
func (k *keyboard) password() *keyEntry {
	e := k.entry(false)
	e.Password = true // Fyne adds the eye when it draws an entry with a password
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	return e
}

func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		e.keys.escape()
		return
	}
	e.Entry.TypedKey(ev)
}

// AcceptsTab is false: Tab moves on from every field, as in a form on the web. Fyne's
// multi-line entry would type a tab character instead, and someone without a mouse could
// not leave the description.
func (e *keyEntry) AcceptsTab() bool { return false }

func (e *keyEntry) TypedShortcut(s fyne.Shortcut) {
	if e.keys.typedShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// keyCheck is a check box from which Escape and Enter still reach the window.
type keyCheck struct {
	widget.Check
	keys     *keyboard
	hasFocus bool
}

func (k *keyboard) check(label string, changed func(bool)) *keyCheck {
	c := &keyCheck{keys: k}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *keyCheck) TypedKey(ev *fyne.KeyEvent) {
	if !c.keys.windowKey(ev) {
		c.Check.TypedKey(ev)
	}
}

// keySelect is a menu from which Escape and Enter still reach the window (Space opens it).
type keySelect struct {
	widget.Select
	keys     *keyboard
	hasFocus bool
}

func (k *keyboard) selectMenu(options []string, changed func(string)) *keySelect {
	s := &keySelect{keys: k}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

func (s *keySelect) TypedKey(ev *fyne.KeyEvent) {
	if !s.keys.windowKey(ev) {
		s.Select.TypedKey(ev)
	}
}

// keyDialog is a dialog whose buttons answer Enter and Escape: Escape dismisses it, Enter
// presses the focused button, and when it opens the focus is on its safe button, so that an
// Enter pressed too soon never does what cannot be undone.
type keyDialog struct {
	keys   *keyboard
	dialog *dialog.CustomDialog
	safe   *keyButton
	open   bool
}

// showDialog opens a dialog over the window with buttons, safe the one that dismisses it.
func (k *keyboard) showDialog(title string, content fyne.CanvasObject, safe *keyButton, buttons ...fyne.CanvasObject) *keyDialog {
	d := &keyDialog{keys: k, safe: safe, open: true}
	d.dialog = dialog.NewCustomWithoutButtons(title, content, k.window)
	d.dialog.SetButtons(buttons)
	d.dialog.SetOnClosed(func() { d.open = false })
	k.dialogs = append(k.dialogs, d)
	d.dialog.Show()
	k.window.Canvas().Focus(safe)
	return d
}

// dismiss closes the dialog as its safe button would.
func (d *keyDialog) dismiss() {
	if d.open {
		d.safe.Tapped(nil)
	}
	if d.open {
		d.dialog.Hide()
	}
}

// enter presses the safe button when nothing in the dialog has the focus.
func (d *keyDialog) enter() { d.safe.Tapped(nil) }

// showError shows a problem in a dialog with OK, in Fyne's words for them.
func (k *keyboard) showError(text string) {
	k.showMessage(k.env.t("window.fyne.error"), text).dialog.SetIcon(theme.ErrorIcon())
}

// showMessage tells the user something in a dialog that only OK (or Enter, or Escape) closes.
func (k *keyboard) showMessage(title, text string) *keyDialog {
	var d *keyDialog
	ok := k.button(k.env.t("window.fyne.ok"), nil, func() { d.dialog.Hide() })
	ok.Importance = widget.HighImportance
	d = k.showDialog(title, widthAtLeast(360, wrapping(text)), ok, ok)
	return d
}

// confirm asks a question; act runs only on the confirm button, never on Escape or Cancel.
func (k *keyboard) confirm(title string, content fyne.CanvasObject, confirmLabel string, confirmIcon fyne.Resource, cancelLabel string, act func()) *keyDialog {
	var d *keyDialog
	cancel := k.button(cancelLabel, theme.CancelIcon(), func() { d.dialog.Hide() })
	yes := k.button(confirmLabel, confirmIcon, func() {
		d.dialog.Hide()
		act()
	})
	yes.Importance = widget.HighImportance
	d = k.showDialog(title, content, cancel, cancel, yes)
	return d
}

// fitDialog sizes d to want, or to the window less a margin when the window is smaller (large
// text, a small screen), so that its buttons stay in the window; its content scrolls.
func (k *keyboard) fitDialog(d *keyDialog, want fyne.Size) {
	room := k.window.Canvas().Size().SubtractWidthHeight(2*theme.Padding(), 2*theme.Padding())
	d.dialog.Resize(want.Min(room).Max(d.dialog.MinSize()))
}
