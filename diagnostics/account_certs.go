package diagnostics

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/safetext"
	"github.com/apuri-project/apuri/profile"
)

// certificatesCheck finds the user's own client certificates, those that sign in to a VPN, a
// Wi-Fi or a wired network (802.1X) or to services with a smart card, and warns before one runs
// out. An expired one fails the same way every time, with a VPN client's or the network's
// vague "authentication failed", and only support can issue a new one.
type certificatesCheck struct {
	warnDays int
	now      func() time.Time
	find     func(ctx context.Context) ([]ClientCert, error)
}

// ClientCert is one of the user's client certificates.
type ClientCert struct {
	// Connection is the name of the connection that uses it ("Work VPN"); empty for a
	// certificate found in the user's certificate store.
	Connection string
	Use        string // one of CertUses
	Issuer     string // who issued it: its issuer's common name or organisation
	NotAfter   time.Time
}

// certificateDetail is one certificate in DetailCertificates.
type certificateDetail struct {
	Connection string `json:"connection,omitempty"`
	Use        string `json:"use"`
	Issuer     string `json:"issuer,omitempty"`
	NotAfter   string `json:"not_after"`
	DaysLeft   int    `json:"days_left"`
}

// maxCertificates bounds the certificates a report lists.
const maxCertificates = 20

func newCertificatesCheck(p *profile.Profile) Check {
	return &certificatesCheck{warnDays: p.Thresholds.CertExpiryDays, now: time.Now, find: systemClientCerts}
}

func (c *certificatesCheck) ID() string   { return IDAccountCertificates }
func (c *certificatesCheck) Group() Group { return GroupAccount }

func (c *certificatesCheck) Run(ctx context.Context) Result {
	certs, err := c.find(ctx)
	if err != nil {
		Logf(ctx, "finding the user's certificates: %v", err)
		if len(certs) == 0 {
			return Skip(i18n.Msg("check.certificates.unavailable")).Because(ReasonNoData)
		}
	}
	now := c.now()
	certs = currentCerts(ctx, certs, now)
	if len(certs) == 0 {
		return OK(i18n.Msg("check.certificates.none"))
	}
	sortCerts(certs, now)
	details := make([]certificateDetail, 0, min(len(certs), maxCertificates))
	for _, cc := range certs[:min(len(certs), maxCertificates)] {
		Logf(ctx, "%s certificate of %q from %q until %v", cc.Use, cc.Connection, cc.Issuer, cc.NotAfter)
		details = append(details, certificateDetail{Connection: safetext.Line(cc.Connection, 100), Use: cc.Use,
			Issuer: safetext.Line(cc.Issuer, 100), NotAfter: cc.NotAfter.UTC().Format(time.RFC3339), DaysLeft: daysLeft(cc.NotAfter, now)})
	}
	first, d := certs[0], details[0]
	var r Result
	switch {
	case !first.NotAfter.After(now):
		r = Fail(certMessage("expired", d)).Because(ReasonCertExpired)
	case c.warnDays > 0 && d.DaysLeft <= c.warnDays:
		r = Warn(certMessage("expiring", d)).Because(ReasonCertExpiring)
	default:
		r = OK(i18n.Msg("check.certificates.ok", "count", len(certs)))
	}
	return r.Detail(DetailCertificates, details)
}

// certMessage names the certificate by its connection, or by its issuer when it is in the
// user's store: "the certificate of Work VPN", "your certificate from Example CA".
func certMessage(state string, d certificateDetail) i18n.Message {
	name, value, key := "connection", d.Connection, "check.certificates."+state
	if d.Connection == "" {
		name, value, key = "issuer", d.Issuer, key+"_store"
	}
	if state == "expired" {
		return i18n.Msg(key, name, value)
	}
	return i18n.Msg(key, name, value, "days", d.DaysLeft)
}

// staleAfter is how long ago a certificate may have expired and still count: one that ran out
// months ago, still in a store or an old connection, is not what stops the user today.
const staleAfter = 90 * 24 * time.Hour

// currentCerts leaves out the expired certificates that are no longer in use: those that
// expired more than staleAfter ago, and those already renewed, with a valid certificate for the
// same connection or, in a store, from the same issuer. Windows and keychains keep expired
// certificates beside their renewals, and that is no fault.
func currentCerts(ctx context.Context, certs []ClientCert, now time.Time) []ClientCert {
	renewed := func(old ClientCert) bool {
		return slices.ContainsFunc(certs, func(c ClientCert) bool {
			return c.NotAfter.After(now) && c.Use == old.Use && c.Connection == old.Connection && c.Issuer == old.Issuer
		})
	}
	var out []ClientCert
	for _, c := range certs {
		switch {
		case c.NotAfter.After(now):
		case now.Sub(c.NotAfter) > staleAfter:
			Logf(ctx, "%s certificate of %q from %q expired long ago (%v): left out", c.Use, c.Connection, c.Issuer, c.NotAfter)
			continue
		case renewed(c):
			Logf(ctx, "%s certificate of %q from %q expired (%v) and was renewed: left out", c.Use, c.Connection, c.Issuer, c.NotAfter)
			continue
		}
		out = append(out, c)
	}
	return out
}

// certUseOrder puts a VPN's certificate first: its expiry explains a VPN that will not connect.
var certUseOrder = map[string]int{CertUseVPN: 0, CertUseWiFi: 1, CertUseWired: 2, CertUseStore: 3}

// sortCerts orders the certificates worst first: expired before the rest, then by use, then the
// soonest to expire.
func sortCerts(certs []ClientCert, now time.Time) {
	slices.SortStableFunc(certs, func(a, b ClientCert) int {
		ea, eb := !a.NotAfter.After(now), !b.NotAfter.After(now)
		if ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		if ea && certUseOrder[a.Use] != certUseOrder[b.Use] {
			return cmp.Compare(certUseOrder[a.Use], certUseOrder[b.Use])
		}
		return a.NotAfter.Compare(b.NotAfter)
	})
}
