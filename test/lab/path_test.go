//go:build linux

package lab_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// needNFT skips (or, in CI, fails) a test whose fault needs nftables.
func needNFT(t *testing.T) {
	t.Helper()
	need(t)
	lab.NeedNFT(t)
}

// pathFigures is what the gateway check reports about the path.
type pathFigures struct {
	LossPercent float64 `json:"loss_percent"`
	LatencyMS   float64 `json:"latency_ms"`
	Samples     int     `json:"samples"`
	Beyond      *struct {
		Hop         string  `json:"hop"`
		Samples     int     `json:"samples"`
		LossPercent float64 `json:"loss_percent"`
		LatencyMS   float64 `json:"latency_ms"`
	} `json:"beyond"`
}

// sentencePercent is the loss the verdict's sentence gives: "(25%)".
var sentencePercent = regexp.MustCompile(`\(([0-9.]+)%\)`)

// TestPathFaults makes the path bad and never breaks it: a quarter of the packets lost on the
// access link or beyond the router, or a slow line beyond it. Whatever times out above, the
// verdict is degraded, its sentence says where and how much (in words and figures, the figure
// being the gateway check's own measurement), and no service or VPN takes the blame.
//
// The loss is random, so the test is robust by how much the check samples, never by retrying:
// with 25 % loss the first 32 pings all come back once in 10 000 runs (then the check stops, as
// on a clean path); otherwise it sends 125, and measures no more than the default 10 % limit
// once in 100 000 (the binomial tail).
func TestPathFaults(t *testing.T) {
	needNFT(t)
	tests := []struct {
		name    string
		fault   func(*lab.Lab) error
		profile lab.ProfileOptions
		reason  string
		words   []string
		wordsIn map[string][]string // Finnish and Swedish
		check   func(t *testing.T, f pathFigures)
	}{
		{
			name: "a quarter of the packets lost on the access link", fault: (*lab.Lab).LoseOnAccessLink,
			reason: "loss", words: []string{"of the packets (", "%) are lost between this computer and the router"},
			wordsIn: map[string][]string{"fi": {"paketeista (", "\u00a0%) katoaa tämän tietokoneen ja reitittimen välillä"},
				"sv": {"av paketen (", "\u00a0%) går förlorade mellan den här datorn och routern"}},
			check: func(t *testing.T, f pathFigures) {
				if f.Samples != 125 || f.LossPercent <= 10 || f.LossPercent >= 45 {
					t.Errorf("router: %d samples, %v %% loss; want 125 samples and about 25 %%", f.Samples, f.LossPercent)
				}
			},
		},
		{
			name: "a quarter of the packets lost beyond the router", fault: (*lab.Lab).LoseBeyondRouter,
			reason: "loss_beyond", words: []string{"of the packets (", "%) are lost beyond the router"},
			wordsIn: map[string][]string{"fi": {"paketeista (", "\u00a0%) katoaa reitittimen takana"},
				"sv": {"av paketen (", "\u00a0%) går förlorade bortom routern"}},
			check: func(t *testing.T, f pathFigures) {
				if f.LossPercent != 0 || f.Beyond == nil || f.Beyond.Samples != 125 || f.Beyond.LossPercent <= 10 || f.Beyond.LossPercent >= 45 {
					t.Errorf("router %v %% loss, beyond %+v; want none, and about 25 %% over 125 samples beyond", f.LossPercent, f.Beyond)
				}
			},
		},
		{
			name:  "the line beyond the router holds every packet 350 ms each way",
			fault: func(l *lab.Lab) error { return l.DelayBeyondRouter(350 * time.Millisecond) },
			// A line this slow makes every lookup and page take seconds: a profile for it allows them.
			profile: lab.ProfileOptions{CheckTimeout: 4 * time.Second, Total: 5 * time.Second},
			reason:  "slow_beyond", words: []string{"to the first router beyond yours takes", "ms"},
			wordsIn: map[string][]string{"fi": {"ensimmäiseen reitittimeen kestää", "\u00a0ms"},
				"sv": {"till den första routern bortom din egen tar", "\u00a0ms"}},
			check: func(t *testing.T, f pathFigures) {
				if f.LatencyMS > 50 || f.Beyond == nil || f.Beyond.LatencyMS < 700 || f.Beyond.LatencyMS > 1000 {
					t.Errorf("router %v ms, beyond %+v; want a fast router and about 700 ms beyond", f.LatencyMS, f.Beyond)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if err := tt.fault(l); err != nil {
				t.Fatalf("inject fault: %v", err)
			}
			rep := diagnose(t, l, tt.profile).Report
			v := rep.Verdict
			if v.Cause != "degraded" {
				t.Errorf("verdict %s (%s, evidence %v), want degraded", v.Cause, v.Summary, v.Evidence)
			}
			gw, _ := rep.Check(idGateway)
			if gw.Status != "warn" || gw.Reason != tt.reason {
				t.Fatalf("network.gateway %s/%s (%s), want warn/%s", gw.Status, gw.Reason, gw.Summary, tt.reason)
			}
			if len(v.Evidence) == 0 || v.Evidence[0] != idGateway {
				t.Errorf("verdict evidence %v, want the gateway first", v.Evidence)
			}
			for _, w := range tt.words {
				if !strings.Contains(v.Summary, w) {
					t.Errorf("verdict %q lacks %q", v.Summary, w)
				}
			}
			verdictSays(t, rep, tt.wordsIn)
			var f pathFigures
			decodeDetails(t, gw, &f)
			t.Logf("verdict: %s\ngateway: %s %s", v.Summary, gw.Summary, details(gw))
			tt.check(t, f)
			if m := sentencePercent.FindStringSubmatch(v.Summary); tt.reason != "slow_beyond" {
				measured := f.LossPercent
				if f.Beyond != nil && tt.reason == "loss_beyond" {
					measured = f.Beyond.LossPercent
				}
				if m == nil || m[1] != strconv.FormatFloat(measured, 'f', -1, 64) {
					t.Errorf("verdict %q does not give the measured %v %%", v.Summary, measured)
				}
			}
			for _, c := range rep.Checks {
				if c.Status == "fail" && !slices.Contains(v.Evidence, c.ID) {
					t.Errorf("%s failed (%s, %s) and the path does not explain it", c.ID, c.Reason, c.Summary)
				}
			}
		})
	}
}
