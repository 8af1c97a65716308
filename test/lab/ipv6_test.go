//go:build linux

package lab_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

const idIPv6 = "network.ipv6"

// ipv6Details is what network.ipv6 reports.
type ipv6Details struct {
	Mode        string   `json:"ipv6_mode"`
	Route6      bool     `json:"ipv6_route"`
	Route4      bool     `json:"ipv4_route"`
	AAAA        []string `json:"aaaa"`
	NAT64Prefix string   `json:"nat64_prefix"`
	Error       string   `json:"error"`
}

// TestIPv6Modes gives the lab IPv6 in each of the ways networks have it, and checks that
// network.ipv6 tells them apart: no IPv6 (the plain lab), dual stack, IPv6 alone with DNS64 and
// NAT64, and IPv6 offered but black-holed in the router. Only the broken one is a finding:
// degraded, in its own words.
func TestIPv6Modes(t *testing.T) {
	need(t)
	tests := []struct {
		name   string
		fault  func(*lab.Lab) error
		mode   string
		status string
		cause  string
		route4 bool
		aaaa   string
		nat64  string
		words  map[string][]string
	}{
		{name: "IPv4 only", fault: noFault, mode: "none", status: "ok", cause: "healthy", route4: true},
		{
			name: "dual stack", fault: (*lab.Lab).DualStack, mode: "dual", status: "ok", cause: "healthy",
			route4: true, aaaa: lab.ProbeAddr6,
		},
		{
			name: "IPv6 only, DNS64 and NAT64", fault: (*lab.Lab).IPv6Only, mode: "ipv6_only", status: "ok", cause: "healthy",
			aaaa: lab.Synthesised(lab.ProbeAddr), nat64: lab.NAT64Prefix,
		},
		{
			name: "IPv6 offered but black-holed in the router", fault: both((*lab.Lab).DualStack, (*lab.Lab).BreakIPv6),
			mode: "broken", status: "warn", cause: "degraded", route4: true, aaaa: lab.ProbeAddr6,
			words: map[string][]string{
				"en": {"IPv6 is offered but does not work", "load slowly"},
				"fi": {"IPv6 on tarjolla, mutta se ei toimi", "latautua hitaasti"},
				"sv": {"IPv6 erbjuds men fungerar inte", "laddas långsamt"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t)
			if err := tt.fault(l); err != nil {
				t.Fatalf("set up IPv6: %v\n%s", err, l.Describe())
			}
			langs := []string{"en"}
			if tt.words != nil {
				langs = []string{"en", "fi", "sv"}
			}
			for _, lang := range langs {
				rep := diagnoseEnv(t, l, lab.ProfileOptions{}, langEnv(lang)).Report
				if rep.Verdict.Cause != tt.cause {
					t.Errorf("%s: verdict.cause = %q (%s, evidence %v), want %q", lang, rep.Verdict.Cause, rep.Verdict.Summary, rep.Verdict.Evidence, tt.cause)
				}
				for _, w := range tt.words[lang] {
					if !strings.Contains(rep.Verdict.Summary, w) {
						t.Errorf("%s: verdict %q does not say %q", lang, rep.Verdict.Summary, w)
					}
				}
				c, ok := rep.Check(idIPv6)
				if !ok {
					t.Fatalf("no %s in the report", idIPv6)
				}
				var d ipv6Details
				decodeDetails(t, c, &d)
				if c.Status != tt.status || d.Mode != tt.mode {
					t.Errorf("%s = %q mode %q (%s), want %q mode %q", idIPv6, c.Status, d.Mode, c.Summary, tt.status, tt.mode)
				}
				if d.Route4 != tt.route4 {
					t.Errorf("ipv4_route = %v, want %v", d.Route4, tt.route4)
				}
				if tt.aaaa != "" && !slices.Contains(d.AAAA, tt.aaaa) {
					t.Errorf("aaaa = %v, want %s", d.AAAA, tt.aaaa)
				}
				if d.NAT64Prefix != tt.nat64 {
					t.Errorf("nat64_prefix = %q, want %q", d.NAT64Prefix, tt.nat64)
				}
				if tt.cause == "degraded" && !slices.Contains(rep.Verdict.Evidence, idIPv6) {
					t.Errorf("verdict.evidence = %v, want %s", rep.Verdict.Evidence, idIPv6)
				}
				if tt.cause == "healthy" {
					for _, c := range rep.Checks {
						if c.Status == "fail" || c.Status == "warn" {
							t.Errorf("%s = %s (%s)", c.ID, c.Status, c.Summary)
						}
					}
				}
			}
		})
	}
}

// BenchmarkHealthyDualStack is BenchmarkHealthy on a dual-stack lab, where network.ipv6 looks
// the probe up and connects to it over IPv6: the healthy verdict's goal of under half a second
// holds there too.
//
//	ms/op        report duration_ms (time to verdict inside the process)
//	wall-ms/op   the same seen from outside
//	ipv6-ms/op   network.ipv6's duration_ms
func BenchmarkHealthyDualStack(b *testing.B) {
	l := newLab(b)
	if err := l.DualStack(); err != nil {
		b.Fatal(err)
	}
	path, err := l.WriteProfile(lab.ProfileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var report, wall, v6 time.Duration
	b.ResetTimer()
	for range b.N {
		r := benchRun(b, l, path)
		if r.Report.Verdict.Cause != "healthy" {
			b.Fatalf("verdict %q in a healthy dual-stack lab (evidence %v)", r.Report.Verdict.Cause, r.Report.Verdict.Evidence)
		}
		c, _ := r.Report.Check(idIPv6)
		if c.Details["ipv6_mode"] != "dual" {
			b.Fatalf("ipv6_mode %v, want dual", c.Details["ipv6_mode"])
		}
		report += ms(r.Report.DurationMS)
		wall += r.Wall
		v6 += ms(c.DurationMS)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(msOf(report)/n, "ms/op")
	b.ReportMetric(msOf(wall)/n, "wall-ms/op")
	b.ReportMetric(msOf(v6)/n, "ipv6-ms/op")
}
