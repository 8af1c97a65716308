package app

import (
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/selfhelp"
)

// TestRestartCountdown drives the restart confirmation with a hand-cranked ticker: the restart
// is asked for only at zero or on the dialog's button, and never after Cancel.
func TestRestartCountdown(t *testing.T) {
	tests := []struct {
		name     string
		ticks    int
		then     string // "cancel", "now", "close" or "" (let it run out)
		restarts int
	}{
		{"cancel before zero", 3, "cancel", 0},
		{"cancel at once", 0, "cancel", 0},
		{"closing the dialog cancels", 5, "close", 0},
		{"restart now from the dialog", 4, "now", 1},
		{"zero restarts", restartSeconds, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, w := showHelp(t, "en", demo.LongUptime())
			h.tap("Restart now")
			c := w.confirm
			if c == nil || c.dialog == nil {
				t.Fatal("no confirmation dialog")
			}
			if got, want := c.text.Text, "Restarting in 30\u00a0s"; got != want {
				t.Errorf("countdown says %q, want %q", got, want)
			}
			for i := 1; i <= tt.ticks; i++ {
				if len(h.remedies.actions()) != 0 {
					t.Fatalf("restarted with %d s left", restartSeconds-i+1)
				}
				h.ticker.c <- time.Time{}
				h.next()
				if left := restartSeconds - i; left > 0 {
					if got, want := c.text.Text, h.env.t("window.help.countdown", "seconds", left); got != want {
						t.Fatalf("after %d ticks the countdown says %q, want %q", i, got, want)
					}
					if c.bar.Value != float64(left) {
						t.Fatalf("after %d ticks the bar is at %v, want %d", i, c.bar.Value, left)
					}
				}
			}
			switch tt.then {
			case "cancel":
				findButton(h.window.Canvas().Overlays().Top(), "Cancel").OnTapped()
			case "now":
				findButton(h.window.Canvas().Overlays().Top(), "Restart now").OnTapped()
			case "close":
				c.dialog.Hide()
			}
			<-h.ticker.stopped // the ticker is released whatever ended the countdown
			var restarts int
			for _, a := range h.remedies.actions() {
				if a.Kind != selfhelp.ActionRestart {
					t.Errorf("unexpected action %+v", a)
				}
				restarts++
			}
			if restarts != tt.restarts {
				t.Errorf("%d restarts, want %d", restarts, tt.restarts)
			}
			if top := h.window.Canvas().Overlays().Top(); top != nil && top.Visible() {
				t.Error("the dialog is still open")
			}
			// Nothing acts once the countdown is over, not even a late tick.
			c.onTick()
			c.onNow()
			if got := len(h.remedies.actions()); got != tt.restarts {
				t.Errorf("%d actions after the countdown ended, want %d", got, tt.restarts)
			}
		})
	}
}
