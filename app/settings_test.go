package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/profile"
)

func showSettings(t *testing.T, lang string, st agent.State, l profile.Loaded) (*harness, *settings) {
	t.Helper()
	h := newHarness(t, lang)
	h.agent.state, h.agent.loaded = st, l
	s := newSettings(h.env, h.window)
	h.show(s)
	s.start()
	h.pump()
	return h, s
}

func TestSettingsGolden(t *testing.T) {
	tests := []struct {
		name   string
		lang   string
		golden string
	}{
		{"profile problems", "en", "settings_problems_en.xml"},
		{"profile problems in Finnish", "fi", "settings_problems_fi.xml"},
		{"profile problems in Swedish", "sv", "settings_problems_sv.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := agent.State{Lang: tt.lang, Settings: agent.Settings{Language: "fi", Notifications: true}}
			h, _ := showSettings(t, tt.lang, st, demo.Loaded(true))
			test.AssertRendersToMarkup(t, tt.golden, h.window.Canvas())
			if len(h.agent.saved) != 0 {
				t.Errorf("showing the settings saved %v", h.agent.saved)
			}
		})
	}
}

// TestSettingsProblemsAreListed: each problem of a passed-over profile reads file:line: key:
// message, in the user's language.
func TestSettingsProblemsAreListed(t *testing.T) {
	h, _ := showSettings(t, "fi", agent.State{Lang: "fi"}, demo.Loaded(true))
	texts := h.texts()
	for _, p := range demo.Problems() {
		for _, want := range []string{p.Location() + ":", p.Key + ": " + h.env.tr.Message(p.Message())} {
			if !slices.Contains(texts, want) {
				t.Errorf("no %q among %q", want, texts)
			}
		}
	}
	if want := "Käytössä: " + h.env.t("profile.source.system"); !slices.Contains(texts, want) {
		t.Errorf("no %q among %q", want, texts)
	}
	if !slices.Contains(texts, demo.ProfilePath) {
		t.Errorf("the path of the profile is not shown: %q", texts)
	}
}

func TestSettingsSave(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *settings)
		fail   bool
		local  bool
		want   agent.Settings // what is saved and shown afterwards
		saved  bool
		status string
	}{
		{
			name:   "language",
			change: func(s *settings) { s.language.SetSelectedIndex(1) },
			want:   agent.Settings{Language: "fi", Notifications: true}, saved: true, status: "Saved.",
		},
		{
			name:   "back to the system language",
			change: func(s *settings) { s.language.SetSelectedIndex(1); s.language.SetSelectedIndex(0) },
			want:   agent.Settings{Language: "", Notifications: true}, saved: true, status: "Saved.",
		},
		{
			name:   "start at login",
			change: func(s *settings) { test.Tap(s.startAtLogin) },
			want:   agent.Settings{StartAtLogin: true, Notifications: true}, saved: true, status: "Saved.",
		},
		{
			name:   "notifications off",
			change: func(s *settings) { test.Tap(s.notifications) },
			want:   agent.Settings{Notifications: false}, saved: true, status: "Saved.",
		},
		{
			name:   "a failed save puts the controls back",
			change: func(s *settings) { test.Tap(s.startAtLogin) },
			fail:   true,
			want:   agent.Settings{Notifications: true}, status: "Apuri is not running",
		},
		{
			name:   "without the agent the window says when the change takes effect",
			change: func(s *settings) { test.Tap(s.notifications) },
			local:  true,
			want:   agent.Settings{Notifications: false}, saved: true, status: "take effect when it next starts",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "en")
			h.env.local = tt.local
			h.agent.state = agent.State{Lang: "en", Settings: agent.DefaultSettings()}
			s := newSettings(h.env, h.window)
			h.show(s)
			s.start()
			h.pump()
			if tt.fail {
				h.agent.err = errAgentDown
			}
			tt.change(s)
			h.pump()
			if tt.saved {
				if n := len(h.agent.saved); n == 0 || h.agent.saved[n-1] != tt.want {
					t.Errorf("saved %+v, want last %+v", h.agent.saved, tt.want)
				}
			} else if len(h.agent.saved) != 0 {
				t.Errorf("saved %+v", h.agent.saved)
			}
			if got := s.current(); got != tt.want {
				t.Errorf("controls show %+v, want %+v", got, tt.want)
			}
			if !s.status.Visible() || !strings.Contains(s.status.Text, tt.status) {
				t.Errorf("status %q (visible %v), want it to contain %q", s.status.Text, s.status.Visible(), tt.status)
			}
		})
	}
}

// TestSettingsLanguageNames: the menu names each language in its own words, in every language.
func TestSettingsLanguageNames(t *testing.T) {
	for _, lang := range []string{"fi", "sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, lang)
			s := newSettings(h.env, h.window)
			h.show(s)
			want := []string{h.env.t("window.settings.lang_system"), "suomi", "svenska", "English"}
			if !slices.Equal(s.language.Options, want) {
				t.Errorf("options %q, want %q", s.language.Options, want)
			}
		})
	}
}

// TestSettingsShowsTheAgentsProblems: a corrupt settings file is shown, in the user's words.
func TestSettingsShowsTheAgentsProblems(t *testing.T) {
	st := agent.State{Lang: "en", Settings: agent.DefaultSettings(), Problems: []agent.Problem{
		{Message: i18n.Message{Key: agent.KeySettingsCorrupt, Args: map[string]any{"path": "/home/matti/.config/apuri/settings.json", "error": "unexpected end of JSON input"}}},
	}}
	_, s := showSettings(t, "en", st, demo.Loaded(false))
	if !strings.Contains(s.status.Text, "could not be read") || !strings.Contains(s.status.Text, "settings.json") {
		t.Errorf("status %q", s.status.Text)
	}
}

// TestSettingsPolicyLocksStartAtLogin: where the organisation's policy decides, the setting
// shows its choice, cannot be changed, and says who decides.
func TestSettingsPolicyLocksStartAtLogin(t *testing.T) {
	for _, managed := range []bool{false, true} {
		st := agent.State{Lang: "en", Settings: agent.Settings{StartAtLogin: true}, StartAtLoginManaged: managed}
		_, s := showSettings(t, "en", st, demo.Loaded(false))
		if !s.startAtLogin.Checked || s.startAtLogin.Disabled() != managed {
			t.Errorf("managed %v: checked %v, disabled %v", managed, s.startAtLogin.Checked, s.startAtLogin.Disabled())
		}
		if says := strings.Contains(s.status.Text, "organisation decides"); says != managed {
			t.Errorf("managed %v: status %q", managed, s.status.Text)
		}
	}
}

// loadedWithChannel is the demo profile with its support requests going through channel.
func loadedWithChannel(channel string) profile.Loaded {
	l := demo.Loaded(false)
	p := *l.Profile
	p.Request.Channel = channel
	p.Request.RT.URL = "https://rt.example.org"
	p.Request.Webhook.URL = "https://tuki.example.org/hook"
	l.Profile = &p
	return l
}

func TestSettingsSecretGolden(t *testing.T) {
	h, _ := showSettings(t, "en", agent.State{Lang: "en", Settings: agent.DefaultSettings()}, loadedWithChannel("rt"))
	test.AssertRendersToMarkup(t, "settings_secret_rt_en.xml", h.window.Canvas())
	if len(h.agent.secretsSet) != 0 {
		t.Errorf("showing the settings stored %d secrets", len(h.agent.secretsSet))
	}
}

// TestSettingsSecretShownOnlyWhenNeeded: only the channels that sign in have a secret to set.
func TestSettingsSecretShownOnlyWhenNeeded(t *testing.T) {
	tests := []struct {
		channel string
		shown   bool
	}{
		{"portal", false},
		{"email", false},
		{"webhook", true},
		{"rt", true},
	}
	for _, tt := range tests {
		t.Run(tt.channel, func(t *testing.T) {
			h, s := showSettings(t, "en", agent.State{Lang: "en"}, loadedWithChannel(tt.channel))
			shown := slices.Contains(h.texts(), "Support request credentials")
			if shown != tt.shown || s.secretBox.Visible() != tt.shown {
				t.Errorf("credentials shown %v (box visible %v), want %v", shown, s.secretBox.Visible(), tt.shown)
			}
		})
	}
}

// TestSettingsSecretSave: Save sends exactly what was typed, for the profile's channel, and
// the window then keeps the secret nowhere; a failure keeps it in the entry to try again.
func TestSettingsSecretSave(t *testing.T) {
	const typed = "rt-user:s3cr et:with colon"
	tests := []struct {
		name    string
		channel string
		fail    error
		state   string
		kept    bool
	}{
		{name: "request tracker", channel: "rt", state: "A token is stored in the keyring."},
		{name: "webhook", channel: "webhook", state: "A token is stored in the keyring."},
		{
			name: "no keyring", channel: "rt", kept: true,
			fail:  &agent.Problem{Message: i18n.Msg("outbox.error.no_keyring", "host", "rt.example.org"), English: "untranslated"},
			state: "This computer has no keyring for storing passwords, so Apuri cannot sign in to rt.example.org.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, s := showSettings(t, "en", agent.State{Lang: "en"}, loadedWithChannel(tt.channel))
			h.agent.secretErr = tt.fail
			if !s.secretSave.Disabled() {
				t.Error("Save is enabled with nothing typed")
			}
			test.Type(s.secretEntry, typed)
			test.Tap(s.secretSave)
			h.pump()
			if tt.fail == nil {
				want := []agent.SecretRequest{{Channel: tt.channel, Secret: typed}}
				if !slices.Equal(h.agent.secretsSet, want) {
					t.Errorf("stored %q, want %q", h.agent.secretsSet, want)
				}
			} else if len(h.agent.secretsSet) != 0 {
				t.Errorf("stored %q despite the failure", h.agent.secretsSet)
			}
			if !strings.HasPrefix(s.secretState.Text, tt.state) {
				t.Errorf("state %q, want %q", s.secretState.Text, tt.state)
			}
			if kept := s.secretEntry.Text == typed; kept != tt.kept {
				t.Errorf("entry holds %q, want the typed secret kept %v", s.secretEntry.Text, tt.kept)
			}
			if !s.secretEntry.Password {
				t.Error("the secret is shown as typed")
			}
		})
	}
}
