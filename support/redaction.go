package support

import (
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support/redact"
)

// The redactor lives in support/redact; these names keep support's API for its callers.
type (
	// Identity is what identifies the user and the computer, redacted wherever it appears.
	Identity = redact.Identity
	// Redactor removes personal data and secrets from the texts of one bundle.
	Redactor = redact.Redactor
	// RedactOptions configure a Redactor.
	RedactOptions = redact.Options
)

// Kinds of redaction, as the MANIFEST counts them.
const (
	RedactPrivateKey   = redact.KindPrivateKey
	RedactJWT          = redact.KindJWT
	RedactURLCreds     = redact.KindURLCreds
	RedactToken        = redact.KindToken
	RedactCookie       = redact.KindCookie
	RedactSecret       = redact.KindSecret
	RedactEmail        = redact.KindEmail
	RedactPersonalID   = redact.KindPersonalID
	RedactPhone        = redact.KindPhone
	RedactIBAN         = redact.KindIBAN
	RedactUserName     = redact.KindUserName
	RedactUserPath     = redact.KindUserPath
	RedactMAC          = redact.KindMAC
	RedactSSID         = redact.KindSSID
	RedactIP           = redact.KindIP
	RedactHost         = redact.KindHost
	RedactOrganisation = redact.KindOrganisation
)

// RedactKinds lists every kind of redaction.
var RedactKinds = redact.Kinds

// NewRedactor returns a redactor with an empty pseudonym table.
func NewRedactor(opts RedactOptions) *Redactor { return redact.New(opts) }

// ValidHetu reports whether s is a Finnish personal identity code with a correct control character.
func ValidHetu(s string) bool { return redact.ValidHetu(s) }

// ProfileRedactOptions are the redaction options a profile asks for: its own hosts,
// addresses, support e-mail and phone kept, with its [privacy] keep_hosts; its patterns; and
// whether IP addresses are dropped. A validated profile's patterns always compile; one that
// does not is an error, never a rule silently left out.
func ProfileRedactOptions(p *profile.Profile, id Identity, literals ...string) (RedactOptions, error) {
	opts := RedactOptions{Identity: id, Literals: literals, Keep: ProfileHosts(p)}
	if p == nil {
		return opts, nil
	}
	pr := p.Privacy
	opts.Keep = append(opts.Keep, pr.KeepHosts...)
	if p.Support.Phone != "" {
		opts.Keep = append(opts.Keep, p.Support.Phone)
	}
	opts.DropIPs = pr.IPAddresses == profile.IPDrop
	patterns, err := pr.Patterns()
	if err != nil {
		return opts, err
	}
	opts.Patterns = patterns
	return opts, nil
}
