package support

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// NewRef returns a fresh request reference: 64 random bits in hex, the idempotency key.
func NewRef() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// maxURLText bounds the description a form address may carry before FillPortalURL fits it.
const maxURLText = 600

// PrepareOptions turn a draft into an Outgoing request.
type PrepareOptions struct {
	Draft   Draft
	Profile *profile.Profile
	// Channel overrides the profile's request.channel (the command line's --channel).
	Channel string
	// Bundle is attached when the draft asks for it; nil: none.
	Bundle *Bundle
	// Ref is the reference; default NewRef().
	Ref string
	// Identity is removed from the form address; default OSIdentity().
	Identity *Identity
	Now      time.Time
}

// ProblemError is an error with a message for the user.
type ProblemError struct {
	Message i18n.Message
	Err     error
}

func (e *ProblemError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Message.Key
}

func (e *ProblemError) Unwrap() error { return e.Err }

// Prepare fixes what will leave: the channel and its target, the full text, the redacted
// text for a form address, and the bundle. It refuses a draft that cannot be sent.
func Prepare(o PrepareOptions) (*Outgoing, error) {
	d := o.Draft
	if msg, ok := d.Validate(); !ok {
		return nil, &ProblemError{Message: msg, Err: fmt.Errorf("invalid draft: %s", msg.Key)}
	}
	p := o.Profile
	if p == nil {
		p = profile.Default()
	}
	channel := o.Channel
	if channel == "" {
		channel = p.Request.Channel
	}
	if channel == "" {
		channel = profile.ChannelPortal
	}
	m := &Outgoing{
		Ref: o.Ref, Channel: channel, Created: o.Now, Lang: d.Lang,
		Summary: strings.Join(strings.Fields(d.Summary), " "), Category: d.categoryOrOther(),
		Urgency: d.urgencyOrNormal(), Contact: d.Contact,
	}
	if m.Ref == "" {
		m.Ref = NewRef()
	}
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	m.Created = m.Created.UTC()
	need := ""
	switch channel {
	case profile.ChannelPortal:
		m.Target = p.Support.NewRequestURL
		if m.Target == "" {
			m.Target = p.Support.PortalURL
		}
	case profile.ChannelEmail:
		m.Target, need = p.Support.Email, "support.email"
	case profile.ChannelWebhook:
		m.Target, need = p.Request.Webhook.URL, "request.webhook.url"
	case profile.ChannelRT:
		m.Target, m.Queue, need = p.Request.RT.URL, p.Request.RT.Queue, "request.rt.url"
	default:
		return nil, &ProblemError{Message: i18n.Msg("outbox.error.unknown_channel", "channel", channel),
			Err: fmt.Errorf("unknown channel %q", channel)}
	}
	if need != "" && m.Target == "" {
		return nil, &ProblemError{Message: i18n.Msg("outbox.error.no_target", "channel", channel, "key", need),
			Err: fmt.Errorf("channel %s needs %s in the profile", channel, need)}
	}
	if d.Attach && o.Bundle != nil {
		m.BundleName, m.Bundle = o.Bundle.Name, o.Bundle.Data
	}
	m.Text = d.Text(TextOptions{Ref: m.Ref, BundleName: m.BundleName})
	if channel == profile.ChannelPortal {
		id := o.Identity
		if id == nil {
			osid := OSIdentity()
			id = &osid
		}
		opts, err := ProfileRedactOptions(p, *id, d.Contact.Name, d.Contact.Email, d.Contact.Phone)
		if err != nil {
			return nil, fmt.Errorf("prepare request: %w", err)
		}
		m.URLText = truncateRunes(NewRedactor(opts).String(strings.TrimSpace(d.Description)), maxURLText)
	}
	return m, nil
}

// NeedsSecret says whether a channel authenticates with a secret from the keyring.
func NeedsSecret(channel string) bool {
	return channel == profile.ChannelWebhook || channel == profile.ChannelRT
}

// Delivers says whether a channel delivers by itself (and so goes through the outbox's
// retries), rather than handing the request to the user's browser or mail program.
func Delivers(channel string) bool { return NeedsSecret(channel) }
