package tray

import (
	"context"
	"strings"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/notify"
)

// alerter decides when a finished diagnosis is worth a notification: when it found a problem
// whose cause the user has not been told about yet. A re-run that finds the same cause stays
// quiet; a good result in between makes the next problem news again.
type alerter struct {
	told diagnostics.Cause // the cause last told, "" after a good result
	seen time.Time         // StartedAt of the last report judged
}

// judge looks at a report once and says whether to notify. enabled is the user's setting;
// byTray says the tray started the run (at start, or "Diagnose now"); windowOpen says an Apuri
// window is open, where a run the user started from it is already on screen.
func (a *alerter) judge(r *diagnostics.Report, enabled, byTray, windowOpen bool) bool {
	if r == nil || r.StartedAt.Equal(a.seen) && !a.seen.IsZero() {
		return false
	}
	a.seen = r.StartedAt
	if r.Verdict.Status != diagnostics.StatusFail {
		a.told = ""
		return false
	}
	if r.Verdict.Cause == a.told || !enabled {
		return false
	}
	a.told = r.Verdict.Cause
	// Seen in the window the user started it from: told, without a notification.
	return byTray || !windowOpen
}

// alertFor is the notification about a report: the problem in short as its title; as its
// body the verdict's whole sentence, the same words the details window and the web page start
// with, then the known disruption that explains it, and the first thing to try.
func alertFor(r *diagnostics.Report, tr *i18n.Translator) notify.Notification {
	v := r.Verdict
	summary := tr.T("tray.cause."+v.Topic(), v.Message.Args)
	if summary == "tray.cause."+v.Topic() {
		summary = "Apuri"
	}
	lines := []string{tr.Message(v.Message)}
	if d := v.Disruption; d != nil {
		lines = append(lines, tr.T("report.known_disruption", map[string]any{"title": d.Heading(tr)}))
	}
	if len(v.AdviceKeys) > 0 {
		lines = append(lines, tr.T(v.AdviceKeys[0], v.Message.Args))
	}
	return notify.Notification{Summary: summary, Body: strings.Join(lines, "\n"), ActionLabel: tr.T("tray.notify.show_details", nil)}
}

// maybeNotify tells the user about a finished diagnosis that found a new problem.
func (c *controller) maybeNotify() {
	st := c.state
	// The run counts as judged only once its notification (if any) is scheduled, so whoever
	// waits for the judgement can then wait for the notification.
	defer func() {
		c.mu.Lock()
		c.judged = st.Run
		c.mu.Unlock()
	}()
	c.mu.Lock()
	if st.Report == nil || c.notifier == nil {
		c.mu.Unlock()
		return
	}
	byTray := c.trayRuns[st.Run]
	delete(c.trayRuns, st.Run)
	ok := c.alert.judge(st.Report, st.Settings.Notifications, byTray, c.windowOpen != nil && c.windowOpen())
	c.mu.Unlock()
	if !ok {
		return
	}
	c.send(alertFor(st.Report, i18n.New(st.Lang)), nil)
}

// send hands a notification to the notifier in the background; sent, when set, learns
// whether it was shown. Each send waits for the one before it, so notifications arrive in the
// order they were decided and a stale cause never lands on top of a newer one. It runs on the
// loop, which alone owns lastNotify.
func (c *controller) send(n notify.Notification, sent func(error)) {
	prev, done := c.lastNotify, make(chan struct{})
	c.lastNotify = done
	c.bgNotify.Add(1)
	go func() {
		defer c.bgNotify.Done()
		defer close(done)
		if prev != nil {
			<-prev
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := c.notifier.Send(ctx, n)
		if err != nil {
			c.logf("notification not shown: %v", err)
		}
		if sent != nil {
			sent(err)
		}
	}()
}
