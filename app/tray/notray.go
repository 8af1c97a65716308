package tray

import (
	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/notify"
)

// A desktop without a tray (GNOME without the AppIndicator extension) shows no icon: Apuri
// runs, but nobody can see it. The controller tells the user once, ever, how to reach it
// instead: the menu entry, which opens the details, and `apuri diagnose`. It waits for the
// first diagnosis to end before it tells, so that a panel still starting at login has the time
// to appear; and it says nothing once a watcher has come, because systray then registers the
// icon by itself.

// onTray follows the panel: it runs on the loop when a StatusNotifierWatcher comes or goes.
func (c *controller) onTray(shown bool) {
	if shown == !c.noTray {
		return
	}
	c.noTray = !shown
	if shown {
		c.logf("a tray appeared on the desktop: the icon is shown there")
		return
	}
	c.logf("%s", noTrayLog)
	c.maybeTellNoTray()
}

// noTrayLog is what the log says, for whoever reads it: the why and the fix, in English.
const noTrayLog = "no StatusNotifierWatcher on the session bus: this desktop shows no tray icons, " +
	"so Apuri has none (on GNOME, install and enable the AppIndicator extension, " +
	"gnome-shell-extension-appindicator); the menu entry opens the details"

// maybeTellNoTray gives the notice when the desktop has no tray, a diagnosis has ended and the
// user was never told. It is marked as told only once the notification service took it, so a
// start without one tells at the next start instead.
func (c *controller) maybeTellNoTray() {
	if !c.noTray || c.noTrayDecided || c.state.Report == nil || c.notifier == nil {
		return
	}
	c.noTrayDecided = true
	if c.agent.Told(agent.NoticeNoTray) {
		return
	}
	c.send(noTrayNotice(i18n.New(c.state.Lang)), func(err error) {
		if err != nil {
			return
		}
		if err := c.agent.MarkTold(agent.NoticeNoTray); err != nil {
			c.logf("%v", err)
		}
	})
}

// noTrayNotice says how to reach Apuri without an icon. It stays on screen apart from the
// verdicts, and its button opens the details.
func noTrayNotice(tr *i18n.Translator) notify.Notification {
	return notify.Notification{
		Summary:     tr.T("tray.no_tray.summary", nil),
		Body:        tr.T("tray.no_tray.body", nil),
		ActionLabel: tr.T("tray.notify.show_details", nil),
		Apart:       true,
	}
}
