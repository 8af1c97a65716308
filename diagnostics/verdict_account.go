package diagnostics

import (
	"encoding/json"
	"slices"
	"strings"
)

// The user's account fails differently from the network: everything answers, and still no
// sign-in works. The verdict says plainly which it is (a locked account, an expired password,
// one about to expire, a sign-in ticket that ran out, a certificate that expired or is about
// to) so that people stop trying the network. A VPN that will not connect because its
// certificate has expired is still vpn_down, and its sentence says so.

// accountKeys are the verdict's message for each of the account checks' messages; the check's
// arguments (days, connection, issuer, since) carry over.
var accountKeys = map[string]string{
	"check.password.locked":             "verdict.account.locked",
	"check.password.expired":            "verdict.account.password_expired",
	"check.password.expiring":           "verdict.account.password_expiring",
	"check.password.ticket_expired":     "verdict.account.ticket_expired",
	"check.certificates.expired":        "verdict.account.expired_certificate",
	"check.certificates.expired_store":  "verdict.account.expired_certificate_store",
	"check.certificates.expiring":       "verdict.account.expiring_certificate",
	"check.certificates.expiring_store": "verdict.account.expiring_certificate_store",
}

// accountFaults are the reasons an account check proves a fault with. A check that ran out of
// time or broke proves nothing: a domain controller that does not answer off the office
// network is no locked account.
var accountFaults = []string{ReasonAccountLocked, ReasonPasswordExpired, ReasonPasswordExpiring, ReasonTicketExpired,
	ReasonCertExpired, ReasonCertExpiring}

func accountFault(r Result) bool {
	return r.Group == GroupAccount && slices.Contains(accountFaults, r.Reason)
}

// vpnCertExpired is the vpn_down verdict when the VPN's own certificate has expired. The user's
// certificates' keys say "expired_certificate", not "certificate_expired": a key with
// ".certificate_" is a service's certificate (Verdict.AboutCertificate), which support renews.
const vpnCertExpired = "verdict.vpn_down.expired_certificate"

// accountAdvice is what to try for each: change the password; wait for a locked account or ask
// support to open it; sign in again for a new ticket; a new certificate only support issues.
var accountAdvice = map[string][]string{
	"verdict.account.locked":                     {"advice.account_locked", "advice.call_if_urgent"},
	"verdict.account.password_expired":           {"advice.change_password", "advice.call_if_urgent"},
	"verdict.account.password_expiring":          {"advice.change_password"},
	"verdict.account.ticket_expired":             {"advice.lock_and_unlock", "advice.restart_computer"},
	"verdict.account.expired_certificate":        {"advice.renew_certificate", "advice.call_if_urgent"},
	"verdict.account.expired_certificate_store":  {"advice.renew_certificate", "advice.call_if_urgent"},
	"verdict.account.expiring_certificate":       {"advice.renew_certificate"},
	"verdict.account.expiring_certificate_store": {"advice.renew_certificate"},
	vpnCertExpired: {"advice.renew_certificate", "advice.call_if_urgent"},
}

// AccountVerdictKeys lists every message key accountVerdict gives, for the translation tests.
func AccountVerdictKeys() []string {
	keys := []string{vpnCertExpired, "verdict." + string(CauseAccount)}
	for _, k := range accountKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// accountVerdict is the verdict's message key and evidence: for the account, the key that names
// what is wrong; for a VPN that is down, the VPN's expired certificate when account.certificates
// found one, with that check added to the evidence and the connection's name to the arguments.
func accountVerdict(cause Cause, key string, first Result, all []Result, args map[string]any, ids []string) (string, []string) {
	switch cause {
	case CauseAccount:
		if k, ok := accountKeys[first.Message.Key]; ok {
			return k, ids
		}
	case CauseVPNDown:
		for _, r := range all {
			if r.ID != IDAccountCertificates || r.Reason != ReasonCertExpired {
				continue
			}
			for _, c := range certificateDetails(r.Details[DetailCertificates]) {
				if c.Use == CertUseVPN && c.DaysLeft == 0 { // no days left: expired
					args["connection"] = c.Connection
					return vpnCertExpired, append(ids, r.ID)
				}
			}
		}
	}
	return key, ids
}

// AboutUserCertificate says whether the verdict is about a certificate of the user's own that
// has expired or soon will: only support issues a new one, and nothing on this computer helps.
func (v Verdict) AboutUserCertificate() bool {
	return v.Message.Key == vpnCertExpired || strings.HasPrefix(v.Message.Key, "verdict.account.expired_certificate") ||
		strings.HasPrefix(v.Message.Key, "verdict.account.expiring_certificate")
}

// certificateDetails reads DetailCertificates as the check wrote it or as it came back from
// JSON (a report read from the agent or a file).
func certificateDetails(v any) []certificateDetail {
	if certs, ok := v.([]certificateDetail); ok {
		return certs
	}
	var certs []certificateDetail
	if b, err := json.Marshal(v); err == nil {
		json.Unmarshal(b, &certs)
	}
	return certs
}
