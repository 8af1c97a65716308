package diagnostics

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

var t0 = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// at builds a probe outcome that started s and ended e after t0.
func at(s, e time.Duration, status Status, cause Cause) WatchProbe {
	return WatchProbe{
		Start: t0.Add(s), End: t0.Add(e),
		Verdict: Verdict{Cause: cause, Status: status, Message: i18n.Msg("verdict." + string(cause))},
	}
}

func ok(s time.Duration) WatchProbe { return at(s, s+10*time.Millisecond, StatusOK, CauseHealthy) }
func warn(s time.Duration) WatchProbe {
	return at(s, s+10*time.Millisecond, StatusWarn, CauseDegraded)
}
func fail(s time.Duration, c Cause) WatchProbe { return at(s, s+time.Millisecond, StatusFail, c) }

// slowFail is a probe that waited a whole timeout for an answer that never came.
func slowFail(s time.Duration, c Cause) WatchProbe { return at(s, s+2*time.Second, StatusFail, c) }

// step is one probe fed to the machine and what must come of it.
type step struct {
	probe  WatchProbe
	events []WatchEventKind
	wait   time.Duration
}

func testMachine() *watchMachine {
	return newWatchMachine(&Watcher{
		Interval: 30 * time.Second, Grace: 500 * time.Millisecond, HoldDown: 5 * time.Second,
		Backoff: time.Second, MaxBackoff: 8 * time.Second,
	})
}

func TestWatchMachine(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name  string
		steps []step
	}{
		{"healthy start probes again after the interval", []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{ok(30 * s), nil, 30 * s},
		}},
		{"a blip shorter than the grace period is hidden", []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(10*s, CauseNoLink), nil, 499 * time.Millisecond},
			{ok(10*s + 500*time.Millisecond), nil, 30 * s},
		}},
		{"a failure that outlasts the grace period is lost, re-probed with doubling back-off up to the cap", []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(10*s, CauseNoLink), nil, 499 * time.Millisecond},
			{fail(10*s+500*time.Millisecond, CauseNoLink), []WatchEventKind{WatchLost}, 1 * s},
			{fail(12*s, CauseNoLink), nil, 2 * s},
			{fail(14*s, CauseNoLink), nil, 4 * s},
			{fail(18*s, CauseNoLink), nil, 8 * s},
			{fail(26*s, CauseNoLink), nil, 8 * s},
		}},
		{"a probe that timed out has seen the grace period already", []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{slowFail(30*s, CauseInternetUnreach), []WatchEventKind{WatchLost}, 1 * s},
		}},
		{"restored only after the hold-down, then healthy again", []step{
			{slowFail(0, CauseGatewayUnreachable), []WatchEventKind{WatchStarted, WatchLost}, 1 * s},
			{ok(3 * s), nil, 5*s - 10*time.Millisecond},
			{ok(8 * s), []WatchEventKind{WatchRestored}, 30 * s},
		}},
		{"a flapping link is one incident: bounces within the hold-down never restore", []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{fail(1*s, CauseNoLink), nil, 499 * time.Millisecond},
			{fail(1*s+500*time.Millisecond, CauseNoLink), []WatchEventKind{WatchLost}, 1 * s},
			{ok(2 * s), nil, 5*s - 10*time.Millisecond},
			{fail(3*s, CauseNoLink), nil, 1 * s},
			{ok(4 * s), nil, 5*s - 10*time.Millisecond},
			{fail(5*s, CauseNoLink), nil, 1 * s},
			{ok(6 * s), nil, 5*s - 10*time.Millisecond},
			{ok(11 * s), []WatchEventKind{WatchRestored}, 30 * s},
		}},
		{"degraded once per episode, recovered after the hold-down", []step{
			{ok(0), []WatchEventKind{WatchStarted}, 30 * s},
			{warn(30 * s), []WatchEventKind{WatchDegraded}, 30 * s},
			{warn(60 * s), nil, 30 * s},
			{ok(90 * s), []WatchEventKind{WatchRestored}, 30 * s},
		}},
		{"a loss during degradation ends it without a second restored", []step{
			{warn(0), []WatchEventKind{WatchStarted, WatchDegraded}, 30 * s},
			{slowFail(30*s, CauseInternetUnreach), []WatchEventKind{WatchLost}, 1 * s},
			{ok(33 * s), nil, 5*s - 10*time.Millisecond},
			{ok(38 * s), []WatchEventKind{WatchRestored}, 30 * s},
			{ok(68 * s), nil, 30 * s},
		}},
		{"starting without a connection reports it after the grace period", []step{
			{fail(0, CauseNoAddress), []WatchEventKind{WatchStarted}, 499 * time.Millisecond},
			{fail(500*time.Millisecond, CauseNoAddress), []WatchEventKind{WatchLost}, 1 * s},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMachine()
			for i, st := range tt.steps {
				events, wait := m.observe(st.probe)
				var kinds []WatchEventKind
				for _, e := range events {
					kinds = append(kinds, e.Event)
				}
				if !slices.Equal(kinds, st.events) {
					t.Fatalf("step %d: events %v, want %v", i, kinds, st.events)
				}
				if wait != st.wait {
					t.Fatalf("step %d: next probe in %v, want %v", i, wait, st.wait)
				}
			}
		})
	}
}

func TestWatchMachineEventContents(t *testing.T) {
	const s = time.Second
	m := testMachine()
	m.observe(ok(0))
	m.observe(fail(60*s, CauseNoLink))
	lost, _ := m.observe(fail(60*s+600*time.Millisecond, CauseNoLink))
	m.observe(ok(100 * s))
	m.observe(fail(101*s, CauseNoAddress))
	m.observe(ok(240 * s))
	restored, _ := m.observe(ok(250 * s))
	if len(lost) != 1 || len(restored) != 1 {
		t.Fatalf("lost %v restored %v", lost, restored)
	}
	l, r := lost[0], restored[0]
	if l.Cause != CauseNoLink || !l.Since.Equal(t0.Add(60*s)) || l.Message.Key != "watch.lost" || l.Verdict == nil {
		t.Errorf("lost event %+v", l)
	}
	if r.Cause != CauseNoLink || r.Ended != WatchLost || r.Bounces != 1 || r.DurationS != 180 ||
		r.Message.Args["duration"] != "3\u00a0min" || !r.Since.Equal(l.Since) {
		t.Errorf("restored event %+v", r)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"event":"restored"`, `"cause":"no_link"`, `"time":"2026-11-25T08:04:10.01Z"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}

func TestWatchSampleQuality(t *testing.T) {
	o := ok(0)
	o.Results = []Result{
		{ID: IDGateway, Status: StatusOK, Details: map[string]any{"latency_ms": 1.5, "loss_percent": 10.0}},
		{ID: IDInternet, Status: StatusFail, Details: map[string]any{"latency_ms": 2000.0}},
		{ID: IDInterfaces, Status: StatusOK},
	}
	o.VPN = &Quality{LatencyMS: 7, LossPercent: 50}
	m := testMachine()
	m.observe(o)
	s := m.sample(o)
	if s.State != ConnOnline || s.Gateway == nil || *s.Gateway != (Quality{1.5, 10}) ||
		s.Internet == nil || *s.Internet != (Quality{0, 100}) || s.VPN != o.VPN {
		t.Errorf("sample %+v gateway %+v internet %+v", s, s.Gateway, s.Internet)
	}
	if q := qualityOf(Result{Status: StatusSkip}); q != nil {
		t.Errorf("a skipped check has quality %+v", q)
	}
}

func TestFormatWatchDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{200 * time.Millisecond, "1\u00a0s"},
		{45 * time.Second, "45\u00a0s"},
		{3*time.Minute + 10*time.Second, "3\u00a0min"},
		{2 * time.Hour, "2\u00a0h"},
		{2*time.Hour + 5*time.Minute, "2\u00a0h 5\u00a0min"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatWatchDuration(tt.d); got != tt.want {
				t.Errorf("FormatWatchDuration(%v) = %q", tt.d, got)
			}
		})
	}
}

// scriptedProbe answers with the statuses given, one per probe, then keeps the last.
type scriptedProbe struct {
	mu       sync.Mutex
	statuses []Status
	calls    int
	called   chan int
}

func (p *scriptedProbe) run(ctx context.Context) WatchProbe {
	p.mu.Lock()
	st := p.statuses[min(p.calls, len(p.statuses)-1)]
	p.calls++
	n := p.calls
	p.mu.Unlock()
	now := time.Now()
	cause := CauseHealthy
	if st == StatusFail {
		cause = CauseNoLink
	}
	o := WatchProbe{Start: now, End: now, Verdict: Verdict{Cause: cause, Status: st}}
	select {
	case p.called <- n:
	case <-ctx.Done():
	}
	return o
}

func TestWatcherRunProbesOnChangesAndStops(t *testing.T) {
	probe := &scriptedProbe{statuses: []Status{StatusOK, StatusFail, StatusOK}, called: make(chan int, 10)}
	notifyCh := make(chan func(), 1)
	changesEnded := make(chan struct{})
	events := make(chan WatchEventKind, 10)
	var samples sync.WaitGroup
	samples.Add(3)
	w := &Watcher{
		// Only change notifications trigger probes here: every timer is far away.
		Interval: time.Hour, Grace: 0, HoldDown: 0, Backoff: time.Hour, MaxBackoff: time.Hour,
		Debounce: time.Millisecond,
		Probe:    probe.run,
		Changes: func(ctx context.Context, notify func()) error {
			defer close(changesEnded)
			notifyCh <- notify
			<-ctx.Done()
			return nil
		},
		Emit:   func(e WatchEvent) { events <- e.Event },
		Sample: func(WatchSample) { samples.Done() },
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	notify := <-notifyCh
	var got []WatchEventKind
	got = append(got, <-events) // the first probe, at start
	for range 2 {
		notify()
		got = append(got, <-events)
	}
	samples.Wait()
	cancel()
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}
	select {
	case <-changesEnded:
	default:
		t.Error("Run returned before the change notifications ended")
	}
	if want := []WatchEventKind{WatchStarted, WatchLost, WatchRestored}; !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestWatcherPeriodicProbe(t *testing.T) {
	probe := &scriptedProbe{statuses: []Status{StatusOK}, called: make(chan int)}
	w := &Watcher{Interval: time.Millisecond, Probe: probe.run}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- w.Run(ctx) }()
	for n := 0; n < 3; n = <-probe.called {
	}
	cancel()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
}

func TestWatcherWithoutProbe(t *testing.T) {
	if err := (&Watcher{}).Run(context.Background()); err == nil {
		t.Error("a watcher without a probe ran")
	}
}

// fakeCheck answers with a fixed result and counts its runs.
type fakeCheck struct {
	id    string
	group Group
	res   Result
	runs  int
	mu    sync.Mutex
}

func (c *fakeCheck) ID() string   { return c.id }
func (c *fakeCheck) Group() Group { return c.group }
func (c *fakeCheck) Run(context.Context) Result {
	c.mu.Lock()
	c.runs++
	c.mu.Unlock()
	return c.res
}

func TestQuickProbe(t *testing.T) {
	okRes := func() Result { return OK(i18n.Msg("check.fake")) }
	tests := []struct {
		name         string
		interfaces   Result
		tunnel       Result
		internet     Result
		wantCause    Cause
		wantNetwork  bool
		wantInternal bool
	}{
		{"healthy with a tunnel", okRes(), okRes(), okRes().Detail("latency_ms", 3.0), CauseHealthy, true, true},
		{"no link: nothing beyond the interfaces is probed", Fail(i18n.Msg("check.fake")).Because(ReasonNoLink), okRes(), okRes(),
			CauseNoLink, false, false},
		{"no tunnel: the internal hosts are left alone", okRes(), Skip(i18n.Msg("check.fake")).Because(ReasonVPNAbsent), okRes(),
			CauseHealthy, true, false},
		{"a name lookup failure in the internet probe is DNS", okRes(), okRes(),
			Fail(i18n.Msg("check.fake")).Detail("error_kind", "dns"), CauseDNSFailure, true, true},
		{"a timeout in the internet probe is the internet", okRes(), okRes(),
			Fail(i18n.Msg("check.fake")).Detail("error_kind", "timeout"), CauseInternetUnreach, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gateway := &fakeCheck{id: IDGateway, group: GroupNetwork, res: okRes().Detail("latency_ms", 1.0)}
			internet := &fakeCheck{id: IDInternet, group: GroupNetwork, res: tt.internet}
			internal := &fakeCheck{id: IDVPNInternal, group: GroupVPN, res: okRes()}
			q := &quickProbe{
				local: []Check{
					&fakeCheck{id: IDInterfaces, group: GroupNetwork, res: tt.interfaces},
					&fakeCheck{id: IDVPNTunnel, group: GroupVPN, res: tt.tunnel},
				},
				network:  []Check{gateway, internet},
				internal: internal,
				runner:   Runner{CheckTimeout: time.Second, Total: 2 * time.Second},
				now:      time.Now,
			}
			o := q.run(context.Background())
			if o.Verdict.Cause != tt.wantCause {
				t.Errorf("cause %q, want %q", o.Verdict.Cause, tt.wantCause)
			}
			if got := gateway.runs+internet.runs == 2; got != tt.wantNetwork {
				t.Errorf("network probed: %v, want %v", got, tt.wantNetwork)
			}
			if got := internal.runs == 1; got != tt.wantInternal {
				t.Errorf("internal hosts probed: %v, want %v", got, tt.wantInternal)
			}
			if o.End.Before(o.Start) {
				t.Errorf("ended %v before it started %v", o.End, o.Start)
			}
		})
	}
}

func TestQuickProbeMeasuresVPNTargets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	// A port that was just free: connecting is refused at once.
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := dead.Addr().String()
	dead.Close()
	q := &quickProbe{
		vpnTargets: []string{ln.Addr().String(), deadAddr},
		dial:       (&net.Dialer{}).DialContext,
		runner:     Runner{CheckTimeout: time.Second},
		now:        time.Now,
	}
	qual := q.measureVPN(context.Background())
	if qual.LossPercent != 50 {
		t.Errorf("loss %v%%, want 50%% (one of two targets answers)", qual.LossPercent)
	}
}

func TestViaVPNTargets(t *testing.T) {
	tests := []struct {
		name     string
		services []profile.Service
		internal []string
		want     []string
	}{
		{"via_vpn services with default and explicit ports", []profile.Service{
			{Name: "a", URL: "https://intra.example/x", ViaVPN: true},
			{Name: "b", URL: "http://wiki.example:8080/", ViaVPN: true},
			{Name: "c", URL: "https://public.example/", ViaVPN: false},
			{Name: "d", URL: "https://intra.example/y", ViaVPN: true},
		}, nil, []string{"intra.example:443", "wiki.example:8080"}},
		{"no via_vpn services: the internal hosts", nil, []string{"10.0.0.1:22"}, []string{"10.0.0.1:22"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := profile.Default()
			p.Services, p.VPN.InternalHosts = tt.services, tt.internal
			if got := viaVPNTargets(p); !slices.Equal(got, tt.want) {
				t.Errorf("targets %v, want %v", got, tt.want)
			}
		})
	}
}

// fakeTranslator renders keys as "key(args)".
type fakeTranslator struct{}

func (fakeTranslator) T(key string, args map[string]any) string {
	if len(args) == 0 {
		return key
	}
	return fmt.Sprintf("%s%v", key, args)
}

func TestWatchEventLocalize(t *testing.T) {
	r := &Report{Verdict: Verdict{
		Cause: CauseDNSFailure, Status: StatusFail, Message: i18n.Msg("verdict.dns_failure"),
		AdviceKeys: []string{"advice.reconnect_network"},
	}}
	e := DiagnosisEvent(r, WatchLost, t0)
	e.Localize(fakeTranslator{})
	if e.Summary != "watch.diagnosis verdict.dns_failure" || e.Verdict.Advice[0] != "advice.reconnect_network" {
		t.Errorf("localized %+v %+v", e, e.Verdict)
	}
	if r.Verdict.Advice != nil {
		t.Error("localizing the event changed the report")
	}
	if e.Trigger != WatchLost || e.Cause != CauseDNSFailure || e.Event != WatchDiagnosis {
		t.Errorf("event %+v", e)
	}
}
