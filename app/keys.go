package app

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// keyboard makes a window usable without a mouse: Escape cancels the dialog on top or else
// closes the window, Enter presses the focused button or, when nothing has the focus, the
// window's default one, and Alt+letter presses the button (or works the control) with that
// access key. The access keys are listed in words at the bottom of the window (hintLabel):
// Fyne cannot underline a letter of a button's label, and a list that can be read is the
// honest way to show them.
//
// Fyne's own buttons answer only Space, and a focused widget gets every plain key, so the
// window never hears Enter or Escape while one has the focus. The windows' buttons, entries,
// check boxes and menus are therefore the key* types of keys_widgets.go, their links those of
// keys_link.go and their radio buttons keys_radio.go, which hand those keys on to the keyboard.
type keyboard struct {
	env    *env
	window fyne.Window
	def    *keyButton // pressed by Enter when nothing has the focus
	access []accessKey
	// dialogs are the dialogs of keyDialog open over the window, the top one last.
	dialogs []*keyDialog
	hint    *widget.Label
}

// accessKey is one Alt+letter of a window.
type accessKey struct {
	key      fyne.KeyName
	label    string
	press    func()
	shortcut *desktop.CustomShortcut
}

func newKeyboard(e *env, w fyne.Window) *keyboard {
	k := &keyboard{env: e, window: w}
	if dc, ok := w.Canvas().(interface {
		SetOnTypedKey(func(*fyne.KeyEvent))
	}); ok {
		dc.SetOnTypedKey(k.typedKey)
	}
	return k
}

// typedKey is a key that no widget took: nothing has the focus.
func (k *keyboard) typedKey(ev *fyne.KeyEvent) { k.windowKey(ev) }

// windowKey gives Escape and Enter their window-wide meaning and says whether ev was one of
// them; a focused widget passes on to its own handling every other key.
func (k *keyboard) windowKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		k.escape()
	case fyne.KeyReturn, fyne.KeyEnter:
		k.enter()
	default:
		return false
	}
	return true
}

// escape cancels the dialog on top, hides a menu or dialog of Fyne's own, or closes the window.
func (k *keyboard) escape() {
	if d := k.topDialog(); d != nil {
		d.dismiss()
		return
	}
	if top := k.window.Canvas().Overlays().Top(); top != nil {
		top.Hide()
		return
	}
	k.window.Close()
}

// enter presses the default button of the dialog on top, or of the window.
func (k *keyboard) enter() {
	if d := k.topDialog(); d != nil {
		d.enter()
		return
	}
	if k.window.Canvas().Overlays().Top() != nil {
		return
	}
	if k.def != nil && k.def.Visible() && !k.def.Disabled() {
		k.def.Tapped(nil)
	}
}

// topDialog is the keyDialog on top, forgetting those closed meanwhile.
func (k *keyboard) topDialog() *keyDialog {
	for len(k.dialogs) > 0 {
		d := k.dialogs[len(k.dialogs)-1]
		if d.open {
			return d
		}
		k.dialogs = k.dialogs[:len(k.dialogs)-1]
	}
	return nil
}

// setDefault makes b the button Enter presses when nothing has the focus.
func (k *keyboard) setDefault(b *keyButton) { k.def = b }

// add gives label's control an access key, the first letter of a word of the label that no
// other control of the window has, or else any free letter of it; a label without a free
// letter (a-z) gets none. press runs when the user presses Alt and the letter.
func (k *keyboard) add(label string, press func()) {
	key, ok := k.pickKey(label)
	if !ok {
		return
	}
	a := accessKey{key: key, label: label, press: press,
		shortcut: &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt}}
	k.access = append(k.access, a)
	k.window.Canvas().AddShortcut(a.shortcut, func(fyne.Shortcut) { k.pressAccess(key) })
	k.refreshHint()
}

// addButton gives b an access key that presses it while it is shown and enabled.
func (k *keyboard) addButton(b *keyButton) {
	k.add(b.Text, func() {
		if b.Visible() && !b.Disabled() {
			b.Tapped(nil)
		}
	})
}

// forget removes every access key whose label keep does not keep, so that a screen that draws
// its buttons again can give the new ones theirs.
func (k *keyboard) forget(keep func(label string) bool) {
	kept := k.access[:0]
	for _, a := range k.access {
		if keep(a.label) {
			kept = append(kept, a)
			continue
		}
		k.window.Canvas().RemoveShortcut(a.shortcut)
	}
	k.access = kept
	k.refreshHint()
}

// pressAccess runs an access key; a dialog over the window keeps the window's keys from it.
func (k *keyboard) pressAccess(key fyne.KeyName) {
	if k.topDialog() != nil || k.window.Canvas().Overlays().Top() != nil {
		return
	}
	for _, a := range k.access {
		if a.key == key {
			a.press()
			return
		}
	}
}

// typedShortcut runs s when it is one of the window's access keys; false when it is not.
func (k *keyboard) typedShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != fyne.KeyModifierAlt {
		return false
	}
	for _, a := range k.access {
		if a.key == cs.KeyName {
			k.pressAccess(a.key)
			return true
		}
	}
	return false
}

func (k *keyboard) pickKey(label string) (fyne.KeyName, bool) {
	taken := map[rune]bool{}
	for _, a := range k.access {
		taken[rune(a.key[0])] = true
	}
	free := func(r rune) bool {
		r = unicode.ToUpper(r)
		return r >= 'A' && r <= 'Z' && !taken[r]
	}
	for _, word := range strings.Fields(label) {
		if r := []rune(word)[0]; free(r) {
			return fyne.KeyName(string(unicode.ToUpper(r))), true
		}
	}
	for _, r := range label {
		if free(r) {
			return fyne.KeyName(string(unicode.ToUpper(r))), true
		}
	}
	return "", false
}

// hintLabel is the line that tells the window's keys: its access keys and what Tab, Enter
// and Escape do.
func (k *keyboard) hintLabel() *widget.Label {
	if k.hint == nil {
		k.hint = caption("")
		k.refreshHint()
	}
	return k.hint
}

// hintText lists the access keys as "Alt+R Run again, Alt+C Copy report".
func (k *keyboard) hintText() string {
	items := make([]string, 0, len(k.access))
	for _, a := range k.access {
		items = append(items, "Alt+"+string(a.key)+" "+a.label)
	}
	if len(items) == 0 {
		return k.env.t("window.keys.hint_plain")
	}
	return k.env.t("window.keys.hint", "keys", strings.Join(items, ", "))
}

func (k *keyboard) refreshHint() {
	if k.hint != nil {
		k.hint.SetText(k.hintText())
	}
}
