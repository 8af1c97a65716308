package diagnostics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

var pwNow = time.Date(2026, 12, 4, 9, 0, 0, 0, time.Local)

func pwCheck(st PasswordState, err error) *passwordCheck {
	return &passwordCheck{warnDays: 14, now: func() time.Time { return pwNow },
		state: func(context.Context) (PasswordState, error) { return st, err }}
}

// TestPasswordCheckSaysWhatStopsTheSignIn: a locked account and an expired password fail, the
// lock first; a password within password_warn_days warns with its days; a Kerberos ticket that
// ran out warns; the rest is OK; a system that tells nothing is a skip.
func TestPasswordCheckSaysWhatStopsTheSignIn(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		name    string
		st      PasswordState
		err     error
		status  Status
		reason  string
		key     string
		days    any
		details []string
	}{
		{"locked and expired", PasswordState{Source: PasswordSourceWindowsDomain, Locked: true, Expired: true}, nil,
			StatusFail, ReasonAccountLocked, "check.password.locked", nil, []string{DetailPasswordSource}},
		{"expired by the flag", PasswordState{Source: PasswordSourceChage, Expired: true}, nil,
			StatusFail, ReasonPasswordExpired, "check.password.expired", nil, []string{DetailPasswordSource}},
		{"expired by the date", PasswordState{Source: PasswordSourceChage, Expires: pwNow.Add(-time.Hour)}, nil,
			StatusFail, ReasonPasswordExpired, "check.password.expired", nil, []string{DetailPasswordExpires, DetailDaysLeft}},
		{"expires in five hours: 1 day", PasswordState{Source: PasswordSourceChage, Expires: pwNow.Add(5 * time.Hour)}, nil,
			StatusWarn, ReasonPasswordExpiring, "check.password.expiring", 1, []string{DetailPasswordExpires, DetailDaysLeft}},
		{"expires on the threshold's last day", PasswordState{Source: PasswordSourceWindowsLocal, Expires: pwNow.Add(14 * day)}, nil,
			StatusWarn, ReasonPasswordExpiring, "check.password.expiring", 14, nil},
		{"expiring outranks a dead ticket", PasswordState{Source: PasswordSourceChage, Expires: pwNow.Add(3 * day), TicketExpires: pwNow.Add(-time.Hour)}, nil,
			StatusWarn, ReasonPasswordExpiring, "check.password.expiring", 3, []string{DetailTicketExpires}},
		{"ticket ran out", PasswordState{Source: PasswordSourceChage, Never: true, TicketExpires: pwNow.Add(-2 * time.Hour)}, nil,
			StatusWarn, ReasonTicketExpired, "check.password.ticket_expired", nil, []string{DetailTicketExpires}},
		{"valid for weeks", PasswordState{Source: PasswordSourceWindowsDomain, Expires: pwNow.Add(40 * day)}, nil,
			StatusOK, "", "check.password.ok", 40, []string{DetailPasswordExpires, DetailDaysLeft}},
		{"never expires", PasswordState{Source: PasswordSourceChage, Never: true}, nil, StatusOK, "", "check.password.never", nil, nil},
		{"only a ticket", PasswordState{TicketExpires: pwNow.Add(8 * time.Hour)}, errors.New("chage: not in /etc/shadow"),
			StatusOK, "", "check.password.ticket_ok", nil, []string{DetailTicketExpires}},
		{"a ticket that ran out days ago is a leftover", PasswordState{Source: PasswordSourceChage, Never: true, TicketExpires: pwNow.Add(-3 * day)}, nil,
			StatusOK, "", "check.password.never", nil, nil},
		{"only a leftover ticket", PasswordState{TicketExpires: pwNow.Add(-3 * day)}, nil, StatusSkip, ReasonNoData, "check.password.unavailable", nil, nil},
		{"nothing", PasswordState{}, errors.New("no chage, no credential cache"), StatusSkip, ReasonNoData, "check.password.unavailable", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := pwCheck(tt.st, tt.err).Run(context.Background())
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s %q %s, want %s %q %s", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key)
			}
			if tt.days != nil && r.Message.Args["days"] != tt.days {
				t.Errorf("days %v, want %v", r.Message.Args["days"], tt.days)
			}
			for _, k := range tt.details {
				if _, ok := r.Details[k]; !ok {
					t.Errorf("detail %s missing: %v", k, r.Details)
				}
			}
			assertContract(t, r)
		})
	}
}

// TestTicketSentenceSaysWhen: the time the ticket ran out is written the way each language
// writes a time of day.
func TestTicketSentenceSaysWhen(t *testing.T) {
	r := pwCheck(PasswordState{TicketExpires: pwNow.Add(-90 * time.Minute)}, nil).Run(context.Background())
	for lang, want := range map[string]string{"fi": "vanheni klo\u00a07.30", "sv": "gick ut kl.\u00a07.30", "en": "ran out at 07:30"} {
		if got := i18n.New(lang).Message(r.Message); !strings.Contains(got, want) {
			t.Errorf("%s: %q does not say %q", lang, got, want)
		}
	}
}

// fakeNetAPI answers as netapi32 would for one account.
type fakeNetAPI struct {
	local       bool
	dc          string
	dcErr       error
	age         time.Duration
	flags       uint32
	max         time.Duration
	forever     bool
	askedServer []string
}

func (f *fakeNetAPI) account() (string, string, bool, error) {
	if f.local {
		return "LAPTOP-7", "maija", true, nil
	}
	return "AGENCY", "maija", false, nil
}
func (f *fakeNetAPI) domainController(domain string) (string, error) {
	if domain != "AGENCY" {
		return "", errors.New("wrong domain asked")
	}
	return f.dc, f.dcErr
}
func (f *fakeNetAPI) userInfo(server, user string) (time.Duration, uint32, error) {
	f.askedServer = append(f.askedServer, server)
	if user != "maija" {
		return 0, 0, errors.New("wrong user asked")
	}
	return f.age, f.flags, nil
}
func (f *fakeNetAPI) maxPasswordAge(server string) (time.Duration, bool, error) {
	f.askedServer = append(f.askedServer, server)
	return f.max, f.forever, nil
}

// TestNetAPIPasswordState: the expiry is the last change plus the domain's maximum age, both
// asked of the domain controller (of this computer for a local account); the account's flags say
// locked, disabled, expired or never expires.
func TestNetAPIPasswordState(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		name   string
		api    fakeNetAPI
		want   PasswordState
		server string
		err    bool
	}{
		{"domain account", fakeNetAPI{dc: `\\dc1`, age: 80 * day, max: 90 * day},
			PasswordState{Source: PasswordSourceWindowsDomain, Expires: pwNow.Add(10 * day)}, `\\dc1`, false},
		{"local account", fakeNetAPI{local: true, age: 10 * day, max: 42 * day},
			PasswordState{Source: PasswordSourceWindowsLocal, Expires: pwNow.Add(32 * day)}, "", false},
		{"locked out", fakeNetAPI{dc: `\\dc1`, flags: ufLockout, age: day, max: 90 * day},
			PasswordState{Source: PasswordSourceWindowsDomain, Locked: true, Expires: pwNow.Add(89 * day)}, `\\dc1`, false},
		{"disabled", fakeNetAPI{dc: `\\dc1`, flags: ufAccountDisable | ufDontExpirePasswd},
			PasswordState{Source: PasswordSourceWindowsDomain, Locked: true, Never: true}, `\\dc1`, false},
		{"expired flag", fakeNetAPI{dc: `\\dc1`, flags: ufPasswordExpired, age: 100 * day, max: 90 * day},
			PasswordState{Source: PasswordSourceWindowsDomain, Expired: true, Expires: pwNow.Add(-10 * day)}, `\\dc1`, false},
		{"policy without a maximum age", fakeNetAPI{dc: `\\dc1`, age: 400 * day, forever: true},
			PasswordState{Source: PasswordSourceWindowsDomain, Never: true}, `\\dc1`, false},
		{"no domain controller", fakeNetAPI{dcErr: errors.New("NERR_DCNotFound")}, PasswordState{}, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			api := tt.api
			got, err := netapiPasswordState(&api, pwNow)
			if (err != nil) != tt.err {
				t.Fatalf("err %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			for _, s := range api.askedServer {
				if s != tt.server {
					t.Errorf("asked %q, want %q", s, tt.server)
				}
			}
		})
	}
}
