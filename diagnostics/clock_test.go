package diagnostics

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/profile"
)

// serverDate is the whole-second time every test server puts in its Date header.
var serverDate = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// dateServer answers with serverDate; noDateFor lists methods whose answers leave Date out.
func dateServer(t *testing.T, hits *atomic.Int32, noDateFor ...string) string {
	t.Helper()
	return quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits != nil {
			hits.Add(1)
		}
		for _, m := range noDateFor {
			if r.Method == m {
				w.Header()["Date"] = nil // suppresses the server's own Date
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
		}
		w.Header().Set("Date", serverDate.Format(http.TimeFormat))
		w.WriteHeader(http.StatusNoContent)
	}), nil).URL
}

// offsetNow is a local clock that is `ahead` ahead of the server, with a 200 ms round trip:
// readings alternate between sending (100 ms before the server stamps) and receiving (100 ms after).
func offsetNow(ahead time.Duration) func() time.Time {
	var mu sync.Mutex
	n := 0
	mid := serverDate.Add(500 * time.Millisecond).Add(ahead)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n%2 == 1 {
			return mid.Add(-100 * time.Millisecond)
		}
		return mid.Add(100 * time.Millisecond)
	}
}

func TestClock(t *testing.T) {
	ok := dateServer(t, nil)
	headless := dateServer(t, nil, http.MethodHead)
	dead := "http://" + closedport.Addr(t) + "/"
	ca := newTestCA(t, "Untrusted CA")
	cert := ca.leaf(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), nil, net.ParseIP("127.0.0.1"))
	tlsRef := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Date", serverDate.Format(http.TimeFormat))
	}), &cert).URL

	tests := []struct {
		name      string
		internet  string
		services  []string
		threshold float64
		ahead     time.Duration
		status    Status
		reason    string
		key       string
		skew      float64
		arg       string // the message argument to check
		argValue  int
	}{
		{name: "in step", internet: ok, ahead: 400 * time.Millisecond, status: StatusOK, key: "check.clock.ok", skew: 0.4},
		{name: "behind within the default 60 s", internet: ok, ahead: -45 * time.Second, status: StatusOK, key: "check.clock.ok", skew: -45},
		{name: "ahead over the threshold", internet: ok, ahead: 90 * time.Second, status: StatusWarn, reason: "clock_skew", key: "check.clock.skewed", skew: 90, arg: "seconds", argValue: 90},
		{name: "behind over the threshold", internet: ok, ahead: -2 * time.Minute, status: StatusWarn, reason: "clock_skew", key: "check.clock.skewed", skew: -120, arg: "seconds", argValue: 120},
		{name: "over a profile threshold", internet: ok, threshold: 5, ahead: 10 * time.Second, status: StatusWarn, reason: "clock_skew", key: "check.clock.skewed", skew: 10},
		{name: "past five minutes ahead: sign-in breaks", internet: ok, ahead: 10 * time.Minute, status: StatusFail, reason: "clock_skew", key: "check.clock.wrong", skew: 600, arg: "minutes", argValue: 10},
		{name: "an hour behind", internet: ok, ahead: -time.Hour, status: StatusFail, reason: "clock_skew", key: "check.clock.wrong", skew: -3600, arg: "minutes", argValue: 60},
		{name: "no Date on HEAD: falls back to GET", internet: headless, ahead: 90 * time.Second, status: StatusWarn, reason: "clock_skew", key: "check.clock.skewed", skew: 90},
		{name: "internet dead: the first service answers", internet: dead, services: []string{ok}, ahead: time.Second, status: StatusOK, key: "check.clock.ok", skew: 1},
		{name: "no internet URL: the first service", services: []string{ok, dead}, ahead: -time.Second, status: StatusOK, key: "check.clock.ok", skew: -1},
		{name: "a wrong clock must not hide behind certificate checks", internet: tlsRef, ahead: 10 * time.Minute, status: StatusFail, reason: "clock_skew", key: "check.clock.wrong", skew: 600},
		{name: "no reference configured", status: StatusSkip, reason: "no_reference", key: "check.clock.no_reference"},
		{name: "no reference answers", internet: dead, services: []string{dead, "::bad"}, status: StatusSkip, reason: "no_reference", key: "check.clock.no_reference"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &profile.Profile{Network: profile.Network{InternetURL: tt.internet}, Thresholds: profile.Thresholds{ClockSkewS: tt.threshold}}
			for i, u := range tt.services {
				p.Services = append(p.Services, profile.Service{Name: string(rune('a' + i)), URL: u})
			}
			c := newClockCheck(p).(*clockCheck)
			c.now = offsetNow(tt.ahead)
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s (%v)", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key, r.Details)
			}
			if tt.status == StatusSkip {
				return
			}
			if r.Details["skew_s"] != tt.skew {
				t.Errorf("skew_s = %v, want %v", r.Details["skew_s"], tt.skew)
			}
			if r.Details["reference"] != "127.0.0.1" {
				t.Errorf("reference = %v", r.Details["reference"])
			}
			if tt.arg != "" && r.Message.Args[tt.arg] != tt.argValue {
				t.Errorf("%s = %v, want %d", tt.arg, r.Message.Args[tt.arg], tt.argValue)
			}
		})
	}
}

func TestClockAsksInOrder(t *testing.T) {
	var internetHits, firstHits, secondHits atomic.Int32
	p := &profile.Profile{
		Network: profile.Network{InternetURL: dateServer(t, &internetHits, http.MethodHead, http.MethodGet)},
		Services: []profile.Service{
			{Name: "first", URL: dateServer(t, &firstHits)},
			{Name: "second", URL: dateServer(t, &secondHits)},
		},
	}
	c := newClockCheck(p).(*clockCheck)
	c.now = offsetNow(0)
	if r := c.Run(context.Background()); r.Status != StatusOK {
		t.Fatalf("status = %s (%v)", r.Status, r.Details)
	}
	// The internet URL was asked by HEAD and GET, the first service once, the second never.
	if got := [3]int32{internetHits.Load(), firstHits.Load(), secondHits.Load()}; got != [3]int32{2, 1, 0} {
		t.Errorf("hits = %v, want [2 1 0]", got)
	}
}

// BenchmarkClockCheck measures one clock check against a loopback server (HEAD, one round trip).
func BenchmarkClockCheck(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	c := newClockCheck(&profile.Profile{Network: profile.Network{InternetURL: srv.URL}})
	for b.Loop() {
		if r := c.Run(context.Background()); r.Status != StatusOK {
			b.Fatalf("status = %s (%v)", r.Status, r.Details)
		}
	}
}
