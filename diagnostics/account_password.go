package diagnostics

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// passwordCheck reads when the user's password expires, and whether the account is locked,
// where the system tells an ordinary user. An expired password or a locked account stops every
// sign-in at once while the network works, which people report as "I can't sign in anywhere";
// a password about to expire is worth changing while the old one still works.
type passwordCheck struct {
	warnDays int
	now      func() time.Time
	state    func(ctx context.Context) (PasswordState, error)
}

// PasswordState is what the system tells about the user's password and sign-in.
type PasswordState struct {
	// Source is where the password's state was read (the PasswordSource* values); empty when
	// only a Kerberos ticket was found.
	Source string
	// Expires is when the password expires; zero when it never does or nobody said.
	Expires time.Time
	Never   bool // the password does not expire
	Expired bool // the system says the password has expired, or must be changed now
	Locked  bool // the account is locked, disabled or has expired
	// TicketExpires is when the user's Kerberos ticket-granting ticket runs out; zero when
	// there is none to read.
	TicketExpires time.Time
}

// known says whether the state holds anything at all.
func (s PasswordState) known() bool {
	return s.Source != "" || !s.TicketExpires.IsZero()
}

// staleTicket is how long ago a Kerberos ticket may have run out and still be the user's
// sign-in: the next sign-in to the computer gets a new one, so a ticket older than a day is a
// leftover of a kinit the user no longer relies on, not a fault.
const staleTicket = 24 * time.Hour

// String says what is known, for the check's log.
func (s PasswordState) String() string {
	var parts []string
	if s.Source != "" {
		parts = append(parts, "read from "+s.Source)
	}
	for _, f := range []struct {
		on   bool
		what string
	}{{s.Locked, "account locked"}, {s.Expired, "password expired"}, {s.Never, "password never expires"}} {
		if f.on {
			parts = append(parts, f.what)
		}
	}
	if !s.Expires.IsZero() {
		parts = append(parts, "password expires "+s.Expires.Format(time.RFC3339))
	}
	if !s.TicketExpires.IsZero() {
		parts = append(parts, "Kerberos ticket until "+s.TicketExpires.Format(time.RFC3339))
	}
	return strings.Join(parts, "; ")
}

func newPasswordCheck(p *profile.Profile) Check {
	return &passwordCheck{warnDays: p.Thresholds.PasswordWarnDays, now: time.Now, state: systemPasswordState}
}

func (c *passwordCheck) ID() string   { return IDAccountPassword }
func (c *passwordCheck) Group() Group { return GroupAccount }

func (c *passwordCheck) Run(ctx context.Context) Result {
	st, err := c.state(ctx)
	if err != nil {
		Logf(ctx, "reading the password's state: %v", err)
	}
	now := c.now()
	if t := st.TicketExpires; !t.IsZero() && now.Sub(t) > staleTicket {
		Logf(ctx, "the Kerberos ticket ran out at %v, long ago: not in use", t)
		st.TicketExpires = time.Time{}
	}
	if !st.known() {
		return Skip(i18n.Msg("check.password.unavailable")).Because(ReasonNoData)
	}
	Logf(ctx, "%s", st)
	r := c.judge(st, now)
	if st.Source != "" {
		r = r.Detail(DetailPasswordSource, st.Source)
	}
	if !st.Expires.IsZero() {
		r = r.Detail(DetailPasswordExpires, st.Expires.UTC().Format(time.RFC3339)).Detail(DetailDaysLeft, daysLeft(st.Expires, now))
	}
	if !st.TicketExpires.IsZero() {
		r = r.Detail(DetailTicketExpires, st.TicketExpires.UTC().Format(time.RFC3339))
	}
	return r
}

// judge turns the state into the result, the worst finding first: a locked account, an
// expired password, one about to expire, a sign-in ticket that ran out.
func (c *passwordCheck) judge(st PasswordState, now time.Time) Result {
	expired := st.Expired || (!st.Expires.IsZero() && !st.Expires.After(now))
	days := daysLeft(st.Expires, now)
	switch {
	case st.Locked:
		return Fail(i18n.Msg("check.password.locked")).Because(ReasonAccountLocked)
	case expired:
		return Fail(i18n.Msg("check.password.expired")).Because(ReasonPasswordExpired)
	case !st.Expires.IsZero() && c.warnDays > 0 && days <= c.warnDays:
		return Warn(i18n.Msg("check.password.expiring", "days", days)).Because(ReasonPasswordExpiring)
	case !st.TicketExpires.IsZero() && !st.TicketExpires.After(now):
		since := st.TicketExpires.Local()
		when := i18n.Each(func(l string) string { return i18n.FormatWhen(l, since, now) })
		return Warn(i18n.Msg("check.password.ticket_expired", "since", when)).Because(ReasonTicketExpired)
	case !st.Expires.IsZero():
		return OK(i18n.Msg("check.password.ok", "days", days))
	case st.Never:
		return OK(i18n.Msg("check.password.never"))
	}
	until := st.TicketExpires.Local()
	return OK(i18n.Msg("check.password.ticket_ok", "until", i18n.Each(func(l string) string { return i18n.FormatWhen(l, until, now) })))
}

// daysLeft is the whole days from now until t, counting a part of a day as one: a password
// that expires in five hours expires in 1 day, not in 0. Zero when t has passed.
func daysLeft(t, now time.Time) int {
	if t.IsZero() || !t.After(now) {
		return 0
	}
	return int(math.Ceil(t.Sub(now).Hours() / 24))
}
