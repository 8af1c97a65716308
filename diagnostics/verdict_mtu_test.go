package diagnostics

import (
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

// pathMTU is a service to which only packets of at most bytes got through.
func pathMTU(name string, viaVPN, tunnel bool, bytes int) Result {
	r := res(ServicePrefix+name, GroupService, StatusFail, ReasonPathMTU).
		Detail(DetailViaVPN, viaVPN).Detail(DetailMTUTunnel, tunnel).Detail(DetailPathMTUBytes, bytes)
	r.Title = map[string]string{"fi": "Intranetti", "sv": "Intranätet", "en": "Intranet"}
	r.Message = i18n.Msg("check.service.path_mtu", "service", r.Title, "bytes", bytes)
	return r
}

func TestLargePacketsLostVerdicts(t *testing.T) {
	for _, tt := range []struct {
		name    string
		results []Result
		cause   Cause
	}{
		{"outside the VPN", with(pathMTU("mail", false, false, 1240)), CausePathMTU},
		{"a via_vpn service", with(pathMTU("intra", true, false, 1240)), CauseVPNMTU},
		{"the probe left through the VPN", with(pathMTU("mail", false, true, 1240)), CauseVPNMTU},
		{"the service is not blamed", with(pathMTU("mail", false, false, 1240),
			res(ServicePrefix+"intra", GroupService, StatusFail, ReasonHTTPStatus).Detail(DetailViaVPN, true)), CausePathMTU},
		{"a broken VPN explains more", with(pathMTU("intra", true, false, 1240),
			res(IDVPNInternal, GroupVPN, StatusFail, ReasonUnreachable)), CauseVPNBroken},
		{"a VPN that is down explains more", with(pathMTU("intra", true, false, 1240),
			res(IDVPNTunnel, GroupVPN, StatusFail, ReasonVPNDown)), CauseVPNDown},
		{"the VPN's before the path's", with(pathMTU("mail", false, false, 1240), pathMTU("intra", true, false, 1040)), CauseVPNMTU},
		{"a stalled page without a size that passed stays the service's",
			with(res(ServicePrefix+"mail", GroupService, StatusFail, ReasonBodyStalled).Detail(DetailMTUProbe, MTUProbeTCPMSS)), CauseServiceDown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := Decide(tt.results)
			if v.Cause != tt.cause {
				t.Fatalf("verdict %s (%v), want %s", v.Cause, v.Evidence, tt.cause)
			}
			if v.Status != StatusFail || !slices.Equal(v.AdviceKeys, Advice(tt.cause)) {
				t.Errorf("status %s, advice %v", v.Status, v.AdviceKeys)
			}
		})
	}
}

// The sentence names the service, says large packets are lost and that it is not the user's
// fault, and what may help: another network, or the VPN connected again.
func TestLargePacketsLostSentences(t *testing.T) {
	words := map[Cause]map[string][]string{
		CausePathMTU: {
			"en": {"Intranet", "large packets", "not your fault", "another network", "user support"},
			"fi": {"Intranetti", "suuret paketit", "Vika ei ole sinun", "toinen verkko", "käyttäjätuki"},
			"sv": {"Intranätet", "stora paket", "inte ditt fel", "ett annat nätverk", "användarstödet"},
		},
		CauseVPNMTU: {
			"en": {"Intranet", "VPN", "large packets", "not your fault", "connecting the VPN again"},
			"fi": {"Intranetti", "VPN-yhteys", "suuret paketit", "Vika ei ole sinun", "uudelleen"},
			"sv": {"Intranätet", "VPN-anslutningen", "stora paket", "inte ditt fel", "på nytt"},
		},
	}
	for cause, byLang := range words {
		v := Decide(with(pathMTU("intra", cause == CauseVPNMTU, false, 1240)))
		if v.Cause != cause || v.Message.Key != "verdict."+string(cause) || v.Message.Args["bytes"] != 1240 {
			t.Fatalf("verdict %s/%s %v", v.Cause, v.Message.Key, v.Message.Args)
		}
		for lang, ws := range byLang {
			sentence := i18n.New(lang).Message(v.Message)
			for _, w := range ws {
				if !strings.Contains(sentence, w) {
					t.Errorf("%s %s sentence %q lacks %q", cause, lang, sentence, w)
				}
			}
		}
	}
}

func TestMTUFindingNeedsConsistentEvidence(t *testing.T) {
	tries := func(passed ...bool) []mtuTry {
		out := make([]mtuTry, len(passed))
		for i, p := range passed {
			out[i] = mtuTry{Bytes: mtuProbeMSS[i] + headersIPv4, Passed: p}
		}
		return out
	}
	for _, tt := range []struct {
		name    string
		f       mtuFinding
		largest int
		hole    bool
	}{
		{"below 1240", mtuFinding{method: MTUProbeTCPMSS, tries: tries(false, false, true, true)}, 1040, true},
		{"only full size lost", mtuFinding{method: MTUProbeTCPMSS, tries: tries(true, true, true, true)}, 1400, true},
		{"full size loaded this time", mtuFinding{method: MTUProbeTCPMSS, tries: tries(true, true, true, true), fullPassed: true}, 1400, false},
		{"nothing passed", mtuFinding{method: MTUProbeTCPMSS, tries: tries(false, false, false, false)}, 0, false},
		{"a smaller size lost: random loss, not size", mtuFinding{method: MTUProbeTCPMSS, tries: tries(false, true, false, true)}, 1240, false},
		{"not probed", mtuFinding{method: MTUProbeUnsupported}, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.largest(); got != tt.largest {
				t.Errorf("largest = %d, want %d", got, tt.largest)
			}
			if got := tt.f.blackHole(); got != tt.hole {
				t.Errorf("blackHole = %v, want %v", got, tt.hole)
			}
			_, named := tt.f.details()[DetailPathMTUBytes]
			if named != tt.hole {
				t.Errorf("path_mtu_bytes given: %v, want %v", named, tt.hole)
			}
		})
	}
}

// A bulletin about the VPN explains large packets lost in it, although the evidence is a service.
func TestVPNBulletinExplainsLargePacketsLostInIt(t *testing.T) {
	for _, tt := range []struct {
		viaVPN bool
		want   bool
	}{{true, true}, {false, false}} {
		results := with(pathMTU("mail", tt.viaVPN, false, 1240))
		r := &Report{Checks: results, Verdict: Decide(results)}
		r.NoteDisruptions([]Disruption{{Title: "VPN connections drop large packets"}}, nil)
		if got := r.Verdict.Disruption != nil; got != tt.want {
			t.Errorf("%s: explained by the VPN bulletin %v, want %v", r.Verdict.Cause, got, tt.want)
		}
	}
}
