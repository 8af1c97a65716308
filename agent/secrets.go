package agent

import (
	"errors"
	"net/url"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

// The channels' secrets: whether a webhook or RT channel can authenticate, and storing its
// token in the keyring.

// secretTarget is the address a channel's secret belongs to in the profile in use.
func (r *requests) secretTarget(channel string) string {
	p := r.a.Profile().Profile
	switch channel {
	case profile.ChannelWebhook:
		return p.Request.Webhook.URL
	case profile.ChannelRT:
		return p.Request.RT.URL
	}
	return ""
}

func (r *requests) secretStatus(channel string) SecretStatus {
	st := SecretStatus{Channel: channel, Needed: support.NeedsSecret(channel)}
	if !st.Needed {
		return st
	}
	target := r.secretTarget(channel)
	if target == "" {
		m := i18n.Msg("outbox.error.no_target", "channel", channel, "key", "request."+channel+".url")
		st.Problem = &m
		return st
	}
	_, err := r.cfg.Secrets.Get(support.SecretAccount(channel, target))
	switch {
	case err == nil:
		st.Stored = true
	case errors.Is(err, support.ErrNoSecret):
	default:
		m := i18n.Msg("outbox.error.no_keyring", "host", hostOf(target))
		st.Problem = &m
	}
	return st
}

// RequestSecretStatus says whether channel has its secret in the keyring.
func (a *Agent) RequestSecretStatus(channel string) (SecretStatus, error) {
	if err := a.requests.available(); err != nil {
		return SecretStatus{}, err
	}
	if !knownChannel(channel) {
		return SecretStatus{}, newProblem(KeyRequestChannel, "channel", channel)
	}
	return a.requests.secretStatus(channel), nil
}

// SetRequestSecret stores channel's token or credentials in the keyring for the profile's
// address, then sends the requests that waited for them. An empty secret removes it.
func (a *Agent) SetRequestSecret(channel, secret string) (SecretStatus, error) {
	r := a.requests
	if err := r.available(); err != nil {
		return SecretStatus{}, err
	}
	if !support.NeedsSecret(channel) {
		return SecretStatus{}, newProblem(KeyRequestChannel, "channel", channel)
	}
	target := r.secretTarget(channel)
	if target == "" {
		return SecretStatus{}, messageProblem(i18n.Msg("outbox.error.no_target", "channel", channel,
			"key", "request."+channel+".url"))
	}
	account := support.SecretAccount(channel, target)
	var err error
	if secret == "" {
		err = r.cfg.Secrets.Delete(account)
	} else {
		err = r.cfg.Secrets.Set(account, secret)
	}
	if err != nil {
		if errors.Is(err, support.ErrNoKeyring) {
			return SecretStatus{}, messageProblem(i18n.Msg("outbox.error.no_keyring", "host", hostOf(target)))
		}
		return SecretStatus{}, newProblem(KeyRequestStore, "error", err.Error())
	}
	r.outbox.CredentialsChanged(channel)
	r.kick(false)
	return r.secretStatus(channel), nil
}

func knownChannel(c string) bool {
	for _, k := range profile.Channels {
		if k == c {
			return true
		}
	}
	return false
}

// hostOf is the host of an address, for messages.
func hostOf(target string) string {
	if u, err := url.Parse(target); err == nil && u.Host != "" {
		return u.Host
	}
	return target
}
