package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
)

// fleetState is an agent that shares with the organisation's collector: delivered since the
// morning, with records waiting and some dropped while the collector was out of reach.
func fleetState(lang string) agent.State {
	return agent.State{Lang: lang, Settings: agent.DefaultSettings(), Fleet: &fleet.Status{
		Collector: "otel.example.org:4318", Site: "turku-office",
		Since: demo.StartedAt.Add(-2 * time.Hour), Waiting: 3, Dropped: 2}}
}

// The settings window says what is shared, with whom and since when, in every language.
func TestSettingsFleetGolden(t *testing.T) {
	for _, lang := range []string{"en", "fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			h, _ := showSettings(t, lang, fleetState(lang), demo.Loaded(false))
			test.AssertRendersToMarkup(t, "settings_fleet_"+lang+".xml", h.window.Canvas())
		})
	}
}

// labelsText is every label's text in the window's fleet section.
func fleetText(s *settings) string {
	var b strings.Builder
	for _, o := range s.fleetBox.Objects {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

func TestSettingsFleetSaysWhoWhatAndSince(t *testing.T) {
	_, s := showSettings(t, "en", fleetState("en"), demo.Loaded(false))
	text := fleetText(s)
	for _, want := range []string{"otel.example.org:4318", "turku-office", "Never shared", "user name",
		"Shared since", "waiting to be sent: 3", "the oldest first, while your organisation's server could not be reached: 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the fleet section does not say %q:\n%s", want, text)
		}
	}

	st := fleetState("en")
	st.Fleet.Since, st.Fleet.Waiting, st.Fleet.Dropped, st.Fleet.Site = time.Time{}, 0, 0, fleet.SiteOther
	_, s = showSettings(t, "en", st, demo.Loaded(false))
	text = fleetText(s)
	if !strings.Contains(text, "Nothing has been sent yet.") || strings.Contains(text, "waiting") ||
		strings.Contains(text, "dropped") || !strings.Contains(text, "not at any of your organisation's sites") {
		t.Errorf("before any delivery, at no site:\n%s", text)
	}
}

// Without sharing there is no section at all.
func TestSettingsWithoutFleetSaysNothingOfIt(t *testing.T) {
	_, s := showSettings(t, "en", agent.State{Lang: "en", Settings: agent.DefaultSettings()}, demo.Loaded(false))
	if s.fleetBox.Visible() || len(s.fleetBox.Objects) != 0 {
		t.Errorf("a fleet section without [fleet]: %q", fleetText(s))
	}
}
