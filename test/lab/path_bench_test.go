//go:build linux

package lab_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// BenchmarkPathQuality measures the gateway check's path measurement: how long it takes on a
// clean path and on one that loses a quarter of the packets on the access link, and how close
// its loss figure comes to the 25 % that nftables drops.
//
//	gateway-ms/op   the gateway check's duration_ms (router and the hop beyond, in parallel)
//	loss-%/op       the mean loss it measured to the router (lossy only)
//	abs-err-%/op    the mean distance of that figure from 25 % (lossy only)
//	max-err-%/op    the largest distance in any run (lossy only)
//	degraded-%      the share of runs whose verdict was degraded
func BenchmarkPathQuality(b *testing.B) {
	for _, bb := range []struct {
		name  string
		fault func(*lab.Lab) error
	}{
		{"clean", func(*lab.Lab) error { return nil }},
		{"loss=25%-access", (*lab.Lab).LoseOnAccessLink},
	} {
		b.Run(bb.name, func(b *testing.B) {
			l := newLab(b)
			if m := lab.NFTMissing(); m != "" {
				b.Skipf("needs %s", m)
			}
			if err := bb.fault(l); err != nil {
				b.Fatal(err)
			}
			path, err := l.WriteProfile(lab.ProfileOptions{})
			if err != nil {
				b.Fatal(err)
			}
			var took, loss, absErr, maxErr float64
			var runs []string
			degraded := 0
			b.ResetTimer()
			for range b.N {
				r := benchRun(b, l, path)
				gw, _ := r.Report.Check(idGateway)
				var f pathFigures
				decodeDetails(b, gw, &f)
				took += float64(gw.DurationMS)
				loss += f.LossPercent
				e := math.Abs(f.LossPercent - lab.LossPercentOfPathFaults)
				absErr += e
				maxErr = max(maxErr, e)
				runs = append(runs, fmt.Sprintf("%s %v%% of %d (%s)", gw.Reason, f.LossPercent, f.Samples, r.Report.Verdict.Cause))
				if r.Report.Verdict.Cause == "degraded" {
					degraded++
				}
			}
			b.StopTimer()
			b.Logf("each run's reason, loss and samples: %s", strings.Join(runs, ", "))
			n := float64(b.N)
			b.ReportMetric(took/n, "gateway-ms/op")
			b.ReportMetric(100*float64(degraded)/n, "degraded-%")
			if bb.name != "clean" {
				b.ReportMetric(loss/n, "loss-%/op")
				b.ReportMetric(absErr/n, "abs-err-%/op")
				b.ReportMetric(maxErr, "max-err-%/op")
			}
		})
	}
}
