package diagnostics

import "strings"

// A certificate problem is the service's to fix, never the user's, and people read a bare
// "slow or unreliable" or "not working" as a hint to try again. The verdict says *certificate*,
// names the service and says which problem it is: the days left, expired, not valid yet, another
// address's, or from an unknown issuer. For the two that a wrong clock also produces, it says
// whether this computer's clock explains them.

// certificatePrefix begins the last part of a certificate verdict's key, after its cause's:
// verdict.degraded.certificate_expiring, verdict.service_down.certificate_wrong_name.
const certificatePrefix = "certificate_"

// AboutCertificate says whether the verdict is about a service's certificate, which support
// renews or fixes, and not the user; false when this computer's wrong clock explains it.
func (v Verdict) AboutCertificate() bool {
	k := v.Message.Key
	return strings.Contains(k, "."+certificatePrefix) && !strings.HasSuffix(k, "."+clockWrong)
}

// TopicCertificate is Verdict.Topic for a certificate verdict.
const TopicCertificate = "certificate"

// Topic names what the verdict is about for its short texts (the tray's line, a notification's
// title, a request's subject: "tray.cause."+Topic()): the cause, or TopicCertificate, since
// "slow or unreliable" or "not working" would send people after the wrong thing.
func (v Verdict) Topic() string {
	if v.AboutCertificate() {
		return TopicCertificate
	}
	return string(v.Cause)
}

// The clock's part in a certificate that looks expired or not valid yet, as a key suffix.
const (
	clockWrong   = "clock_wrong"   // system.clock found the clock off: that explains it
	clockRight   = "clock_right"   // system.clock found the clock right: the certificate is at fault
	clockUnknown = "clock_unknown" // system.clock could not tell, or did not run
)

// certVerdict is the verdict's message key for a certificate shown by r, or key unchanged when
// r is about something else.
func certVerdict(cause Cause, key string, r Result, all []Result) string {
	switch {
	case cause == CauseDegraded && r.Reason == ReasonCertExpiring:
		return key + "." + certificatePrefix + "expiring"
	case cause != CauseServiceDown || r.Reason != ReasonTLS:
		return key
	}
	problem, _ := r.Details[DetailTLSProblem].(string)
	switch problem {
	case TLSExpired, TLSNotYetValid:
		return key + "." + certificatePrefix + problem + "." + clockPart(all)
	case TLSWrongName, TLSUnknownAuthority:
		return key + "." + certificatePrefix + problem
	}
	return key + "." + certificatePrefix + TLSInvalid
}

// clockPart tells whether system.clock explains a certificate's dates.
func clockPart(all []Result) string {
	for _, r := range all {
		if r.ID != IDClock {
			continue
		}
		switch {
		case r.Reason == ReasonClockSkew && (r.Status == StatusFail || r.Status == StatusWarn):
			return clockWrong
		case r.Status == StatusOK:
			return clockRight
		}
	}
	return clockUnknown
}

// certAdvice is what to try for a certificate verdict: the clock when it is wrong; otherwise
// nothing on this computer helps, so tell support (signing in again only wastes time).
func certAdvice(key string) ([]string, bool) {
	switch {
	case strings.HasSuffix(key, "."+clockWrong):
		return []string{"advice.sync_clock", "advice.restart_computer"}, true
	case strings.Contains(key, "."+certificatePrefix):
		return []string{"advice.ask_colleagues", "advice.call_if_urgent"}, true
	}
	return nil, false
}

// CertificateVerdictKeys lists every message key certVerdict gives, for the translation tests.
var CertificateVerdictKeys = []string{
	"verdict.degraded.certificate_expiring",
	"verdict.service_down.certificate_expired." + clockWrong, "verdict.service_down.certificate_expired." + clockRight,
	"verdict.service_down.certificate_expired." + clockUnknown,
	"verdict.service_down.certificate_not_yet_valid." + clockWrong, "verdict.service_down.certificate_not_yet_valid." + clockRight,
	"verdict.service_down.certificate_not_yet_valid." + clockUnknown,
	"verdict.service_down.certificate_wrong_name", "verdict.service_down.certificate_unknown_authority", "verdict.service_down.certificate_invalid",
}
