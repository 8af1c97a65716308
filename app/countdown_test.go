package app

import (
	"strings"
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
			if got, want := c.text.Text, "The computer restarts in 60\u00a0seconds. Save your work."; got != want {
				t.Errorf("countdown says %q, want %q", got, want)
			}
			if f := h.window.Canvas().Focused(); f != c.cancel {
				t.Errorf("the focus is on %v, want Cancel: Enter must not restart", f)
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

// TestRestartCountdownOnlyWhenAsked: the help window for a long uptime offers the restart, but
// no countdown starts, and nothing ticks, until the user presses Restart.
func TestRestartCountdownOnlyWhenAsked(t *testing.T) {
	h, w := showHelp(t, "en", demo.LongUptime())
	h.pump()
	if w.confirm != nil {
		t.Fatal("a confirmation opened without the user asking to restart")
	}
	if top := h.window.Canvas().Overlays().Top(); top != nil {
		t.Fatal("a dialog is open before the user pressed Restart")
	}
	select {
	case h.ticker.c <- time.Time{}:
		t.Fatal("a countdown is ticking before the user pressed Restart")
	default:
	}
	if got := len(h.remedies.actions()); got != 0 {
		t.Errorf("%d actions before anyone pressed a button", got)
	}
}

// TestRestartCountdownWords: the countdown lasts at least a minute and says, in every language,
// what will happen, how long is left and what to do meanwhile.
func TestRestartCountdownWords(t *testing.T) {
	if restartSeconds < 60 {
		t.Errorf("the restart counts down %d\u00a0s, too short to save one's work", restartSeconds)
	}
	tests := []struct {
		lang, tap string
		want      map[int]string // seconds left → text
	}{
		{"en", "Restart now", map[int]string{
			45: "The computer restarts in 45\u00a0seconds. Save your work.",
			1:  "The computer restarts in 1\u00a0second. Save your work.",
		}},
		{"fi", "Käynnistä uudelleen nyt", map[int]string{
			45: "Tietokone käynnistyy uudelleen 45\u00a0sekunnin kuluttua. Tallenna työsi.",
			1:  "Tietokone käynnistyy uudelleen 1\u00a0sekunnin kuluttua. Tallenna työsi.",
		}},
		{"sv", "", map[int]string{
			45: "Datorn startar om om 45\u00a0sekunder. Spara ditt arbete.",
			1:  "Datorn startar om om 1\u00a0sekund. Spara ditt arbete.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			h, w := showHelp(t, tt.lang, demo.LongUptime())
			tap := tt.tap
			if tap == "" {
				tap = h.env.t("selfhelp.action.restart")
			}
			h.tap(tap)
			c := w.confirm
			if c == nil {
				t.Fatal("no confirmation dialog")
			}
			defer c.onCancel()
			for left := restartSeconds - 1; left >= 1; left-- {
				h.ticker.c <- time.Time{}
				h.next()
				if want, ok := tt.want[left]; ok {
					if c.text.Text != want {
						t.Errorf("with %d s left the countdown says %q, want %q", left, c.text.Text, want)
					}
					if !strings.Contains(c.text.Text, "\u00a0") {
						t.Errorf("number and unit may part across lines in %q", c.text.Text)
					}
				}
			}
			if got := len(h.remedies.actions()); got != 0 {
				t.Errorf("%d actions with a second still left", got)
			}
		})
	}
}
