package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/demo"
	"github.com/apuri-project/apuri/support"
)

// testDraft is the draft the agent wrote from a diagnosis that found the VPN down.
func testDraft() agent.DraftInfo {
	return agent.DraftInfo{
		Draft: support.Draft{
			Summary:     "The secure remote access (VPN) is not connected",
			Description: "What happened:\n(please fill in)\n\nSince when:\n08:02\n\nWhat I have already tried:\n- nothing yet",
			Category:    support.CategoryVPN, Urgency: support.UrgencyNormal,
			Contact: support.Contact{Name: "Maija Meikäläinen", Email: "maija@example.org"},
			Attach:  true, Cause: diagnostics.CauseVPNDown, Lang: "en", Created: demo.StartedAt,
		},
		Rule:       i18n.Msg("draft.rule.normal"),
		Categories: support.Categories, Channel: "rt", Phone: "0295 000 000", PhoneHours: "8–16",
		FeedbackDays: 5,
	}
}

// testOutbox has one request waiting and one sent, whose solution can still be rejected.
func testOutbox() agent.OutboxList {
	return agent.OutboxList{
		Pending: []support.Entry{{
			Ref: "APU-2", Channel: "rt", Summary: "No connection to the internet", Created: demo.StartedAt,
			State: support.StateWaiting, Error: &i18n.Message{Key: "outbox.error.offline", Args: map[string]any{"host": "rt.example.org"}},
		}},
		History: []support.Entry{{
			Ref: "APU-1", Channel: "rt", Summary: "Tokka does not work", Created: demo.StartedAt.Add(-48 * time.Hour),
			State: support.StateSent, SentAt: demo.StartedAt.Add(-48 * time.Hour), FeedbackDays: 5,
			Receipt: &support.Receipt{Ticket: "4711", Link: "https://rt.example.org/Ticket/Display.html?id=4711"},
			Rule:    &i18n.Message{Key: "outbox.history.can_reject", Args: map[string]any{"date": i18n.Localized{"fi": "28.11.2026", "sv": "28.11.2026", "en": "28\u00a0Nov\u00a02026"}}},
		}},
	}
}

// showRequest opens the request window on the fakes and lets it load.
func showRequest(t *testing.T, lang string) (*harness, *request) {
	t.Helper()
	h := newHarness(t, lang)
	h.agent.draft = testDraft()
	h.agent.outbox = testOutbox()
	r := newRequest(h.env, h.window)
	h.show(r)
	r.start()
	h.pump()
	return h, r
}

func TestRequestGolden(t *testing.T) {
	for _, lang := range []string{"en", "fi", "sv"} {
		t.Run(lang, func(t *testing.T) {
			h, _ := showRequest(t, lang)
			test.AssertRendersToMarkup(t, "request_"+lang+".xml", h.window.Canvas())
			if len(h.agent.drafts) != 0 || len(h.agent.submitted) != 0 {
				t.Errorf("opening the window saved %d drafts and sent %d requests, want none", len(h.agent.drafts), len(h.agent.submitted))
			}
		})
	}
}

// TestRequestEditsAreSaved: every change the user makes reaches the agent, so closing the
// window loses nothing; nothing is sent by editing.
func TestRequestEditsAreSaved(t *testing.T) {
	h, r := showRequest(t, "en")
	test.Type(r.description, "The VPN drops every hour. ")
	r.urgency.SetSelected(r.urgency.Options[1])
	r.phone.SetText("040 123 4567")
	h.pump()
	if len(h.agent.drafts) == 0 {
		t.Fatal("no draft saved")
	}
	last := h.agent.drafts[len(h.agent.drafts)-1]
	if !strings.HasPrefix(last.Description, "The VPN drops every hour.") || last.Urgency != support.UrgencyUrgent ||
		last.Contact.Phone != "040 123 4567" || last.Category != support.CategoryVPN || last.Summary != testDraft().Draft.Summary {
		t.Errorf("saved %+v", last)
	}
	if len(h.agent.submitted) != 0 {
		t.Errorf("%d requests sent by editing", len(h.agent.submitted))
	}
}

func TestRequestSend(t *testing.T) {
	tests := []struct {
		name    string
		preview bool
		result  agent.SubmitResult
		status  string
		link    bool
	}{
		{
			name: "sent with a ticket", preview: true,
			result: agent.SubmitResult{Entry: support.Entry{Ref: "APU-3", State: support.StateSent,
				Receipt: &support.Receipt{Ticket: "4712", Link: "https://rt.example.org/Ticket/Display.html?id=4712"}}},
			status: "Sent: ticket 4712", link: true,
		},
		{
			name:   "queued in the outbox",
			result: agent.SubmitResult{Entry: support.Entry{Ref: "APU-3", State: support.StateWaiting}, Pending: true},
			status: "Not sent yet: Apuri tries again when the connection works",
		},
		{
			name: "needs credentials",
			result: agent.SubmitResult{Entry: support.Entry{Ref: "APU-3", State: support.StateNeedsCredentials,
				Error: &i18n.Message{Key: "outbox.error.no_token", Args: map[string]any{"host": "rt.example.org"}}}},
			status: "Not sent: the sign-in details for user support's system are missing or wrong — No sign-in details for rt.example.org",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, r := showRequest(t, "en")
			h.agent.preview = agent.Preview{ID: "p1", Ref: "APU-3", Channel: "rt", Target: "rt.example.org", Text: "the text",
				Bundle: &support.Bundle{Name: "apuri-diagnostics.zip", Files: []support.BundleFile{{Name: "report.json", Size: 2048, Redactions: map[string]int{"email": 2}}}}}
			h.agent.submit = tt.result
			want := "p1"
			if tt.preview {
				h.tap("Preview")
				h.pump()
				if len(h.agent.submitted) != 0 {
					t.Fatal("the preview sent the request")
				}
			} else {
				want = ""
			}
			h.tap("Send")
			h.pump()
			if len(h.agent.submitted) != 1 {
				t.Fatalf("%d requests sent, want 1", len(h.agent.submitted))
			}
			if got := h.agent.submitted[0]; got.PreviewID != want || got.Draft.Summary != testDraft().Draft.Summary {
				t.Errorf("sent %+v, want preview %q", got, want)
			}
			if !strings.HasPrefix(r.status.Text, tt.status) {
				t.Errorf("status %q, want %q", r.status.Text, tt.status)
			}
			if r.link.Visible() != tt.link {
				t.Errorf("ticket link shown %v, want %v", r.link.Visible(), tt.link)
			}
		})
	}
}

// TestRequestPreviewShowsWhatLeaves: the preview lists the text and each file with what was
// removed from it.
func TestRequestPreviewShowsWhatLeaves(t *testing.T) {
	h, _ := showRequest(t, "en")
	h.agent.preview = agent.Preview{ID: "p1", Channel: "rt", Target: "rt.example.org", Text: "Summary: the VPN",
		Bundle: &support.Bundle{Name: "apuri-diagnostics.zip", Redactions: map[string]int{"email": 2, "ip": 3},
			Files: []support.BundleFile{{Name: "report.json", Size: 2048, Redactions: map[string]int{"email": 2}}, {Name: "MANIFEST", Size: 300}}}}
	h.tap("Preview")
	h.pump()
	texts := h.texts()
	for _, want := range []string{"Summary: the VPN", "report.json — 2.0\u00a0kB — removed: e-mail addresses (2)", "MANIFEST — 0.3\u00a0kB", "Removed from the attachment in all: e-mail addresses (2), IP addresses (3)"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no %q in the preview: %q", want, texts)
		}
	}
}

func TestRequestErrorsKeepWhatWasWritten(t *testing.T) {
	h, r := showRequest(t, "en")
	r.summary.SetText("My own summary")
	h.pump()
	h.agent.err = errAgentDown
	h.tap("Send")
	h.pump()
	if r.summary.Text != "My own summary" {
		t.Errorf("summary %q after a failed send", r.summary.Text)
	}
	if r.send.Disabled() {
		t.Error("Send stays disabled after a failed send")
	}
	if !slices.ContainsFunc(h.texts(), func(s string) bool { return strings.HasPrefix(s, "The request was not sent: Apuri is not running") }) {
		t.Errorf("no translated error among %q", h.texts())
	}
	r.summary.SetText("My own summary, again")
	h.pump()
	if !strings.HasPrefix(r.notice.Text, "The draft could not be saved") {
		t.Errorf("notice %q after a failed save", r.notice.Text)
	}
}

func TestRequestWithoutAgentStillEditable(t *testing.T) {
	h := newHarness(t, "fi")
	h.agent.err = errAgentDown
	r := newRequest(h.env, h.window)
	h.show(r)
	r.start()
	h.pump()
	if !strings.HasPrefix(r.notice.Text, "Tallennettua luonnosta ei voitu ladata") {
		t.Errorf("notice %q", r.notice.Text)
	}
	if r.summary.Disabled() {
		t.Error("the form is disabled")
	}
}

func TestRequestNeedsASummary(t *testing.T) {
	h, r := showRequest(t, "en")
	r.summary.SetText("")
	h.tap("Send")
	h.pump()
	if len(h.agent.submitted) != 0 {
		t.Error("sent without a summary")
	}
	if r.notice.Text != "Write a short summary of the problem." {
		t.Errorf("notice %q", r.notice.Text)
	}
}

// TestRequestNeedsCredentialsOpensSettings: a request waiting for the channel's sign-in
// details offers the settings window, where they are set.
func TestRequestNeedsCredentialsOpensSettings(t *testing.T) {
	h, r := showRequest(t, "en")
	if r.toSettings.Visible() {
		t.Fatal("settings offered before anything was sent")
	}
	h.agent.submit = agent.SubmitResult{Entry: support.Entry{Ref: "APU-3", State: support.StateNeedsCredentials,
		Error: &i18n.Message{Key: "outbox.error.no_token", Args: map[string]any{"host": "rt.example.org"}}}}
	h.tap("Send")
	h.pump()
	if !r.toSettings.Visible() {
		t.Fatal("no way to the settings while the request waits for credentials")
	}
	test.Tap(r.toSettings)
	h.pump()
	if !slices.Equal(h.agent.opened, []string{WindowSettings}) {
		t.Errorf("opened %q, want the settings", h.agent.opened)
	}
}

// TestRequestKnownDisruption: when support already knows the disruption behind the problem,
// the window says so above the form, with the bulletin, before the user writes anything.
func TestRequestKnownDisruption(t *testing.T) {
	h := newHarness(t, "en")
	h.agent.draft = testDraft()
	h.agent.draft.Known = demo.ServiceDownKnown().Verdict.Disruption
	h.agent.outbox = testOutbox()
	r := newRequest(h.env, h.window)
	h.show(r)
	r.start()
	h.pump()
	test.AssertRendersToMarkup(t, "request_known_en.xml", h.window.Canvas())
	if !r.known.Visible() {
		t.Fatal("the known disruption is not shown")
	}
	text := r.known.String()
	for _, want := range []string{"Known disruption: Tokka answers slowly or with errors", "Read the bulletin", "no need to make a support request"} {
		if !strings.Contains(text, want) {
			t.Errorf("the note lacks %q: %q", want, text)
		}
	}
}

// TestRequestStuckCanBeRetriedOrDiscarded: a request that waits for the user — refused, or
// stored in a form the agent could not read — says why and offers "Try again" and "Discard";
// discarding asks first. A request that waits for the connection offers neither.
func TestRequestStuckCanBeRetriedOrDiscarded(t *testing.T) {
	h := newHarness(t, "en")
	h.agent.draft = testDraft()
	h.agent.outbox = agent.OutboxList{Pending: []support.Entry{
		{Ref: "APU-7", Channel: "rt", Summary: "Printer jams", Created: demo.StartedAt, State: support.StateFailed, Damaged: true,
			Error: &i18n.Message{Key: "outbox.error.damaged", Args: map[string]any{"error": "unexpected end of JSON input"}}},
	}}
	r := newRequest(h.env, h.window)
	h.show(r)
	r.start()
	h.pump()
	if !strings.Contains(strings.Join(h.texts(), "\n"), "unexpected end of JSON input") {
		t.Errorf("the damaged request does not say why:\n%s", strings.Join(h.texts(), "\n"))
	}
	h.tap("Try again")
	h.pump()
	if !slices.Equal(h.agent.retried, []string{"APU-7"}) {
		t.Errorf("retried %v, want [APU-7]", h.agent.retried)
	}
	h.tap("Discard…")
	h.pump()
	if len(h.agent.discarded) != 0 {
		t.Fatal("discarded before the user confirmed")
	}
	h.tap("Yes")
	h.pump()
	if !slices.Equal(h.agent.discarded, []string{"APU-7"}) {
		t.Errorf("discarded %v, want [APU-7]", h.agent.discarded)
	}

	h.agent.outbox = testOutbox() // one waiting for the connection, one sent
	r.loadOutbox()
	h.pump()
	if h.button("Try again") != nil || h.button("Discard…") != nil {
		t.Error("a request waiting for the connection, or a sent one, offers Try again or Discard")
	}
}
