//go:build linux

package lab_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/reportschema"
)

// TestMTUBlackHoles drops every packet over lab.MTULimit bytes on one path, with no
// "fragmentation needed" sent back: handshakes and small answers pass, pages stall. The
// diagnosis must name the path, not the service, say so in words in English and Finnish, and
// show the largest packet that passed.
func TestMTUBlackHoles(t *testing.T) {
	need(t)
	if _, err := exec.LookPath("nft"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the MTU black holes need nft (nftables)")
		}
		t.Skip("the MTU black holes need nft (nftables)")
	}
	tests := []struct {
		causeCase
		words map[string][]string
	}{
		{
			causeCase: causeCase{
				name: "path_mtu: the router drops large packets of the service", fault: (*lab.Lab).DropLargeToService,
				cause: "path_mtu", exit: 1,
				evidence: []evidence{{id: idService, status: "fail", reason: "path_mtu", detail: `"mtu_probe":"tcp_mss"`}},
				okBelow:  append(slices.Clone(belowService), idIntranet),
			},
			words: map[string][]string{
				"en": {"Portal", "large packets", "not your fault", "another network"},
				"fi": {"Portal", "suuret paketit", "Vika ei ole sinun", "toinen verkko"},
			},
		},
		{
			causeCase: causeCase{
				name: "vpn_mtu: the VPN drops large packets of the intranet", fault: (*lab.Lab).DropLargeInVPN,
				cause: "vpn_mtu", exit: 1,
				evidence: []evidence{{id: idIntranet, status: "fail", reason: "path_mtu", detail: `"via_vpn":true`}},
				okBelow:  append(slices.Clone(belowService), idService),
			},
			words: map[string][]string{
				"en": {"Intranet", "VPN", "large packets", "not your fault"},
				"sv": {"Intranet", "VPN-anslutningen", "stora paket", "inte ditt fel"},
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
			r := diagnose(t, l, tt.profile)
			checkCause(t, r, tt.causeCase)

			c, _ := r.Report.Check(tt.evidence[0].id)
			var d struct {
				Bytes int `json:"path_mtu_bytes"`
				Tried []struct {
					Bytes  int  `json:"bytes"`
					Passed bool `json:"passed"`
				} `json:"mtu_tried"`
			}
			decodeDetails(t, c, &d)
			// The smallest size tried is 536 + 40; anything over the limit cannot have passed.
			if d.Bytes < 576 || d.Bytes > lab.MTULimit {
				t.Errorf("path_mtu_bytes = %d, want between 576 and %d (tried %v)", d.Bytes, lab.MTULimit, d.Tried)
			}
			for _, try := range d.Tried {
				if try.Passed != (try.Bytes <= lab.MTULimit) {
					t.Errorf("%d bytes passed: %v, over a path that drops packets over %d", try.Bytes, try.Passed, lab.MTULimit)
				}
			}
			for lang, words := range tt.words {
				sentence := verdictIn(t, l, lang)
				for _, w := range words {
					if !strings.Contains(sentence, w) {
						t.Errorf("%s verdict %q lacks %q", lang, sentence, w)
					}
				}
			}
		})
	}
}

// verdictIn runs the diagnosis again with --lang and returns the verdict's sentence.
func verdictIn(t *testing.T, l *lab.Lab, lang string) string {
	t.Helper()
	path, err := l.WriteProfile(lab.ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := apuri().Exec(ctx, l.Client, "diagnose", "--json", "--lang", lang, "--profile", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := reportschema.Validate(r.Stdout); err != nil {
		t.Fatalf("the %s report breaks its schema: %v", lang, err)
	}
	var rep lab.Report
	if err := json.Unmarshal(r.Stdout, &rep); err != nil {
		t.Fatalf("decode the %s report: %v", lang, err)
	}
	return rep.Verdict.Summary
}
