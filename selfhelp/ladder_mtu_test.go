package selfhelp

import (
	"reflect"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// A path that drops large packets: the user is told it is not their fault and offered another
// connection (the network, or the VPN through which the packets go), and since only support can
// fix the path, the request and the phone follow.
func TestLadderForLargePacketsLost(t *testing.T) {
	for _, tt := range []struct {
		name, service string
		cause         diagnostics.Cause
		top           []string
		why           i18n.Message
	}{
		{"outside the VPN", "mail", diagnostics.CausePathMTU,
			[]string{StepReconnectNetwork, StepColleagues, StepRequest, StepCall},
			i18n.Msg("selfhelp.why.path_mtu", "service", titled("mail"))},
		{"through the VPN", "intra", diagnostics.CauseVPNMTU,
			[]string{StepReconnectVPN, StepRequest, StepCall},
			i18n.Msg("selfhelp.why.vpn_mtu", "service", titled("intra"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := report(service(tt.service, diagnostics.StatusFail, 0, diagnostics.ReasonPathMTU).
				Detail(diagnostics.DetailPathMTUBytes, 1240),
				check(diagnostics.IDVPNTunnel, diagnostics.StatusOK, "check.vpn_tunnel.ok", "interfaces", "tun0"))
			if r.Verdict.Cause != tt.cause {
				t.Fatalf("the fixture's verdict is %q, want %q", r.Verdict.Cause, tt.cause)
			}
			steps := Ladder(r, orgProfile())
			if got := keys(steps, true); !reflect.DeepEqual(got, tt.top) {
				t.Errorf("recommended = %q, want %q", got, tt.top)
			}
			if !reflect.DeepEqual(steps[0].Why, tt.why) {
				t.Errorf("first why = %+v, want %+v", steps[0].Why, tt.why)
			}
			checkInvariants(t, steps)
		})
	}
}
