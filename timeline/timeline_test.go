package timeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
)

// childEnv makes the test binary a second process that writes samples into the store it names.
const childEnv = "APURI_TIMELINE_TEST_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(childWriter(path))
	}
	os.Exit(m.Run())
}

// childWriter adds samples numbered 1000… as another process would.
func childWriter(path string) int {
	s := Open(path)
	s.FlushEvery = 0 // every sample its own write, to meet the other process's
	n, _ := strconv.Atoi(os.Getenv(childEnv + "_N"))
	for i := range n {
		if err := s.AddSample(sample(t0.Add(time.Duration(1000+i) * time.Second))); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func sample(at time.Time) Sample {
	return Sample{
		Time: at, State: diagnostics.ConnOnline, Status: diagnostics.StatusOK, Cause: diagnostics.CauseHealthy,
		Gateway:  &diagnostics.Quality{LatencyMS: 1.2},
		Internet: &diagnostics.Quality{LatencyMS: 20},
	}
}

// testStore is a store in a fresh directory with a clock the test sets, writing every sample
// at once.
func testStore(t *testing.T) (*Store, *time.Time) {
	t.Helper()
	now := t0
	s := Open(filepath.Join(t.TempDir(), "state", "apuri", "timeline.db"))
	s.Now = func() time.Time { return now }
	s.FlushEvery = 0
	return s, &now
}

func TestSamplesWaitInMemoryUntilFlushed(t *testing.T) {
	s, now := testStore(t)
	s.FlushEvery = 5 * time.Minute
	other := Open(s.Path) // another process reads only what was written
	count := func(st *Store) int {
		t.Helper()
		tl, err := st.Query(t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return len(tl.Samples)
	}
	for i := range 3 {
		*now = t0.Add(time.Duration(i) * 30 * time.Second)
		if err := s.AddSample(sample(*now)); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(other); n != 1 {
		t.Fatalf("%d samples on disk, want the first one only", n)
	}
	*now = t0.Add(5*time.Minute + time.Second)
	if err := s.AddSample(sample(*now)); err != nil {
		t.Fatal(err)
	}
	if n := count(other); n != 4 {
		t.Fatalf("%d samples on disk after FlushEvery, want 4", n)
	}
	*now = t0.Add(6 * time.Minute)
	if err := s.AddSample(sample(*now)); err != nil {
		t.Fatal(err)
	}
	if n := count(s); n != 5 {
		t.Errorf("the writing process sees %d samples, want its own 5", n)
	}
	if err := s.AddSample(sample(*now)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Begin(Incident{Kind: KindLost, Start: *now}); err != nil {
		t.Fatal(err)
	}
	if n := count(other); n != 6 {
		t.Errorf("an incident did not take the waiting samples along: %d on disk", n)
	}
	if err := s.AddSample(sample(*now)); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if n := count(other); n != 7 {
		t.Errorf("%d samples on disk after Flush, want 7", n)
	}
}

func TestIncidentsAndSamplesRoundTrip(t *testing.T) {
	s, _ := testStore(t)
	for i := range 10 {
		if err := s.AddSample(sample(t0.Add(time.Duration(i) * time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	id, err := s.Begin(Incident{Kind: KindLost, Start: t0.Add(2 * time.Minute), Cause: diagnostics.CauseNoLink})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(id, func(i *Incident) { i.End = t0.Add(4 * time.Minute); i.Diagnosis = diagnostics.CauseNoLink }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(id+100, func(*Incident) {}); !errors.Is(err, ErrNoIncident) {
		t.Errorf("updating a missing incident: %v", err)
	}
	tests := []struct {
		name             string
		since, until     time.Duration
		samples          int
		incidents        int
		firstSampleAfter time.Duration
	}{
		{"everything", 0, time.Hour, 10, 1, 0},
		{"the incident's stretch only", 3 * time.Minute, 5 * time.Minute, 3, 1, 3 * time.Minute},
		{"after the incident ended", 5 * time.Minute, time.Hour, 5, 0, 5 * time.Minute},
		{"before it began", -time.Hour, time.Minute, 2, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl, err := s.Query(t0.Add(tt.since), t0.Add(tt.until))
			if err != nil {
				t.Fatal(err)
			}
			if len(tl.Samples) != tt.samples || len(tl.Incidents) != tt.incidents {
				t.Fatalf("%d samples, %d incidents; want %d, %d", len(tl.Samples), len(tl.Incidents), tt.samples, tt.incidents)
			}
			if tt.samples > 0 && !tl.Samples[0].Time.Equal(t0.Add(tt.firstSampleAfter)) {
				t.Errorf("first sample at %v", tl.Samples[0].Time)
			}
			if tt.incidents > 0 && (tl.Incidents[0].Diagnosis != diagnostics.CauseNoLink || tl.Lost() != 1) {
				t.Errorf("incident %+v", tl.Incidents[0])
			}
		})
	}
}

func TestExportIsTheTimelineAsJSON(t *testing.T) {
	s, now := testStore(t)
	*now = t0.Add(time.Hour)
	if err := s.AddSample(sample(t0.Add(30 * time.Minute))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Begin(Incident{Kind: KindLost, Start: t0.Add(40 * time.Minute), Cause: diagnostics.CauseDNSFailure}); err != nil {
		t.Fatal(err)
	}
	data, err := s.Export(t0)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schema    string           `json:"schema"`
		Incidents []map[string]any `json:"incidents"`
		Samples   []map[string]any `json:"samples"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if got.Schema != Schema || len(got.Samples) != 1 || len(got.Incidents) != 1 ||
		got.Incidents[0]["cause"] != "dns_failure" || got.Incidents[0]["end"] != nil {
		t.Errorf("export:\n%s", data)
	}
}

func TestAMissingFileReadsEmpty(t *testing.T) {
	s, _ := testStore(t)
	tl, err := s.Query(t0, t0.Add(time.Hour))
	if err != nil || len(tl.Samples) != 0 || len(tl.Incidents) != 0 {
		t.Errorf("query of a missing store: %v %+v", err, tl)
	}
	if _, err := os.Stat(s.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("reading created the file: %v", err)
	}
}

func TestRetentionAndSizeLimits(t *testing.T) {
	tests := []struct {
		name         string
		maxSamples   int
		maxIncidents int
		wantSamples  int
		wantInc      int
	}{
		{"30 days kept", 1000, 1000, 31, 2},
		{"at most 10 samples and 1 incident", 10, 1, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, now := testStore(t)
			s.MaxSamples, s.MaxIncidents = tt.maxSamples, tt.maxIncidents
			*now = t0.Add(60 * 24 * time.Hour)
			for day := range 61 {
				if err := s.AddSample(sample(t0.Add(time.Duration(day) * 24 * time.Hour))); err != nil {
					t.Fatal(err)
				}
			}
			for _, start := range []time.Duration{24 * time.Hour, 45 * 24 * time.Hour} {
				id, err := s.Begin(Incident{Kind: KindLost, Start: t0.Add(start)})
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Update(id, func(i *Incident) { i.End = i.Start.Add(time.Minute) }); err != nil {
					t.Fatal(err)
				}
			}
			// An ongoing incident is never dropped for its age.
			if _, err := s.Begin(Incident{Kind: KindLost, Start: t0}); err != nil {
				t.Fatal(err)
			}
			if err := s.Prune(); err != nil {
				t.Fatal(err)
			}
			tl, err := s.Query(t0.Add(-time.Hour), *now)
			if err != nil {
				t.Fatal(err)
			}
			if len(tl.Samples) != tt.wantSamples {
				t.Errorf("%d samples kept, want %d", len(tl.Samples), tt.wantSamples)
			}
			ongoing := 0
			for _, i := range tl.Incidents {
				if i.Ongoing() {
					ongoing++
				}
			}
			if ongoing != 1 {
				t.Errorf("%d ongoing incidents, want the one", ongoing)
			}
			if ended := len(tl.Incidents) - ongoing; ended > tt.wantInc {
				t.Errorf("%d ended incidents kept, want at most %d", ended, tt.wantInc)
			}
		})
	}
}

func TestACorruptFileIsSetAside(t *testing.T) {
	s, _ := testStore(t)
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	if err := os.WriteFile(s.Path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSample(sample(t0)); err != nil {
		t.Fatalf("writing over a corrupt file: %v", err)
	}
	if _, err := os.Stat(s.Path + ".corrupt"); err != nil {
		t.Errorf("the corrupt file was not kept: %v", err)
	}
	if tl, err := s.Query(t0, t0); err != nil || len(tl.Samples) != 1 {
		t.Errorf("fresh store: %v %+v", err, tl)
	}
}

func TestConcurrentWritersInOneProcess(t *testing.T) {
	a, _ := testStore(t)
	b := Open(a.Path) // a second handle locks the file like a second process would
	b.FlushEvery = 0
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() { errs <- s.AddSample(sample(t0.Add(time.Duration(i) * time.Second))) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	tl, err := a.Query(t0, t0.Add(time.Hour))
	if err != nil || len(tl.Samples) != 40 {
		t.Fatalf("%v: %d samples, want 40", err, len(tl.Samples))
	}
}

func TestConcurrentWritersInTwoProcesses(t *testing.T) {
	s, _ := testStore(t)
	const n = 30
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+s.Path, childEnv+"_N="+strconv.Itoa(n))
	out := make(chan error, 1)
	go func() {
		b, err := cmd.CombinedOutput()
		if err != nil {
			err = fmt.Errorf("%w: %s", err, b)
		}
		out <- err
	}()
	for i := range n {
		if err := s.AddSample(sample(t0.Add(time.Duration(i) * time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-out; err != nil {
		t.Fatalf("the other process: %v", err)
	}
	tl, err := s.Query(t0, t0.Add(time.Hour))
	if err != nil || len(tl.Samples) != 2*n {
		t.Fatalf("%v: %d samples, want %d from both processes", err, len(tl.Samples), 2*n)
	}
}

func TestCloseAbandoned(t *testing.T) {
	s, _ := testStore(t)
	dead, err := s.Begin(Incident{Kind: KindLost, Start: t0, PID: 4000001})
	if err != nil {
		t.Fatal(err)
	}
	live, err := s.Begin(Incident{Kind: KindLost, Start: t0, PID: os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddSample(sample(t0.Add(5 * time.Minute))); err != nil {
		t.Fatal(err)
	}
	n, err := s.CloseAbandoned(func(pid int) bool { return pid == os.Getpid() })
	if err != nil || n != 1 {
		t.Fatalf("closed %d: %v", n, err)
	}
	tl, err := s.Query(t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range tl.Incidents {
		switch i.ID {
		case dead:
			if !i.Abandoned || !i.End.Equal(t0.Add(5*time.Minute)) {
				t.Errorf("abandoned incident %+v", i)
			}
		case live:
			if !i.Ongoing() {
				t.Errorf("a live process's incident was closed: %+v", i)
			}
		}
	}
}

func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	got := DefaultPath()
	if got == "" || filepath.Base(got) != "timeline.db" {
		t.Fatalf("DefaultPath() = %q", got)
	}
	// Linux and the BSDs keep it in the state directory; macOS and Windows in the cache one.
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && got != filepath.Join(dir, "apuri", "timeline.db") {
		t.Errorf("DefaultPath() = %q, want it under XDG_STATE_HOME %s", got, dir)
	}
}

func TestRecorder(t *testing.T) {
	s, _ := testStore(t)
	r := NewRecorder(s)
	ev := func(kind diagnostics.WatchEventKind, at time.Duration, cause diagnostics.Cause) diagnostics.WatchEvent {
		return diagnostics.WatchEvent{Time: t0.Add(at), Event: kind, Cause: cause}
	}
	degraded := ev(diagnostics.WatchDegraded, time.Minute, diagnostics.CauseDegraded)
	degraded.Since = t0.Add(time.Minute)
	lost := ev(diagnostics.WatchLost, 10*time.Minute, diagnostics.CauseNoLink)
	lost.Since = t0.Add(9 * time.Minute)
	diag := ev(diagnostics.WatchDiagnosis, 11*time.Minute, diagnostics.CauseNoLink)
	diag.Trigger = diagnostics.WatchLost
	restored := ev(diagnostics.WatchRestored, 20*time.Minute, diagnostics.CauseNoLink)
	restored.Since, restored.DurationS, restored.Ended, restored.Bounces = lost.Since, 600, diagnostics.WatchLost, 2
	for _, e := range []diagnostics.WatchEvent{ev(diagnostics.WatchStarted, 0, diagnostics.CauseHealthy), degraded, lost, diag, restored} {
		if err := r.Event(e); err != nil {
			t.Fatalf("%s: %v", e.Event, err)
		}
	}
	if err := r.Sample(sample(t0)); err != nil {
		t.Fatal(err)
	}
	tl, err := s.Query(t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Incidents) != 2 || len(tl.Samples) != 1 {
		t.Fatalf("incidents %+v samples %d", tl.Incidents, len(tl.Samples))
	}
	d, l := tl.Incidents[0], tl.Incidents[1]
	if d.Kind != KindDegraded || !d.End.Equal(lost.Since) {
		t.Errorf("the degradation did not end when the loss began: %+v", d)
	}
	if l.Kind != KindLost || l.Cause != diagnostics.CauseNoLink || l.Diagnosis != diagnostics.CauseNoLink ||
		!l.End.Equal(t0.Add(19*time.Minute)) || l.Bounces != 2 || l.PID != os.Getpid() {
		t.Errorf("lost incident %+v", l)
	}
}

// TestTheRecorderKeepsWhatWasLost: a lost event records the layer of the quick probe's cause,
// and the diagnosis, which knows better, corrects it, unless it found everything working.
func TestTheRecorderKeepsWhatWasLost(t *testing.T) {
	tests := []struct {
		name        string
		probe, diag diagnostics.Cause
		beforeDiag  diagnostics.Layer
		afterDiag   diagnostics.Layer
	}{
		{"the VPN only", diagnostics.CauseVPNDown, diagnostics.CauseVPNBroken, diagnostics.LayerVPN, diagnostics.LayerVPN},
		{"a service only", diagnostics.CauseServiceDown, diagnostics.CauseServiceDown, diagnostics.LayerService, diagnostics.LayerService},
		{"the whole connection", diagnostics.CauseNoLink, diagnostics.CauseNoLink, diagnostics.LayerConnection, diagnostics.LayerConnection},
		{"the VPN, found to be the network", diagnostics.CauseVPNDown, diagnostics.CauseGatewayUnreachable, diagnostics.LayerVPN, diagnostics.LayerConnection},
		{"healthy by the diagnosis", diagnostics.CauseServiceDown, diagnostics.CauseHealthy, diagnostics.LayerService, diagnostics.LayerService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := testStore(t)
			r := NewRecorder(s)
			lost := diagnostics.WatchEvent{Time: t0.Add(time.Minute), Since: t0, Event: diagnostics.WatchLost, Cause: tt.probe}
			diag := diagnostics.WatchEvent{Time: t0.Add(2 * time.Minute), Event: diagnostics.WatchDiagnosis,
				Trigger: diagnostics.WatchLost, Cause: tt.diag}
			what := func() diagnostics.Layer {
				tl, err := s.Query(t0.Add(-time.Hour), t0.Add(time.Hour))
				if err != nil || len(tl.Incidents) != 1 {
					t.Fatalf("query: %v, %+v", err, tl)
				}
				return tl.Incidents[0].What()
			}
			if err := r.Event(lost); err != nil {
				t.Fatal(err)
			}
			if got := what(); got != tt.beforeDiag {
				t.Errorf("before the diagnosis %q was lost, want %q", got, tt.beforeDiag)
			}
			if err := r.Event(diag); err != nil {
				t.Fatal(err)
			}
			if got := what(); got != tt.afterDiag {
				t.Errorf("after the diagnosis %q was lost, want %q", got, tt.afterDiag)
			}
		})
	}
}

// TestAnOlderRecordSaysWhatWasLostFromItsCause: records from before Lost was kept still say it.
func TestAnOlderRecordSaysWhatWasLostFromItsCause(t *testing.T) {
	old := Incident{Kind: KindLost, Cause: diagnostics.CauseVPNDown}
	if got := old.What(); got != diagnostics.LayerVPN {
		t.Errorf("from its cause %q, want the VPN", got)
	}
	old.Diagnosis = diagnostics.CauseServiceDown
	if got := old.What(); got != diagnostics.LayerService {
		t.Errorf("from its diagnosis %q, want a service", got)
	}
}
