package support

import (
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

func TestNewDraft(t *testing.T) {
	id := testIdentity()
	since := time.Date(2026, 11, 25, 8, 30, 0, 0, time.Local)
	tests := []struct {
		name     string
		opts     DraftOptions
		summary  string
		category string
		contains []string
	}{
		{"service down, in Finnish", DraftOptions{Report: normalReport(), Lang: "fi", Since: since,
			Tried: []string{"Kirjauduin ulos ja takaisin sisään."}},
			"Intranet ei toimi", CategoryService,
			[]string{"Mitä tapahtui:", "palvelu Intranet", "Mistä lähtien:", "25.11.2026 klo\u00a08.30", "- Kirjauduin ulos"}},
		{"no report yet, in Swedish", DraftOptions{Lang: "sv"}, "Problem med en tjänst eller ett program", CategoryOther,
			[]string{"Vad hände:", "(fyll i här)", "- inget ännu"}},
		{"VPN down, in English", DraftOptions{Lang: "en", Report: reportWith(diagnostics.IDVPNTunnel, diagnostics.GroupVPN)},
			"The secure remote access (VPN) is not connected", CategoryVPN, []string{"What I have already tried:"}},
		{"a certificate about to expire, in Finnish", DraftOptions{Report: certificateReport(), Lang: "fi"},
			"Palvelun Intranet varmenne on uusittava", CategoryNetwork, []string{"Mitä tapahtui:"}},
		{"a certificate about to expire, in Swedish", DraftOptions{Report: certificateReport(), Lang: "sv"},
			"Säkerhetscertifikatet för Intranet måste förnyas", CategoryNetwork, []string{"Vad hände:"}},
		{"service down during a known disruption, in Finnish", DraftOptions{Report: knownReport(), Lang: "fi"},
			"Intranet ei toimi", CategoryService,
			[]string{"palvelu Intranet", "Tiedossa oleva häiriö: Intranet katkeilee https://status.example.org/i/9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Identity = &id
			tc.opts.Contact = Contact{Email: "matti@example.org"}
			d := NewDraft(tc.opts)
			if !strings.Contains(d.Summary, tc.summary) {
				t.Errorf("summary %q lacks %q", d.Summary, tc.summary)
			}
			if d.Category != tc.category {
				t.Errorf("category %s, want %s", d.Category, tc.category)
			}
			for _, s := range tc.contains {
				if !strings.Contains(d.Description, s) {
					t.Errorf("description lacks %q:\n%s", s, d.Description)
				}
			}
			if d.Contact.Name != "Matti Meikäläinen" || d.Contact.Email != "matti@example.org" {
				t.Errorf("contact %+v: the name comes from the account, the e-mail is remembered", d.Contact)
			}
			if d.Attach != (tc.opts.Report != nil) || d.Urgency != UrgencyNormal {
				t.Errorf("attach %v urgency %s", d.Attach, d.Urgency)
			}
		})
	}
}

// knownReport is normalReport explained by a bulletin about the intranet.
func knownReport() *diagnostics.Report {
	r := normalReport()
	r.NoteDisruptions([]diagnostics.Disruption{{Title: "Intranet katkeilee", URL: "https://status.example.org/i/9"}}, nil)
	return r
}

// certificateReport: the intranet's certificate expires in 4 days, as the service check says it.
func certificateReport() *diagnostics.Report {
	checks := []diagnostics.Result{{ID: diagnostics.ServicePrefix + "intra", Group: diagnostics.GroupService,
		Status: diagnostics.StatusWarn, Reason: diagnostics.ReasonCertExpiring, Title: map[string]string{"fi": "Intranet", "sv": "Intranet", "en": "Intranet"},
		Message: i18n.Msg("check.service.cert_expiring", "service", "Intranet", "days", 4)}}
	return &diagnostics.Report{Checks: checks, Verdict: diagnostics.Decide(checks)}
}

func reportWith(id string, g diagnostics.Group) *diagnostics.Report {
	checks := []diagnostics.Result{{ID: id, Group: g, Status: diagnostics.StatusFail, Message: i18n.Msg("check.timeout", "seconds", 2)}}
	return &diagnostics.Report{Checks: checks, Verdict: diagnostics.Decide(checks)}
}

func TestEverySummaryAndCategoryIsTranslated(t *testing.T) {
	for _, lang := range i18n.Languages {
		tr := i18n.New(lang)
		for _, c := range diagnostics.Causes {
			if got := tr.F("draft.summary."+string(c), "service", "x"); strings.HasPrefix(got, "draft.") {
				t.Errorf("%s: no summary for %s", lang, c)
			}
			if _, ok := categoryOf[c]; !ok {
				t.Errorf("cause %s has no category", c)
			}
		}
		for _, c := range Categories {
			if got := CategoryLabel(lang, c); strings.HasPrefix(got, "draft.") {
				t.Errorf("%s: no label for %s", lang, c)
			}
		}
		for _, s := range []State{StateQueued, StateSending, StateWaiting, StateNeedsCredentials, StateFailed, StateSent, StateHandedOver} {
			if got := tr.T("outbox.state."+string(s), nil); strings.HasPrefix(got, "outbox.") {
				t.Errorf("%s: no text for state %s", lang, s)
			}
		}
		for _, ch := range profile.Channels {
			if got := tr.T("outbox.channel."+ch, nil); strings.HasPrefix(got, "outbox.") {
				t.Errorf("%s: no name for channel %s", lang, ch)
			}
		}
	}
}

func TestUrgencyRule(t *testing.T) {
	withPhone := testProfile()
	noHours := testProfile()
	noHours.Support.PhoneHours = ""
	tests := []struct {
		name string
		p    *profile.Profile
		u    Urgency
		key  string
		text string
	}{
		{"not urgent", withPhone, UrgencyNormal, "draft.rule.normal", "vuorollaan"},
		{"urgent with phone and hours", withPhone, UrgencyUrgent, "draft.rule.urgent_phone_hours", "0295 000 000 (Mon–Fri 8–16)"},
		{"urgent with phone only", noHours, UrgencyUrgent, "draft.rule.urgent_phone", "0295 000 000"},
		{"urgent, no profile phone", profile.Default(), UrgencyUrgent, "draft.rule.urgent_intranet", "intranetissä"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := UrgencyRule(tc.p, tc.u)
			if m.Key != tc.key {
				t.Fatalf("key %s, want %s", m.Key, tc.key)
			}
			if got := i18n.New("fi").Message(m); !strings.Contains(got, tc.text) || !strings.Contains(got, "arvioida") && tc.u == UrgencyUrgent {
				t.Errorf("text %q", got)
			}
		})
	}
}

func TestDraftText(t *testing.T) {
	d := Draft{Summary: "  VPN ei toimi ", Description: "Kuvaus.", Category: CategoryVPN, Urgency: UrgencyUrgent, Lang: "fi",
		Contact: Contact{Name: "Matti Meikäläinen", Email: "matti@example.org", Phone: "040 123 4567"}}
	text := d.Text(TextOptions{Ref: "0123456789abcdef", BundleName: "b.zip", Version: "1.0"})
	for _, want := range []string{"VPN ei toimi\n\nKuvaus.\n", "Luokka: Turvallinen etäyhteys (VPN)", "Kiireellinen",
		"Yhteystiedot: Matti Meikäläinen, matti@example.org, 040 123 4567", "Liite: b.zip", "Viite: apuri:0123456789abcdef", "versio 1.0"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

func TestDraftValidate(t *testing.T) {
	ok := Draft{Summary: "x", Urgency: UrgencyNormal}
	tests := []struct {
		name string
		d    Draft
		key  string
	}{
		{"fine", ok, ""},
		{"no summary", Draft{Summary: "  ", Urgency: UrgencyNormal}, "draft.error.no_summary"},
		{"long summary", Draft{Summary: strings.Repeat("x", 300), Urgency: UrgencyNormal}, "draft.error.summary_long"},
		{"long description", Draft{Summary: "x", Description: strings.Repeat("x", 30000), Urgency: UrgencyNormal}, "draft.error.description_long"},
		{"bad urgency", Draft{Summary: "x", Urgency: "asap"}, "draft.error.urgency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, valid := tc.d.Validate()
			if valid != (tc.key == "") || m.Key != tc.key {
				t.Errorf("Validate = %v %q, want %q", valid, m.Key, tc.key)
			}
		})
	}
}

func TestStoreKeepsDraftAndContact(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if _, ok := s.LoadDraft(); ok {
		t.Fatal("a draft out of nowhere")
	}
	d := Draft{Summary: "x", Description: "y", Urgency: UrgencyUrgent, Contact: Contact{Email: "a@b.fi"}}
	if err := s.SaveDraft(d); err != nil {
		t.Fatal(err)
	}
	got, ok := s.LoadDraft()
	if !ok || got.Summary != "x" || got.Urgency != UrgencyUrgent {
		t.Errorf("loaded %+v", got)
	}
	if err := s.DeleteDraft(); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.LoadDraft(); ok || s.DeleteDraft() != nil {
		t.Error("the draft survived its deletion")
	}
	s.SaveContact(Contact{Email: "a@b.fi", Phone: "040"})
	if c := s.LoadContact(); c.Email != "a@b.fi" || c.Phone != "040" {
		t.Errorf("contact %+v", c)
	}
}

func TestPrepare(t *testing.T) {
	p := testProfile()
	d := Draft{Summary: "VPN\nei toimi", Urgency: UrgencyNormal, Lang: "en", Attach: true, Category: CategoryVPN}
	b := &Bundle{Name: "b.zip", Data: []byte("z")}
	tests := []struct {
		name    string
		channel string
		mutate  func(*profile.Profile)
		target  string
		errKey  string
	}{
		{"portal uses the form template", "portal", nil, p.Support.NewRequestURL, ""},
		{"portal falls back to the portal", "portal", func(p *profile.Profile) { p.Support.NewRequestURL = "" }, p.Support.PortalURL, ""},
		{"email", "email", nil, "support@example.org", ""},
		{"webhook needs its URL", "webhook", nil, "", "outbox.error.no_target"},
		{"rt", "rt", func(p *profile.Profile) { p.Request.RT = profile.RTCfg{URL: "https://rt.example.org/", Queue: "Q"} }, "https://rt.example.org/", ""},
		{"unknown channel", "fax", nil, "", "outbox.error.unknown_channel"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pp := *testProfile()
			if tc.mutate != nil {
				tc.mutate(&pp)
			}
			id := testIdentity()
			m, err := Prepare(PrepareOptions{Draft: d, Profile: &pp, Channel: tc.channel, Bundle: b, Identity: &id, Now: fixedNow})
			if tc.errKey != "" {
				pe, ok := err.(*ProblemError)
				if !ok || pe.Message.Key != tc.errKey {
					t.Fatalf("err %v, want %s", err, tc.errKey)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Target != tc.target || m.Summary != "VPN ei toimi" || m.BundleName != "b.zip" || !validRef(m.Ref) {
				t.Errorf("outgoing %+v", m)
			}
			if !strings.Contains(m.Text, RefTag(m.Ref)) {
				t.Error("the text carries no reference")
			}
		})
	}
}
