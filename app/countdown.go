package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// restartSeconds is how long the restart confirmation counts down: a full minute, long enough to
// read it and save one's work in every open program, short enough that someone who walks away
// still gets the restart they asked for.
const restartSeconds = 60

// countdown is a confirmation: the question, a visible countdown and two buttons. The action
// runs only when the count reaches zero or the user presses the act button; Cancel or closing
// the dialog stops it for good. With no seconds it is a plain confirmation (log out). Cancel
// has the focus, so that Enter or Space never ends a session by accident.
type countdown struct {
	env      *env
	keys     *keyboard
	title    string
	question string
	actLabel string
	icon     fyne.Resource
	seconds  int
	act      func()

	left   int
	done   bool
	text   *widget.Label
	bar    *widget.ProgressBar
	cancel *keyButton
	now    *keyButton
	dialog *dialog.CustomDialog
	stop   chan struct{}
}

func newCountdown(e *env, k *keyboard, title, question, actLabel string, icon fyne.Resource, seconds int, act func()) *countdown {
	return &countdown{
		env: e, keys: k, title: title, question: question, actLabel: actLabel, icon: icon,
		seconds: seconds, left: seconds, act: act, stop: make(chan struct{}),
	}
}

func (c *countdown) buildUI() fyne.CanvasObject {
	c.text = heading("")
	c.bar = widget.NewProgressBar()
	c.bar.Max = float64(c.seconds)
	c.bar.TextFormatter = func() string { return "" }
	c.cancel = c.keys.button(c.env.t("window.fyne.cancel"), theme.CancelIcon(), c.onCancel)
	c.cancel.Importance = widget.HighImportance
	c.now = c.keys.button(c.actLabel, c.icon, c.onNow)
	c.now.Importance = widget.DangerImportance
	if c.seconds <= 0 {
		return widthAtLeast(440, wrapping(c.question))
	}
	c.show()
	return widthAtLeast(440, container.NewVBox(wrapping(c.question), c.text, c.bar))
}

func (c *countdown) show() {
	c.text.SetText(c.env.t("window.help.countdown", "seconds", c.left))
	c.bar.SetValue(float64(c.left))
}

// start opens the dialog and starts counting.
func (c *countdown) start() {
	// Escape, like Cancel, stops it for good.
	c.dialog = c.keys.showDialog(c.title, c.buildUI(), c.cancel, c.cancel, c.now).dialog
	c.dialog.SetOnClosed(c.onCancel)
	if c.seconds <= 0 {
		return
	}
	t := c.env.newTicker(time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-t.C():
				c.env.do(c.onTick)
			case <-c.stop:
				return
			case <-c.env.ctx.Done():
				return
			}
		}
	}()
}

// onTick counts one second down, and acts at zero.
func (c *countdown) onTick() {
	if c.done {
		return
	}
	c.left--
	c.show()
	if c.left <= 0 {
		c.finish(true)
	}
}

func (c *countdown) onCancel() { c.finish(false) }

func (c *countdown) onNow() { c.finish(true) }

// finish ends the countdown once: it stops the ticker, closes the dialog and maybe acts.
func (c *countdown) finish(act bool) {
	if c.done {
		return
	}
	c.done = true
	close(c.stop)
	if c.dialog != nil {
		c.dialog.Hide()
	}
	if act {
		c.act()
	}
}
