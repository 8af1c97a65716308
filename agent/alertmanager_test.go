package agent

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

const siteAlert = `[{"labels": {"alertname": "ApuriSiteDisruption", "apuri_site": "turku-office", "apuri_cause": "vpn_broken"},
"annotations": {"affected": "14"}, "startsAt": "2026-11-25T07:03:00Z", "updatedAt": "2026-11-25T07:05:00Z",
"endsAt": "2026-11-25T08:03:00Z", "fingerprint": "a1", "receivers": [{"name": "apuri"}],
"status": {"state": "active", "silencedBy": [], "inhibitedBy": []}}]`

// vpnBroken is a diagnosis whose verdict is that the VPN carries nothing.
func vpnBroken(_ context.Context, _ *profile.Profile, _ func(diagnostics.Event)) *diagnostics.Report {
	return &diagnostics.Report{Schema: diagnostics.ReportSchema, Verdict: diagnostics.Verdict{
		Cause: diagnostics.CauseVPNBroken, Status: diagnostics.StatusFail, Evidence: []string{diagnostics.IDVPNInternal}}}
}

// The organisation's Alertmanager raises ApuriSiteDisruption for this site: the tray shows it
// without anyone writing a bulletin, and it explains a verdict of the same cause.
func TestAlertmanagerDisruptionExplainsTheVerdict(t *testing.T) {
	var body atomic.Value
	body.Store(`[]`)
	var asked atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(r.URL.Query()["filter"])
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	t.Cleanup(srv.Close)
	p := profile.Default()
	p.Disruptions.AlertmanagerURL = srv.URL
	p.Disruptions.Refresh.Duration = 20 * time.Millisecond
	p.Disruptions.Timeout.Duration = 5 * time.Second
	p.Fleet.Site = "turku-office"
	a := newTestAgent(t, Config{Profile: profile.Loaded{Profile: p}, Diagnose: vpnBroken,
		Feed: FeedConfig{AlertsCachePath: filepath.Join(t.TempDir(), "alerts.json")}})
	updates, cancel := a.Subscribe()
	defer cancel()
	if err := a.StartDisruptions(); err != nil {
		t.Fatal(err)
	}
	untilFeed(t, updates, func(s State) bool { return s.Disruptions != nil && !s.Disruptions.CheckedAt.IsZero() })
	if f, _ := asked.Load().([]string); len(f) != 2 || f[1] != `apuri_site="turku-office"` {
		t.Errorf("asked with filters %q", f)
	}
	if _, err := a.RunDiagnosis(context.Background()); err != nil {
		t.Fatal(err)
	}
	body.Store(siteAlert)
	s := untilFeed(t, updates, func(s State) bool { return len(s.Disruptions.Disruptions) == 1 })
	d := s.Disruptions.Disruptions[0]
	if d.Detected == nil || d.Detected.Affected != 14 || d.Detected.Cause != diagnostics.CauseVPNBroken {
		t.Fatalf("detected = %+v", d.Detected)
	}
	if s.Report == nil || s.Report.Verdict.Disruption == nil || s.Report.Verdict.Disruption.Detected == nil {
		t.Fatalf("the detected disruption does not explain the verdict: %+v", s.Report)
	}
	body.Store(`[]`)
	s = untilFeed(t, updates, func(s State) bool { return len(s.Disruptions.Disruptions) == 0 })
	if s.Report.Verdict.Disruption != nil {
		t.Error("the resolved alert still explains the verdict")
	}
}

// While this computer has a problem the Alertmanager is read every 30 s, else as the feed.
func TestAlertmanagerIsReadSoonerWhileThereIsAProblem(t *testing.T) {
	a := newTestAgent(t, Config{Diagnose: vpnBroken})
	if got := a.alertsRefresh(5 * time.Minute); got != 5*time.Minute {
		t.Errorf("with no problem: %v", got)
	}
	a.mu.Lock()
	a.watch.status = WatchStatus{State: diagnostics.ConnLost}
	a.mu.Unlock()
	if got := a.alertsRefresh(5 * time.Minute); got != alertsRefreshOnProblem {
		t.Errorf("while lost: %v", got)
	}
	a.mu.Lock()
	a.watch.status = WatchStatus{State: diagnostics.ConnOnline}
	a.mu.Unlock()
	if _, err := a.RunDiagnosis(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := a.alertsRefresh(5 * time.Minute); got != alertsRefreshOnProblem {
		t.Errorf("after a failing diagnosis: %v", got)
	}
}
