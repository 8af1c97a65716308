package diagnostics

import (
	"fmt"
	"time"
)

// Windows keeps a password's age, not its expiry: the expiry is the last change plus the
// domain's maximum age. NetUserGetInfo at level 1 gives the age and the account's flags
// (locked out, disabled, password expired, password never expires) and NetUserModalsGet at
// level 0 the maximum age; for a domain account both are asked of the domain controller, which
// answers any signed-in user of the domain without administrator rights. The constructed
// attribute msDS-UserPasswordExpiryTimeComputed would also honour fine-grained password
// policies, but needs an LDAP or ADSI client: with a fine-grained policy the date read here
// follows the domain's default policy instead. Accounts of Microsoft Entra ID and Microsoft
// accounts have no domain controller to ask: no data.

// netUserAPI is the part of netapi32 the check uses, so its reasoning is tested on any system.
type netUserAPI interface {
	// account names the signed-in user: the domain (or this computer's name for a local
	// account), the user name, and whether the account is this computer's own.
	account() (domain, user string, local bool, err error)
	// domainController names a domain controller of domain, as \\name.
	domainController(domain string) (string, error)
	// userInfo returns the password's age and the account's UF_* flags, asked of server ("" for
	// this computer).
	userInfo(server, user string) (age time.Duration, flags uint32, err error)
	// maxPasswordAge returns the longest a password may be kept on server; forever is true
	// when passwords never expire there.
	maxPasswordAge(server string) (max time.Duration, forever bool, err error)
}

// The flags of USER_INFO_1's usri1_flags that tell whether the user can sign in (lmaccess.h).
const (
	ufAccountDisable   = 0x000002
	ufLockout          = 0x000010
	ufDontExpirePasswd = 0x010000
	ufPasswordExpired  = 0x800000
)

// netapiPasswordState asks api about the signed-in user at now.
func netapiPasswordState(api netUserAPI, now time.Time) (PasswordState, error) {
	domain, name, local, err := api.account()
	if err != nil {
		return PasswordState{}, fmt.Errorf("the signed-in user: %w", err)
	}
	st := PasswordState{Source: PasswordSourceWindowsLocal}
	server := ""
	if !local {
		st.Source = PasswordSourceWindowsDomain
		if server, err = api.domainController(domain); err != nil {
			return PasswordState{}, fmt.Errorf("a domain controller of %s: %w", domain, err)
		}
	}
	age, flags, err := api.userInfo(server, name)
	if err != nil {
		return PasswordState{}, fmt.Errorf("the account's information: %w", err)
	}
	st.Locked = flags&(ufLockout|ufAccountDisable) != 0
	st.Expired = flags&ufPasswordExpired != 0
	if flags&ufDontExpirePasswd != 0 {
		st.Never = true
		return st, nil
	}
	max, forever, err := api.maxPasswordAge(server)
	switch {
	case err != nil:
		return PasswordState{}, fmt.Errorf("the password policy: %w", err)
	case forever || max <= 0:
		st.Never = true
	default:
		st.Expires = now.Add(max - age)
	}
	return st, nil
}
