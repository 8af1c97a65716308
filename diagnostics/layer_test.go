package diagnostics

import (
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
)

func TestEveryCauseHasTheLayerItTakesAway(t *testing.T) {
	want := map[Cause]Layer{CauseVPNDown: LayerVPN, CauseVPNBroken: LayerVPN, CauseVPNMTU: LayerVPN,
		CauseServiceDown: LayerService, CausePathMTU: LayerService, CauseCustomCheck: LayerService}
	for _, c := range Causes {
		w, ok := want[c]
		if !ok {
			w = LayerConnection
		}
		if got := c.Layer(); got != w {
			t.Errorf("%s takes away %q, want %q", c, got, w)
		}
	}
	if got := Cause("").Layer(); got != LayerConnection {
		t.Errorf("an unknown cause takes away %q, want the connection", got)
	}
}

// TestTheWatcherSaysWhatWasLost: the lost and restored events name the VPN or a service when
// only that was lost, in every language, and the whole connection only when it was.
func TestTheWatcherSaysWhatWasLost(t *testing.T) {
	const s = time.Second
	want := map[Cause]map[string][2]string{
		CauseVPNDown: {
			"en": {"The VPN disconnected.", "The VPN connected again after"},
			"fi": {"VPN-yhteys katkesi.", "VPN-yhteys palasi"},
			"sv": {"VPN-anslutningen bröts.", "VPN-anslutningen återställdes efter"},
		},
		CauseServiceDown: {
			"en": {"A service stopped working.", "The service works again after"},
			"fi": {"Jokin palvelu lakkasi toimimasta.", "Palvelu toimii taas"},
			"sv": {"En tjänst slutade fungera.", "Tjänsten fungerar igen efter"},
		},
		CauseGatewayUnreachable: {
			"en": {"Connection lost.", "Connection restored after"},
			"fi": {"Yhteys katkesi.", "Yhteys palasi"},
			"sv": {"Anslutningen bröts.", "Anslutningen återställdes efter"},
		},
	}
	for cause, langs := range want {
		m := testMachine()
		m.observe(ok(0))
		m.observe(fail(60*s, cause))
		lost, _ := m.observe(fail(60*s+600*time.Millisecond, cause))
		m.observe(ok(100 * s))
		restored, _ := m.observe(ok(110 * s))
		if len(lost) != 1 || len(restored) != 1 {
			t.Fatalf("%s: lost %v restored %v", cause, lost, restored)
		}
		for lang, w := range langs {
			tr := i18n.New(lang)
			if got := tr.Message(lost[0].Message); got != w[0] {
				t.Errorf("%s in %s: lost says %q, want %q", cause, lang, got, w[0])
			}
			if got := tr.Message(restored[0].Message); !strings.HasPrefix(got, w[1]) {
				t.Errorf("%s in %s: restored says %q, want %q…", cause, lang, got, w[1])
			}
		}
	}
}
