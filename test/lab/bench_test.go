//go:build linux

package lab_test

import (
	"context"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// Each iteration starts the binary and waits for a whole diagnosis, so keep b.N small:
//
//	sudo go test ./test/lab/ -run '^$' -bench . -benchtime 5x

// BenchmarkHealthy measures how long a healthy diagnosis takes against its slowest probe. The
// goal (the README's Measured table) is a ratio of at most 1.2, and under half a second in all.
//
//	ratio          report duration_ms ÷ the slowest check's duration_ms
//	ms/op          report duration_ms (time to verdict inside the process)
//	wall-ms/op     the same seen from outside: process start, profile, diagnosis, JSON
//	slowest-ms/op  the slowest check's duration_ms
//	net-ms/op      the slowest network, VPN or service check's duration_ms
func BenchmarkHealthy(b *testing.B) {
	l := newLab(b)
	path, err := l.WriteProfile(lab.ProfileOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var report, slowest, slowestNet, wall time.Duration
	slowIDs := map[string]int{}
	b.ResetTimer()
	for range b.N {
		r := benchRun(b, l, path)
		if r.Report.Verdict.Cause != "healthy" {
			b.Fatalf("verdict %q in a healthy lab (evidence %v)", r.Report.Verdict.Cause, r.Report.Verdict.Evidence)
		}
		s := r.Report.Slowest()
		slowIDs[s.ID]++
		report += ms(r.Report.DurationMS)
		slowest += ms(s.DurationMS)
		var net int64
		for _, c := range r.Report.Checks {
			if c.Group != "system" && c.Group != "account" {
				net = max(net, c.DurationMS)
			}
		}
		slowestNet += ms(net)
		wall += r.Wall
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(report)/float64(max(slowest, time.Millisecond)), "ratio")
	b.ReportMetric(msOf(report)/n, "ms/op")
	b.ReportMetric(msOf(wall)/n, "wall-ms/op")
	b.ReportMetric(msOf(slowest)/n, "slowest-ms/op")
	b.ReportMetric(msOf(slowestNet)/n, "net-ms/op")
	b.Logf("slowest check per run: %v", slowIDs)
}

// BenchmarkDeadNetwork drops every packet the client sends (LAN and tunnel alike), so every
// probe waits for its deadline. The goal (the README's Measured table) is a verdict within the profile's
// total timeout plus 0.2 s. It runs with the lab profile's timeouts (check 2 s, total 3 s) and
// with the per-check timeout as long as the total, where only the total can stop the run.
//
//	ratio          report duration_ms ÷ the profile's total timeout
//	wall-ratio     the same with the process's whole wall time
//	over-ms/op     wall time beyond the total timeout (goal ≤ 200)
func BenchmarkDeadNetwork(b *testing.B) {
	for _, bb := range []struct {
		name         string
		check, total time.Duration
	}{
		{"check=2s,total=3s", 2 * time.Second, 3 * time.Second},
		{"check=3s,total=3s", 3 * time.Second, 3 * time.Second},
	} {
		b.Run(bb.name, func(b *testing.B) { benchDead(b, bb.check, bb.total) })
	}
}

func benchDead(b *testing.B, check, total time.Duration) {
	l := newLab(b)
	path, err := l.WriteProfile(lab.ProfileOptions{CheckTimeout: check, Total: total})
	if err != nil {
		b.Fatal(err)
	}
	method, err := l.DropEverything()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("dropping every packet with %s", method)
	var report, wall time.Duration
	causes := map[string]int{}
	b.ResetTimer()
	for range b.N {
		r := benchRun(b, l, path)
		if r.Report.Verdict.Cause == "healthy" {
			b.Fatal("healthy verdict on a network that drops everything")
		}
		causes[r.Report.Verdict.Cause]++
		report += ms(r.Report.DurationMS)
		wall += r.Wall
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(report)/n/float64(total), "ratio")
	b.ReportMetric(float64(wall)/n/float64(total), "wall-ratio")
	b.ReportMetric(msOf(report)/n, "ms/op")
	b.ReportMetric(msOf(wall-time.Duration(b.N)*total)/n, "over-ms/op")
	b.Logf("verdicts: %v", causes)
}

func benchRun(b *testing.B, l *lab.Lab, path string) *lab.Run {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := apuri().Diagnose(ctx, l.Client, path)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

func ms(n int64) time.Duration     { return time.Duration(n) * time.Millisecond }
func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
