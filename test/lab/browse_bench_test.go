//go:build linux

package lab_test

import (
	"slices"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// BenchmarkUpstreamLossWhileBrowsing times how soon the watcher says lost when the router starts
// dropping everything beyond it while the user browses, for each browsing pattern, with the
// default timeouts and the default 30 s interval: the stall trigger must notice, not the
// periodic probe. The fault comes at five points of the trigger's one-second sampling period.
//
//	sudo go test ./test/lab/ -run '^$' -bench 'Upstream|Browse' -benchtime 3x
//
//	median-lost-ms   from the fault to the lost line, the median over the runs (goal ≤ 5000)
//	max-lost-ms      the slowest run
func BenchmarkUpstreamLossWhileBrowsing(b *testing.B) {
	const (
		browseSettle = 3 * time.Second
		lostGoal     = 5 * time.Second
	)
	for _, p := range browsePatterns {
		b.Run(p.name, func(b *testing.B) {
			l, w := startWatchWith(b, lab.ProfileOptions{}, 30*time.Second)
			flowing, stop := p.start(b, l)
			b.Cleanup(stop)
			var took []time.Duration
			causes := map[string]int{}
			logFrom := len(w.Stderr())
			b.ResetTimer()
			for i := range b.N {
				if err := flowing(); err != nil {
					b.Fatal(err)
				}
				// In flight for a while, as the user's traffic is when the path breaks: the
				// trigger follows a download from its second sample on.
				time.Sleep(browseSettle + time.Second*time.Duration(2*(i%5)+1)/10)
				t0 := time.Now()
				if err := l.BlackholeUpstream(); err != nil {
					b.Fatalf("fault: %v", err)
				}
				lost, err := w.Next(lostTimeout, isEvent("lost"))
				if err != nil {
					b.Fatalf("waiting for lost: %v", err)
				}
				took = append(took, lost.Read.Sub(t0))
				causes[lost.Cause]++
				if log := w.Stderr(); took[i] > lostGoal {
					// What the watcher did since the previous loss tells why this one took long.
					b.Logf("run %d: lost after %v (fault at %s); the watcher's log since the previous loss:\n%s",
						i+1, took[i].Round(time.Millisecond), t0.UTC().Format(time.RFC3339Nano), log[logFrom:])
				}
				logFrom = len(w.Stderr())
				if err := l.UnblackholeUpstream(); err != nil {
					b.Fatalf("undo: %v", err)
				}
				if _, err := w.Next(restoreTimeout, isDiagnosis("restored")); err != nil {
					b.Fatalf("waiting for the connection to come back: %v", err)
				}
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(msOf(took[len(took)/2]), "median-lost-ms")
			b.ReportMetric(msOf(took[len(took)-1]), "max-lost-ms")
			b.Logf("time to lost: %v; causes: %v", took, causes)
		})
	}
}
