package diagnostics

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

func accountResult(id string, st Status, reason string, msg i18n.Message) Result {
	r := res(id, GroupAccount, st, reason)
	r.Message = msg
	return r
}

// TestAccountVerdicts: a locked account or an expired password is the verdict once the network
// and the VPN work, before a service that is down; an expired certificate of the user's comes
// after the services; warnings about the account come after a degraded connection and before
// the computer's own; each names what is wrong, with its advice.
func TestAccountVerdicts(t *testing.T) {
	locked := accountResult(IDAccountPassword, StatusFail, ReasonAccountLocked, i18n.Msg("check.password.locked"))
	expired := accountResult(IDAccountPassword, StatusFail, ReasonPasswordExpired, i18n.Msg("check.password.expired"))
	expiring := accountResult(IDAccountPassword, StatusWarn, ReasonPasswordExpiring, i18n.Msg("check.password.expiring", "days", 3))
	ticket := accountResult(IDAccountPassword, StatusWarn, ReasonTicketExpired, i18n.Msg("check.password.ticket_expired", "since", "08:02"))
	wifiCert := accountResult(IDAccountCertificates, StatusFail, ReasonCertExpired, i18n.Msg("check.certificates.expired", "connection", "eduroam")).
		Detail(DetailCertificates, []certificateDetail{{Connection: "eduroam", Use: CertUseWiFi, NotAfter: "2026-11-01T00:00:00Z"}})
	storeSoon := accountResult(IDAccountCertificates, StatusWarn, ReasonCertExpiring, i18n.Msg("check.certificates.expiring_store", "issuer", "Smart Card CA", "days", 9))
	serviceDown := res(ServicePrefix+"mail", GroupService, StatusFail, ReasonHTTPStatus)
	tunnelDown := res(IDVPNTunnel, GroupVPN, StatusFail, ReasonVPNDown)
	slowGateway := res(IDGateway, GroupNetwork, StatusWarn, ReasonLoss)
	longUptime := res(IDUptime, GroupSystem, StatusWarn, ReasonLongUptime)
	longUptime.Message = i18n.Msg("check.uptime.long", "days", 23)
	for _, tt := range []struct {
		name    string
		results []Result
		cause   Cause
		key     string
		advice  string
	}{
		{"locked", with(locked), CauseAccount, "verdict.account.locked", "advice.account_locked"},
		{"expired password before a service that is down", with(serviceDown, expired), CauseAccount, "verdict.account.password_expired", "advice.change_password"},
		{"the VPN before the password", with(tunnelDown, expired), CauseVPNDown, "verdict.vpn_down", "advice.reconnect_vpn"},
		{"a service that is down before a Wi-Fi certificate", with(serviceDown, wifiCert), CauseServiceDown, "verdict.service_down", "advice.relogin_service"},
		{"an expired Wi-Fi certificate", with(wifiCert, longUptime), CauseAccount, "verdict.account.expired_certificate", "advice.renew_certificate"},
		{"a VPN down for other reasons keeps its sentence", with(tunnelDown, wifiCert), CauseVPNDown, "verdict.vpn_down", "advice.reconnect_vpn"},
		{"password expiring before the computer's warnings", with(expiring, longUptime), CauseAccount, "verdict.account.password_expiring", "advice.change_password"},
		{"a degraded connection before the password", with(slowGateway, expiring), CauseDegraded, "verdict.degraded.path_loss_local", "advice.reconnect_network"},
		{"a ticket that ran out", with(ticket), CauseAccount, "verdict.account.ticket_expired", "advice.lock_and_unlock"},
		{"a store certificate expiring", with(storeSoon), CauseAccount, "verdict.account.expiring_certificate_store", "advice.renew_certificate"},
		{"a check that ran out of time proves nothing", with(accountResult(IDAccountPassword, StatusFail, ReasonTimeout, i18n.Msg("check.timeout", "seconds", 2)), longUptime),
			CauseLocalResources, "verdict.local_resources.uptime", "advice.restart_computer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := Decide(tt.results)
			if v.Cause != tt.cause || v.Message.Key != tt.key {
				t.Fatalf("got %s %s, want %s %s", v.Cause, v.Message.Key, tt.cause, tt.key)
			}
			if len(v.AdviceKeys) == 0 || v.AdviceKeys[0] != tt.advice {
				t.Errorf("advice %v, want %s first", v.AdviceKeys, tt.advice)
			}
			if v.AboutCertificate() {
				t.Error("the user's own certificate is taken for a service's")
			}
			for _, lang := range i18n.Languages {
				if got := i18n.New(lang).Message(v.Message); strings.Contains(got, "{{") || strings.Contains(got, "<no value>") || strings.HasPrefix(got, "verdict.") {
					t.Errorf("%s: %q", lang, got)
				}
			}
		})
	}
}

// TestExpiredVPNCertificateExplainsVPNDown: when the VPN is down and its connection's
// certificate has expired, the verdict says so, names the connection and adds the evidence,
// also for a report read back from JSON.
func TestExpiredVPNCertificateExplainsVPNDown(t *testing.T) {
	certs := accountResult(IDAccountCertificates, StatusFail, ReasonCertExpired, i18n.Msg("check.certificates.expired", "connection", "Work VPN")).
		Detail(DetailCertificates, []certificateDetail{
			{Connection: "Work VPN", Use: CertUseVPN, NotAfter: "2026-12-01T00:00:00Z"},
			{Connection: "eduroam", Use: CertUseWiFi, NotAfter: "2027-12-01T00:00:00Z", DaysLeft: 362},
		})
	var decoded Result
	b, _ := json.Marshal(certs)
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]Result{"as written": certs, "from JSON": decoded} {
		v := Decide(with(res(IDVPNTunnel, GroupVPN, StatusFail, ReasonVPNDown), r))
		if v.Cause != CauseVPNDown || v.Message.Key != vpnCertExpired || v.Message.Args["connection"] != "Work VPN" {
			t.Errorf("%s: %s %s %v", name, v.Cause, v.Message.Key, v.Message.Args)
		}
		if !slices.Equal(v.Evidence, []string{IDVPNTunnel, IDAccountCertificates}) {
			t.Errorf("%s: evidence %v", name, v.Evidence)
		}
		if v.AdviceKeys[0] != "advice.renew_certificate" {
			t.Errorf("%s: advice %v", name, v.AdviceKeys)
		}
		for _, lang := range i18n.Languages {
			if got := i18n.New(lang).Message(v.Message); !strings.Contains(got, "Work VPN") {
				t.Errorf("%s: %q", lang, got)
			}
		}
	}
}

func TestEveryAccountVerdictIsTranslated(t *testing.T) {
	keys := AccountVerdictKeys()
	for _, advice := range accountAdvice {
		keys = append(keys, advice...)
	}
	for _, lang := range i18n.Languages {
		for _, key := range keys {
			if _, ok := i18n.Text(lang, key); !ok {
				t.Errorf("%s: %s is not translated", lang, key)
			}
		}
	}
}
