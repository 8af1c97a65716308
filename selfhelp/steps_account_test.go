package selfhelp

import (
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

func password(st diagnostics.Status, reason, key string, kv ...any) diagnostics.Result {
	return check(diagnostics.IDAccountPassword, st, key, kv...).Because(reason)
}

// TestPasswordStepLeadsTheLadder: an expired password, or one about to expire, puts "change
// your password" first, its button on the profile's password page, else the instructions, else
// a note; other findings about the account add no such step.
func TestPasswordStepLeadsTheLadder(t *testing.T) {
	expired := password(diagnostics.StatusFail, diagnostics.ReasonPasswordExpired, "check.password.expired")
	expiring := password(diagnostics.StatusWarn, diagnostics.ReasonPasswordExpiring, "check.password.expiring", "days", 4).
		Detail(diagnostics.DetailDaysLeft, 4)
	withPasswordPage := with(func(p *profile.Profile) { p.Support.PasswordURL = "https://salasana.example.fi/" })
	noPages := with(func(p *profile.Profile) { p.Support.InstructionsURL = "" })
	for _, tt := range []struct {
		name   string
		r      diagnostics.Result
		p      *profile.Profile
		why    i18n.Message
		action actionView
		note   bool
		noStep bool
	}{
		{"expired, to the password page", expired, withPasswordPage, i18n.Msg("selfhelp.why.password_expired"),
			actionView{Kind: ActionOpenURL, Label: "selfhelp.action.change_password", URL: "https://salasana.example.fi/"}, false, false},
		{"expiring, to the instructions", expiring, orgProfile(), i18n.Msg("selfhelp.why.password_expiring", "days", 4),
			actionView{Kind: ActionOpenURL, Label: "selfhelp.action.open_instructions", URL: "https://top.example.fi/ohjeet"}, false, false},
		{"expired, no page at all", expired, noPages, i18n.Msg("selfhelp.why.password_expired"), noAction, true, false},
		{"locked: no password step", password(diagnostics.StatusFail, diagnostics.ReasonAccountLocked, "check.password.locked"), withPasswordPage,
			i18n.Message{}, noAction, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := report(tt.r)
			if rep.Verdict.Cause != diagnostics.CauseAccount {
				t.Fatalf("verdict %s", rep.Verdict.Cause)
			}
			steps := Ladder(rep, tt.p)
			checkInvariants(t, steps)
			if tt.noStep {
				for _, s := range steps {
					if s.ID == StepChangePassword {
						t.Errorf("a password step for a locked account: %+v", s)
					}
				}
				return
			}
			s := steps[0]
			if s.ID != StepChangePassword || s.Score != scoreCause {
				t.Fatalf("first step %s (%d), ladder %q", s.ID, s.Score, keys(steps, true))
			}
			if s.Why.Key != tt.why.Key || s.Why.Args["days"] != tt.why.Args["days"] {
				t.Errorf("why %+v, want %+v", s.Why, tt.why)
			}
			if got := viewAction(s.Action); got != tt.action {
				t.Errorf("action %+v, want %+v", got, tt.action)
			}
			if (s.Note != nil) != tt.note {
				t.Errorf("note %v", s.Note)
			}
		})
	}
}

// TestExpiredVPNCertificateLeadsToSupport: the VPN is down because its certificate has expired:
// reconnecting and restarting cannot help, so the support request leads with the reason; without
// a way to make one, the phone does.
func TestExpiredVPNCertificateLeadsToSupport(t *testing.T) {
	tunnel := check(diagnostics.IDVPNTunnel, diagnostics.StatusFail, "check.vpn_tunnel.down").Because(diagnostics.ReasonVPNDown)
	certs := check(diagnostics.IDAccountCertificates, diagnostics.StatusFail, "check.certificates.expired", "connection", "Work VPN").
		Because(diagnostics.ReasonCertExpired).
		Detail(diagnostics.DetailCertificates, []any{map[string]any{"connection": "Work VPN", "use": "vpn", "not_after": "2026-12-01T00:00:00Z", "days_left": 0}})
	rep := report(tunnel, certs)
	if !rep.Verdict.AboutUserCertificate() || rep.Verdict.Cause != diagnostics.CauseVPNDown {
		t.Fatalf("verdict %s %s", rep.Verdict.Cause, rep.Verdict.Message.Key)
	}
	steps := Ladder(rep, orgProfile())
	checkInvariants(t, steps)
	if steps[0].ID != StepRequest || steps[0].Why.Key != "selfhelp.why.request_user_certificate" {
		t.Errorf("first %s %s, ladder %q", steps[0].ID, steps[0].Why.Key, keys(steps, true))
	}
	for _, s := range steps {
		if s.ID == StepReconnectVPN || (s.ID == StepRestart && s.Recommended) {
			t.Errorf("%s still recommended: %+v", s.ID, s)
		}
	}
	noRequest := with(func(p *profile.Profile) {
		p.Support.PortalURL, p.Support.NewRequestURL, p.Support.Email, p.Request.Channel = "", "", "", profile.ChannelPortal
	})
	steps = Ladder(rep, noRequest)
	if steps[0].ID != StepCall {
		t.Errorf("without requests: first %s, ladder %q", steps[0].ID, keys(steps, true))
	}
	// The same VPN down without the certificate keeps its own ladder.
	if steps := Ladder(report(tunnel), orgProfile()); steps[0].ID != StepReconnectVPN {
		t.Errorf("plain vpn_down: first %s", steps[0].ID)
	}
}
