package diagnostics

import (
	"context"
	"errors"
)

// systemPasswordState: macOS keeps when the password was last set (dscl's accountPolicyData,
// passwordLastSetTime), but the maximum age is a rule in the account policies (pwpolicy), which
// can be written in many ways, and for a mobile account of a directory (Active Directory,
// Platform SSO) the directory decides. Reading one without the other would tell a wrong date,
// so macOS reports no data. Its Kerberos tickets live in the API: credential cache, which needs
// the system's Kerberos library (cgo).
func systemPasswordState(context.Context) (PasswordState, error) {
	return PasswordState{}, errors.New("macOS does not tell a password's expiry without its directory")
}
