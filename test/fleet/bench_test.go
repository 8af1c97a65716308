//go:build linux

package fleet_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// Load of BenchmarkFleet: this many simulated computers (APURI_FLEET_AGENTS changes it) at
// benchSites sites, sending through benchWorkers connections at once.
const (
	benchAgents  = 10000
	benchSites   = 100
	benchWorkers = 64
)

// BenchmarkFleet sends one event (with the quality samples) from every simulated computer per
// iteration through Apuri's own exporter over OTLP/HTTP into the collector, which writes them on
// to Prometheus. It reports the events per second held, the collector's CPU time per event and
// its peak and final resident memory, what one exporter holds in memory, and the time from the
// N-th computer's report of a loss to ApuriSiteDisruption in Alertmanager and to Apuri at that
// site showing it.
func BenchmarkFleet(b *testing.B) {
	s := needStack(b, stackOptions{})
	ctx := context.Background()
	n := benchAgents
	if v := os.Getenv("APURI_FLEET_AGENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < benchSites {
			b.Fatalf("APURI_FLEET_AGENTS=%q: want a number of at least %d", v, benchSites)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchWorkers}}
	dir := b.TempDir()
	before := inUse()
	computers := make([]*fleet.Exporter, n)
	for i := range computers {
		e, err := newComputer(computerConfig{endpoint: s.otlp, site: benchSite(i), index: i + 1, dir: dir, client: client})
		if err != nil {
			b.Fatal(err)
		}
		computers[i] = e
	}
	defer func() {
		for _, e := range computers {
			e.Close(ctx)
		}
	}()
	// What the exporters hold, heap and goroutine stacks: on a desktop, what Apuri's export
	// costs. Reported after the loop, which clears what was reported before it.
	perExporter := float64(inUse()-before) / float64(n)

	// Apuri at the site of the outage below runs through the load as a computer with a broken
	// VPN would: it reads the Alertmanager every 30 s.
	apuri, _ := startApuri(ctx, b, s, benchSite(0), diagnostics.CauseVPNBroken)

	pid := s.collector.Process.Pid
	cpuBefore, err := cpuTime(pid)
	if err != nil {
		b.Fatal(err)
	}
	events := 0
	start := time.Now()
	for b.Loop() {
		if err := reportAll(ctx, computers); err != nil {
			b.Fatal(err)
		}
		events += len(computers)
	}
	elapsed := time.Since(start)
	cpuAfter, err := cpuTime(pid)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(events)/elapsed.Seconds(), "events/s")
	b.ReportMetric(perExporter/1e3, "kB/exporter")
	// The collector's share: the simulated computers run on the same cores, so events/s is
	// what this machine holds, and CPU time per event is what the collector costs.
	b.ReportMetric((cpuAfter-cpuBefore).Seconds()*1e6/float64(events), "collector-CPU-µs/event")

	// The alert: N computers at one site lose their connection; the clock starts when the N-th
	// has reported.
	outage := []*fleet.Exporter{computers[0], computers[benchSites], computers[2*benchSites]} // all at benchSite(0)
	for _, e := range outage {
		if err := send(ctx, e, diagnostics.WatchLost, diagnostics.CauseVPNBroken, 3, 25, 0); err != nil {
			b.Fatal(err)
		}
	}
	reported := time.Now()
	var toAlert time.Duration
	err = poll.Within(benchWait, func() bool {
		got, _ := s.alerts(ctx, "ApuriSiteDisruption")
		for _, a := range got {
			if a.Labels["apuri_cause"] == string(diagnostics.CauseVPNBroken) && a.Labels["apuri_site"] == benchSite(0) {
				toAlert = time.Since(reported)
				return true
			}
		}
		return false
	})
	if err != nil {
		b.Fatalf("ApuriSiteDisruption for the benchmark's outage: %v", err)
	}
	b.ReportMetric(toAlert.Seconds(), "s-to-alert")
	var shown *diagnostics.Disruption
	err = poll.Within(benchWait, func() bool {
		_, shown = shownDetected(apuri)
		return shown != nil
	})
	if err != nil {
		b.Fatalf("Apuri at %s showing the outage: %v", benchSite(0), err)
	}
	b.ReportMetric(time.Since(reported).Seconds(), "s-to-apuri")
	if d := shown.Detected; d == nil || d.Cause != diagnostics.CauseVPNBroken || d.Affected != len(outage) {
		b.Errorf("Apuri shows %+v, want detected automatically from %d computers", d, len(outage))
	}

	peak, rss, err := residentMemory(pid)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(peak/1e6, "collector-peak-MB")
	b.ReportMetric(rss/1e6, "collector-RSS-MB")

	// Prometheus' share, for the scaling on paper (docs/fleet.md): the series each computer
	// makes, and the memory Prometheus holds for them.
	var tsdb struct {
		Data struct {
			HeadStats struct {
				NumSeries float64 `json:"numSeries"`
			} `json:"headStats"`
		} `json:"data"`
	}
	if err := getJSON(ctx, s.prometheus+"/api/v1/status/tsdb", &tsdb); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(tsdb.Data.HeadStats.NumSeries/float64(n), "series/computer")
	if _, rss, err = residentMemory(s.process("prometheus").Process.Pid); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(rss/1e6, "prometheus-RSS-MB")
}

// benchWait bounds the waits for the alert and for Apuri: Apuri reads every 30 s at most.
const benchWait = 2 * time.Minute

// inUse is the memory this process holds: the heap's objects and the goroutines' stacks,
// after a collection.
func inUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// benchSite is the site of simulated computer i: computers are spread evenly over the sites.
func benchSite(i int) string {
	return fmt.Sprintf("site-%03d", i%benchSites)
}

// reportAll has every computer see an automatic diagnosis, sample the path and send,
// benchWorkers at once.
func reportAll(ctx context.Context, computers []*fleet.Exporter) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, benchWorkers)
	for range benchWorkers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(computers) {
					return
				}
				err := send(ctx, computers[i], diagnostics.WatchDiagnosis, diagnostics.CauseHealthy,
					1+float64(i%7), 15+float64(i%40), float64(i%3))
				if err != nil {
					errs <- fmt.Errorf("computer %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// cpuTime reads the CPU time (user and system) a process has used, from /proc/PID/stat.
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
	_, rest, ok := strings.Cut(string(data), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, data)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on every Linux Go runs on.
const clockTicks = 100

// residentMemory reads a process's peak (VmHWM) and current (VmRSS) resident memory in bytes.
func residentMemory(pid int) (peak, current float64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmHWM" && key != "VmRSS") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status %s: %w", pid, key, err)
		}
		if key == "VmHWM" {
			peak = kb * 1024
		} else {
			current = kb * 1024
		}
	}
	if peak == 0 || current == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status: no VmHWM or VmRSS", pid)
	}
	return peak, current, sc.Err()
}
