package app

import (
	"fmt"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// settings is the settings window: the language, starting at login, notifications, and which
// organisation profile is in use with the problems of the files passed over. A change is saved
// at once; a failed save puts the controls back as they were.
type settings struct {
	env    *env
	window fyne.Window
	keys   *keyboard

	language      *keySelect
	startAtLogin  *keyCheck
	notifications *keyCheck
	status        *widget.Label
	source        *widget.RichText
	problems      *fyne.Container
	content       *fyne.Container

	// The request channel's secret (webhook or Request Tracker token): shown only when the
	// profile's channel needs one. The secret goes to the agent's keyring and is never shown.
	secretBox   *fyne.Container
	secretState *widget.Label
	secretEntry *keyEntry
	secretSave  *keyButton
	secretChan  string

	// What is shared with the organisation, when its profile turns that on (settings_fleet.go).
	fleetBox *fyne.Container

	langs   []string // the language codes behind the options, "" for the system's
	saved   agent.Settings
	wanted  agent.Settings // the latest the user asked for
	ready   bool           // the settings have been read; until then changes are not saved
	setting bool           // the controls are being set from saved values, not by the user

	// Saves run one at a time, and a save that a newer one has overtaken is skipped, so the
	// user's last choice is the one that sticks however fast they click.
	saveMu sync.Mutex
	latest atomic.Uint64
}

func newSettings(e *env, w fyne.Window) *settings {
	return &settings{env: e, window: w, keys: newKeyboard(e, w), langs: append([]string{""}, i18n.Languages...)}
}

func (s *settings) buildUI() fyne.CanvasObject {
	e := s.env
	options := make([]string, len(s.langs))
	for i, l := range s.langs {
		options[i] = s.langName(l)
	}
	k := s.keys
	s.language = k.selectMenu(options, func(string) { s.onChanged() })
	s.startAtLogin = k.check(e.t("window.settings.start_at_login"), func(bool) { s.onChanged() })
	s.notifications = k.check(e.t("window.settings.notifications"), func(bool) { s.onChanged() })
	// Alt and the letter goes to the language menu, or turns a setting on or off.
	k.add(e.t("window.settings.language"), func() { k.window.Canvas().Focus(s.language) })
	for _, c := range []*keyCheck{s.startAtLogin, s.notifications} {
		k.add(c.Text, func() {
			if !c.Disabled() {
				k.window.Canvas().Focus(c)
				c.SetChecked(!c.Checked)
			}
		})
	}
	s.language.Disable()
	s.startAtLogin.Disable()
	s.notifications.Disable()
	note := caption(e.t("window.settings.language_note"))
	s.status = wrapping("")
	s.status.Hide()

	s.source = richText()
	s.problems = container.NewVBox()
	s.secretBox = container.NewVBox()
	s.secretBox.Hide()
	s.fleetBox = container.NewVBox()
	s.fleetBox.Hide()

	content := container.NewVBox(
		heading(e.t("window.settings.language")),
		container.NewHBox(fixedWidth(300, s.language)),
		note,
		widget.NewSeparator(),
		heading(e.t("window.settings.behaviour")),
		s.startAtLogin,
		s.notifications,
		widget.NewSeparator(),
		heading(e.t("window.settings.profile")),
		s.source,
		s.problems,
		s.secretBox,
		s.fleetBox,
	)
	s.content = container.NewBorder(nil, container.NewPadded(container.NewVBox(s.status, k.hintLabel())), nil, nil,
		container.NewVScroll(container.NewPadded(content)))
	return s.content
}

// langName is what the language menu calls a language: each in its own words.
func (s *settings) langName(l string) string {
	if l == "" {
		return s.env.t("window.settings.lang_system")
	}
	return s.env.t("window.settings.lang_" + l)
}

func (s *settings) start() {
	e := s.env
	e.spawn(func() {
		st, err := e.agent.State(e.ctx)
		if err != nil {
			e.do(func() { s.showStatus(e.errorText(err), true) })
			return
		}
		l, err := e.agent.Profile(e.ctx)
		if err != nil {
			e.do(func() { s.showStatus(e.errorText(err), true) })
			return
		}
		e.do(func() { s.onLoaded(st, l) })
	})
}

// onLoaded shows the settings, the profile in use and anything wrong with the agent's own state.
func (s *settings) onLoaded(st agent.State, l profile.Loaded) {
	s.set(st.Settings)
	s.ready = true
	s.language.Enable()
	if !st.StartAtLoginManaged {
		s.startAtLogin.Enable()
	}
	s.notifications.Enable()
	s.showProfile(l)
	if l.Profile != nil && support.NeedsSecret(l.Profile.Request.Channel) {
		s.showSecret(l.Profile.Request.Channel)
	}
	s.showFleet(st.Fleet)
	switch {
	case len(st.Problems) > 0:
		s.showStatus(st.Problems[0].Text(s.env.tr), true)
	case s.env.local:
		s.showStatus(s.env.t("window.settings.no_agent"), false)
	case st.StartAtLoginManaged:
		s.showStatus(s.env.t(agent.KeyAutostartManaged), false)
	}
	s.content.Refresh()
}

// set puts saved settings into the controls without saving them again.
func (s *settings) set(v agent.Settings) {
	s.saved, s.wanted = v, v
	s.setting = true
	defer func() { s.setting = false }()
	for i, l := range s.langs {
		if l == v.Language {
			s.language.SetSelectedIndex(i)
		}
	}
	s.startAtLogin.SetChecked(v.StartAtLogin)
	s.notifications.SetChecked(v.Notifications)
}

func (s *settings) current() agent.Settings {
	v := s.saved
	if i := s.language.SelectedIndex(); i >= 0 {
		v.Language = s.langs[i]
	}
	v.StartAtLogin = s.startAtLogin.Checked
	v.Notifications = s.notifications.Checked
	return v
}

// onChanged saves a change the user made.
func (s *settings) onChanged() {
	if s.setting || !s.ready {
		return
	}
	want := s.current()
	if want == s.wanted {
		return
	}
	s.wanted = want
	seq := s.latest.Add(1)
	e := s.env
	e.spawn(func() {
		s.saveMu.Lock()
		defer s.saveMu.Unlock()
		if s.latest.Load() != seq {
			return // overtaken by a newer change
		}
		got, err := e.agent.SaveSettings(e.ctx, want)
		e.do(func() {
			if err == nil {
				s.saved = got
			}
			if s.latest.Load() != seq {
				return
			}
			if err != nil {
				s.set(s.saved)
				s.showStatus(e.errorText(err), true)
				return
			}
			s.set(got)
			if e.local {
				s.showStatus(e.t("window.settings.saved")+" "+e.t("window.settings.no_agent"), false)
			} else {
				s.showStatus(e.t("window.settings.saved"), false)
			}
		})
	})
}

func (s *settings) showStatus(text string, problem bool) {
	setNote(s.status, text, problem)
	s.status.Show()
	s.content.Refresh()
}

// showProfile says which profile is in use, where it is, and what is wrong with the files
// passed over.
func (s *settings) showProfile(l profile.Loaded) {
	e := s.env
	segs := []widget.RichTextSegment{
		block(e.t("window.settings.profile_in_use", "source", e.t("profile.source."+l.Source.Kind)), fyne.TextStyle{}),
	}
	if l.Source.Path != "" {
		segs = append(segs, block(l.Source.Path, fyne.TextStyle{Monospace: true}))
	}
	if l.Profile != nil && l.Profile.Organisation.Name != "" {
		segs = append(segs, block(e.t("window.settings.profile_org", "name", l.Profile.Organisation.Name), fyne.TextStyle{}))
	}
	s.source.Segments = segs
	s.source.Refresh()
	s.problems.RemoveAll()
	if len(l.Problems) == 0 {
		s.problems.Add(wrapping(e.t("window.settings.profile_ok")))
		return
	}
	s.problems.Add(wrapping(e.t("window.settings.profile_problems", "count", len(l.Problems))))
	for _, p := range l.Problems {
		loc, what := problemText(e, p)
		text := richText(block(loc, fyne.TextStyle{Monospace: true}), block(what, fyne.TextStyle{}))
		if loc == "" {
			text.Segments = text.Segments[1:]
		}
		s.problems.Add(container.NewBorder(nil, nil,
			container.NewVBox(widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))), nil, text))
	}
}

// problemText is one profile problem in the user's language: where it is ("file:line") and
// what is wrong ("key: message"), which together read "file:line: key: message".
func problemText(e *env, p profile.Problem) (loc, what string) {
	what = e.tr.Message(p.Message())
	if p.Key != "" {
		what = p.Key + ": " + what
	}
	loc = p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if loc != "" {
		loc += ":"
	}
	return loc, what
}

// showSecret adds the section for the channel's secret and asks the agent whether one is
// stored: without it the outbox cannot deliver, and the user would otherwise learn so only
// after sending.
func (s *settings) showSecret(channel string) {
	e := s.env
	s.secretChan = channel
	s.secretState = wrapping("")
	s.secretEntry = s.keys.password()
	s.secretEntry.SetPlaceHolder(e.t("window.settings.secret_placeholder_" + channel))
	s.secretSave = s.keys.button(e.t("window.settings.secret_save"), nil, s.onSaveSecret)
	s.keys.addButton(s.secretSave)
	s.secretSave.Disable()
	s.secretEntry.OnChanged = func(v string) {
		if v == "" {
			s.secretSave.Disable()
		} else {
			s.secretSave.Enable()
		}
	}
	s.secretEntry.OnSubmitted = func(string) { s.onSaveSecret() }
	s.secretBox.RemoveAll()
	s.secretBox.Add(widget.NewSeparator())
	s.secretBox.Add(heading(e.t("window.settings.secret_heading")))
	s.secretBox.Add(wrapping(e.t("window.settings.secret_about_" + channel)))
	s.secretBox.Add(s.secretState)
	s.secretBox.Add(container.NewBorder(nil, nil, nil, s.secretSave, s.secretEntry))
	s.secretBox.Show()
	e.spawn(func() {
		st, err := e.agent.RequestSecretStatus(e.ctx, channel)
		e.do(func() {
			if err != nil {
				s.showSecretState(e.errorText(err), true)
				return
			}
			s.onSecretStatus(st)
		})
	})
}

// onSecretStatus says whether the secret is stored, or why it cannot be.
func (s *settings) onSecretStatus(st agent.SecretStatus) {
	e := s.env
	switch {
	case st.Problem != nil:
		s.showSecretState(e.msg(*st.Problem), true)
	case st.Stored:
		s.showSecretState(e.t("window.settings.secret_stored"), false)
	default:
		s.showSecretState(e.t("window.settings.secret_missing"), true)
	}
}

func (s *settings) showSecretState(text string, problem bool) {
	setNote(s.secretState, text, problem)
	s.content.Refresh()
}

// onSaveSecret hands the typed secret to the agent's keyring. On success the entry is emptied
// so the secret stays nowhere in the window; on failure it keeps what was typed, to try again.
func (s *settings) onSaveSecret() {
	e := s.env
	secret, channel := s.secretEntry.Text, s.secretChan
	if secret == "" {
		return
	}
	s.secretSave.Disable()
	e.spawn(func() {
		st, err := e.agent.SetRequestSecret(e.ctx, channel, secret)
		e.do(func() {
			if err != nil {
				s.secretSave.Enable()
				s.showSecretState(e.errorText(err), true)
				return
			}
			s.secretEntry.SetText("")
			s.onSecretStatus(st)
		})
	})
}
