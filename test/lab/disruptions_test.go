//go:build linux

package lab_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// portalIncident is a status page's answer naming the lab's service.
var portalIncident = fmt.Sprintf(`{"page":{"url":"http://%s:8080"},"incidents":[{"id":"p1",
"name":"Portal errors","status":"investigating","shortlink":"http://%s:8080/incidents/p1",
"components":[{"name":%q}]}]}`, lab.ProbeAddr, lab.ProbeAddr, lab.ServiceCheckName)

// feedSite serves a feed of known disruptions beside the lab's internet probe; hang makes it
// keep every request waiting.
type feedSite struct {
	url  string
	hang atomic.Bool
	hits atomic.Int64
}

func startFeed(t *testing.T, l *lab.Lab) *feedSite {
	t.Helper()
	ln, err := lab.Listen(l.Net, "tcp", net.JoinHostPort(lab.ProbeAddr, "8080"))
	if err != nil {
		t.Fatal(err)
	}
	f := &feedSite{url: "http://" + ln.Addr().String() + "/api/v2/summary.json"}
	release := make(chan struct{})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		if f.hang.Load() {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(portalIncident))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { close(release); _ = srv.Close() })
	return f
}

// TestKnownDisruption: the real binary in the lab's client reads the status page across the
// lab's network while it diagnoses, and a failing service named there is a known disruption.
func TestKnownDisruption(t *testing.T) {
	l := newLab(t)
	feed := startFeed(t, l)
	tests := []struct {
		name    string
		hang    bool
		timeout time.Duration
		fault   func(*lab.Lab) error
		cause   string
		known   string // the title the verdict names
		listed  int    // the known disruptions the report lists
	}{
		{name: "the failing service is in the feed", fault: siteMode(service, lab.ServerError),
			cause: "service_down", known: "Portal errors", listed: 1},
		{name: "healthy: the feed is listed but explains nothing", fault: noFault, cause: "healthy", listed: 1},
		// A feed that never answers, read with the longest timeout a profile allows (1 min),
		// while the run may take 30 s: the diagnosis must not wait for the feed.
		{name: "the feed hangs: the diagnosis goes on without it", hang: true, timeout: time.Minute,
			fault: siteMode(service, lab.ServerError), cause: "service_down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed.hang.Store(tt.hang)
			if err := tt.fault(l); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Service.Set(lab.Healthy) })
			before := feed.hits.Load()
			path, err := l.WriteProfile(lab.ProfileOptions{FeedURL: feed.url, FeedTimeout: tt.timeout})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			r, err := apuri().Diagnose(ctx, l.Client, path)
			if err != nil {
				t.Fatalf("%v\n%s", err, l.Describe())
			}
			v := r.Report.Verdict
			if v.Cause != tt.cause {
				t.Errorf("cause %q, want %q", v.Cause, tt.cause)
			}
			got := ""
			if v.KnownDisruption != nil {
				got = v.KnownDisruption.Title
			}
			if got != tt.known {
				t.Errorf("known disruption %q, want %q", got, tt.known)
			}
			if len(r.Report.Disruptions) != tt.listed {
				t.Errorf("%d known disruptions listed, want %d", len(r.Report.Disruptions), tt.listed)
			}
			if feed.hits.Load() == before {
				t.Error("the feed was never asked")
			}
		})
	}
}
