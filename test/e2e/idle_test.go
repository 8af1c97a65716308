//go:build linux

package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/internal/testsupport/lab"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every Linux
// architecture Apuri is built for.
const clockTicks = 100

// BenchmarkAgentIdle measures what the agent costs while it sits in the tray: healthy (in the
// network lab), no window open, over 60 s (APURI_IDLE_SECONDS changes that). It reports the
// agent's CPU as a percentage of one core, its resident memory and its wakeups per second
// (context switches of all its threads), with the connectivity watcher probing at its default
// interval and with the watcher off ([monitor] enabled = false). Run it with `make bench-idle`.
func BenchmarkAgentIdle(b *testing.B) {
	for _, watch := range []bool{true, false} {
		b.Run(fmt.Sprintf("watcher=%v", watch), func(b *testing.B) { benchIdle(b, watch) })
	}
}

func benchIdle(b *testing.B, watch bool) {
	need(b)
	if m := lab.Missing(); m != "" {
		b.Skipf("the idle benchmark runs the agent in the network lab, which needs %s", m)
	}
	seconds := 60
	if s, err := strconv.Atoi(os.Getenv("APURI_IDLE_SECONDS")); err == nil && s > 0 {
		seconds = s
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second+3*time.Minute)
	defer cancel()

	l, err := lab.New(ctx, lab.Options{Logf: b.Logf})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	profileTOML := lab.ProfileTOML(lab.ProfileOptions{})
	if !watch {
		profileTOML += "\n[monitor]\nenabled = false\n"
	}
	d := newDesktop(b, l.Client, profileTOML)
	w := startWatcher(b, d.conn)
	s := d.session
	p := startAgent(b, s, "--lang", "en")
	if _, _, err := w.waitItem(ctx, 1); err != nil {
		b.Fatal(err)
	}
	if err := waitHealthy(ctx, s.socket()); err != nil {
		b.Fatalf("%v\n%s", err, l.Describe())
	}
	// Let the start-up work (the diagnosis's goroutines, the first GC) settle first.
	time.Sleep(5 * time.Second)

	pid := p.cmd.Process.Pid
	b.ResetTimer()
	for range b.N {
		before, err := sample(pid)
		if err != nil {
			b.Fatal(err)
		}
		time.Sleep(time.Duration(seconds) * time.Second)
		after, err := sample(pid)
		if err != nil {
			b.Fatal(err)
		}
		elapsed := after.at.Sub(before.at).Seconds()
		cpu := float64(after.ticks-before.ticks) / clockTicks / elapsed * 100
		wakeups := float64(after.switches-before.switches) / elapsed
		rss := float64(after.rssKB) / 1024
		b.ReportMetric(cpu, "cpu%")
		b.ReportMetric(rss, "MB-rss")
		b.ReportMetric(wakeups, "wakeups/s")
		b.ReportMetric(float64(after.anonKB)/1024, "MB-anon")
		// RSS counts the mapped pages of the binary as well; kernels that map files in large
		// folios map much of it at the first touch, so the anonymous part is the one to watch.
		fmt.Printf("apuri agent idle over %.0f s (healthy, no window, watcher %v): CPU %.3f %% of one core, "+
			"RSS %.1f MB (anonymous %.1f MB, file %.1f MB; peak %.1f MB), %.3f wakeups/s, %d threads\n",
			elapsed, watch, cpu, rss, float64(after.anonKB)/1024, float64(after.fileKB)/1024, float64(after.hwmKB)/1024, wakeups, after.threads)
	}
	b.StopTimer()
	select {
	case <-p.done:
		b.Fatalf("the agent exited during the measurement: %v", p.err)
	default:
	}
}

// waitHealthy waits until the agent's first diagnosis has found the lab healthy.
func waitHealthy(ctx context.Context, socket string) error {
	c := agent.NewClient(socket)
	defer c.Close()
	var last agent.State
	judged := func() bool {
		st, err := c.State(ctx)
		if err != nil {
			return false
		}
		last = st
		return !st.Running && (st.Status == agent.StatusHealthy || st.Report != nil)
	}
	if err := poll.Wait(ctx, judged); err != nil {
		return fmt.Errorf("the agent never became healthy (last %s): %w", last.Status, err)
	}
	if last.Status != agent.StatusHealthy {
		return fmt.Errorf("the agent found the lab %s (%s), not healthy", last.Status, last.Report.Verdict.Cause)
	}
	return nil
}

// usage is one reading of a process's counters.
type usage struct {
	at       time.Time
	ticks    int64 // utime + stime of all threads
	switches int64 // voluntary + involuntary context switches of all threads
	rssKB    int64
	anonKB   int64 // the process's own memory
	fileKB   int64 // pages of the binary and libraries: shared, and reclaimable
	hwmKB    int64
	threads  int
}

func sample(pid int) (usage, error) {
	u := usage{at: time.Now()}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	// The command name may hold spaces; the fields after it are fixed.
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	u.ticks = utime + stime
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	u.rssKB = statusField(string(status), "VmRSS:")
	u.hwmKB = statusField(string(status), "VmHWM:")
	u.anonKB = statusField(string(status), "RssAnon:")
	u.fileKB = statusField(string(status), "RssFile:")
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue // a thread that just ended
		}
		u.switches += statusField(string(b), "voluntary_ctxt_switches:") + statusField(string(b), "nonvoluntary_ctxt_switches:")
		u.threads++
	}
	return u, nil
}

// statusField reads a number from /proc/PID/status ("VmRSS:   12345 kB").
func statusField(status, name string) int64 {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
