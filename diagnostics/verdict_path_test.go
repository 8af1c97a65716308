package diagnostics

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/i18n"
)

// lossyGateway is the gateway check's warning for a path that loses percent % to the router.
func lossyGateway(percent float64) Result {
	r := res(IDGateway, GroupNetwork, StatusWarn, ReasonLoss).
		Detail(DetailLossPercent, percent).Detail(DetailLatencyMS, 2.5).Detail(DetailJitterMS, 1.0)
	r.Message = i18n.Msg("check.gateway.loss", "gateway", "192.0.2.1", "loss_percent", percent)
	return r
}

// beyondGateway is its warning for a path that loses (or delays) beyond the router.
func beyondGateway(reason string, f pathFigures) Result {
	r := res(IDGateway, GroupNetwork, StatusWarn, reason).Detail(DetailLossPercent, 0.0).Detail(DetailBeyond, f)
	r.Message = i18n.Msg("check.gateway."+reason, "hop", f.Hop, "loss_percent", f.LossPercent, "latency_ms", f.LatencyMS)
	return r
}

func timedOut(r Result) Result { return r.Detail(DetailErrorKind, ErrorKindTimeout) }

func render(t *testing.T, lang string, v Verdict) string {
	t.Helper()
	// Through JSON and back, as the agent hands a report to the windows.
	b, err := json.Marshal(v.Message)
	if err != nil {
		t.Fatal(err)
	}
	var m i18n.Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return i18n.New(lang).Message(m)
}

// The case: a quarter of the packets lost on the access network, and the service and
// the VPN's internal host time out. The link is to blame, in words and figures.
func TestLossyPathExplainsTimeoutsAbove(t *testing.T) {
	results := with(
		lossyGateway(25),
		timedOut(res(IDVPNInternal, GroupVPN, StatusFail, ReasonUnreachable)),
		timedOut(res(ServicePrefix+"mail", GroupService, StatusFail, ReasonUnreachable)),
		res(IDInternet, GroupNetwork, StatusFail, ReasonTimeout),
	)
	v := Decide(results)
	if v.Cause != CauseDegraded || v.Status != StatusFail || v.Message.Key != "verdict.degraded.path_loss_local" {
		t.Fatalf("verdict %s/%s/%s, want degraded/fail/path_loss_local", v.Cause, v.Status, v.Message.Key)
	}
	if v.Evidence[0] != IDGateway || !slices.Contains(v.Evidence, IDVPNInternal) || !slices.Contains(v.Evidence, ServicePrefix+"mail") {
		t.Errorf("evidence %v: the gateway first, then what it explains", v.Evidence)
	}
	for lang, words := range map[string][]string{
		"en": {"A quarter of the packets", "25%", "router"},
		"fi": {"Neljäsosa paketeista", "25\u00a0%", "reitittimen"},
		"sv": {"En fjärdedel av paketen", "25\u00a0%", "routern"},
	} {
		s := render(t, lang, v)
		for _, w := range words {
			if !strings.Contains(s, w) {
				t.Errorf("%s: %q lacks %q", lang, s, w)
			}
		}
	}
	if v.AdviceKeys[0] == "advice.relogin_service" {
		t.Errorf("advice %v blames the service", v.AdviceKeys)
	}
}

// A failure that no loss produces still names its own layer: the path explains the timeouts
// below it, but not a server error.
func TestLossyPathDoesNotExplainAHardFailure(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fail  Result
		cause Cause
	}{
		{"500", res(ServicePrefix+"mail", GroupService, StatusFail, ReasonHTTPStatus), CauseServiceDown},
		{"refused", res(ServicePrefix+"mail", GroupService, StatusFail, ReasonUnreachable).Detail(DetailErrorKind, ErrorKindRefused), CauseServiceDown},
		{"refused dns", res(IDDNS, GroupNetwork, StatusFail, ReasonNoAnswer), CauseDNSFailure},
		{"tls", res(ServicePrefix+"mail", GroupService, StatusFail, ReasonTLS), CauseServiceDown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A timeout in DNS beside it is explained, so it cannot hide the hard failure above.
			results := with(lossyGateway(25), timedOut(res(IDInternet, GroupNetwork, StatusFail, ReasonUnreachable)), tc.fail)
			if tc.fail.ID == IDDNS {
				results = with(lossyGateway(25), tc.fail)
			}
			if v := Decide(results); v.Cause != tc.cause {
				t.Errorf("verdict %s, want %s", v.Cause, tc.cause)
			}
		})
	}
}

// Without a degraded path a timeout is the layer's own: the rule needs the measurement.
func TestTimeoutsWithoutADegradedPathNameTheirLayer(t *testing.T) {
	v := Decide(with(timedOut(res(ServicePrefix+"mail", GroupService, StatusFail, ReasonUnreachable))))
	if v.Cause != CauseServiceDown {
		t.Errorf("verdict %s, want service_down", v.Cause)
	}
	v = Decide(with(res(IDGateway, GroupNetwork, StatusOK, ""), timedOut(res(IDVPNInternal, GroupVPN, StatusFail, ReasonUnreachable))))
	if v.Cause != CauseVPNBroken {
		t.Errorf("verdict %s, want vpn_broken", v.Cause)
	}
}

// Loss beyond the router, with nothing failing, still says where and how much.
func TestLossBeyondTheRouterIsSaidSo(t *testing.T) {
	v := Decide(with(beyondGateway(ReasonLossBeyond, pathFigures{Hop: "198.51.100.80", Sent: 100, Received: 66, LossPercent: 34})))
	if v.Cause != CauseDegraded || v.Status != StatusWarn || v.Message.Key != "verdict.degraded.path_loss_beyond" {
		t.Fatalf("verdict %s/%s/%s", v.Cause, v.Status, v.Message.Key)
	}
	if s := render(t, "en", v); !strings.Contains(s, "A third of the packets (34%) are lost beyond the router") {
		t.Errorf("sentence %q", s)
	}
	if s := render(t, "sv", v); !strings.Contains(s, "En tredjedel av paketen (34\u00a0%) går förlorade bortom routern") {
		t.Errorf("sentence %q", s)
	}
}

// A slow path gives its delay and jitter in the sentence.
func TestSlowPathGivesItsFigures(t *testing.T) {
	v := Decide(with(beyondGateway(ReasonSlowBeyond, pathFigures{Hop: "198.51.100.80", Sent: 20, Received: 20, LatencyMS: 612.5, JitterMS: 3.5})))
	if v.Message.Key != "verdict.degraded.path_slow_beyond" {
		t.Fatalf("key %s", v.Message.Key)
	}
	if s := render(t, "fi", v); !strings.Contains(s, "612,5\u00a0ms") && !strings.Contains(s, "612.5\u00a0ms") {
		t.Errorf("sentence %q lacks the delay", s)
	}
}

// On Wi-Fi, a lossy path's advice leads with moving closer; on a cable it never does.
func TestLossyWifiLeadsWithMovingCloser(t *testing.T) {
	wifi := res(IDWifi, GroupNetwork, StatusOK, "")
	v := Decide(append(with(lossyGateway(25)), wifi))
	if v.AdviceKeys[0] != "advice.move_closer" || !slices.Contains(v.Evidence, IDWifi) {
		t.Errorf("advice %v, evidence %v", v.AdviceKeys, v.Evidence)
	}
	v = Decide(with(lossyGateway(25)))
	if slices.Contains(v.AdviceKeys, "advice.move_closer") || slices.Contains(v.AdviceKeys, "advice.use_cable") {
		t.Errorf("advice on a cable %v", v.AdviceKeys)
	}
}

// A weak signal alone is degraded, in words and dBm, with moving closer first.
func TestWeakWifiIsDegraded(t *testing.T) {
	weak := (&wifiCheck{net: &netFake{routes: []Route{{Interface: "wlan0"}}}, read: fixedWifi(wifiLink{Interface: "wlan0", SignalDBM: -82})}).Run(t.Context())
	weak.ID, weak.Group = IDWifi, GroupNetwork
	v := Decide(append(with(), weak))
	if v.Cause != CauseDegraded || v.Message.Key != "verdict.degraded.wifi_weak" || v.AdviceKeys[0] != "advice.move_closer" {
		t.Fatalf("verdict %s/%s, advice %v", v.Cause, v.Message.Key, v.AdviceKeys)
	}
	if s := render(t, "fi", v); !strings.Contains(s, "heikko (-82\u00a0dBm)") {
		t.Errorf("sentence %q", s)
	}
}

func TestLossInWords(t *testing.T) {
	for percent, want := range map[float64]string{
		3: "few", 10: "tenth", 20: "fifth", 25: "quarter", 27: "quarter", 33: "third", 50: "half", 75: "most", 100: "most",
	} {
		if got := lossShare(percent); got != want {
			t.Errorf("lossShare(%v) = %s, want %s", percent, got, want)
		}
	}
}

func TestEveryPathVerdictIsTranslated(t *testing.T) {
	for _, lang := range i18n.Languages {
		for _, key := range PathVerdictKeys {
			if _, ok := i18n.Text(lang, key); !ok {
				t.Errorf("%s: %s missing", lang, key)
			}
		}
	}
}
