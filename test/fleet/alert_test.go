//go:build linux

package fleet_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/agent"
	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/fleet"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
)

// webhookNotice is the part of Alertmanager's webhook body the test reads.
type webhookNotice struct {
	Status      string            `json:"status"`
	GroupLabels map[string]string `json:"groupLabels"`
	Alerts      []struct {
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"alerts"`
}

// webhookReceiver stands in for the service desk the shipped example receiver posts to.
type webhookReceiver struct {
	mu      sync.Mutex
	notices []webhookNotice
}

func (w *webhookReceiver) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	var n webhookNotice
	if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	w.notices = append(w.notices, n)
	w.mu.Unlock()
}

func (w *webhookReceiver) received() []webhookNotice {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]webhookNotice(nil), w.notices...)
}

// site is a group of simulated computers at one site.
type site struct {
	name      string
	computers []*fleet.Exporter
}

func startSite(t *testing.T, s *stack, client *http.Client, name string, first, n int) site {
	t.Helper()
	st := site{name: name}
	dir := t.TempDir()
	for i := first; i < first+n; i++ {
		e, err := newComputer(computerConfig{endpoint: s.otlp, site: name, index: i, dir: dir, client: client})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close(context.Background()) })
		st.computers = append(st.computers, e)
	}
	return st
}

// report has computers of a site see one event each and send it.
func report(ctx context.Context, t *testing.T, computers []*fleet.Exporter, kind diagnostics.WatchEventKind, cause diagnostics.Cause) {
	t.Helper()
	for i, e := range computers {
		if err := send(ctx, e, kind, cause, 2+float64(i), 20+float64(i), 0); err != nil {
			t.Fatalf("computer %d: %v", i, err)
		}
	}
}

// TestSiteDisruptionAlert: three of four computers at Espoo lose their connection for the same
// cause, and so do both computers at Vantaa. ApuriSiteDisruption fires for Espoo only (N = 3),
// with "affected" = 3, and reaches the receiver grouped by site and cause. Apuri at Espoo reads
// it back from Alertmanager and shows it, detected automatically from 3 computers, as the
// answer to "is it only me?"; Apuri at Vantaa shows nothing. The alert counts the fourth Espoo
// computer when it loses its connection too. The shipped dashboard's queries find it all, and
// the collector counts the events' log records without keeping what they say.
func TestSiteDisruptionAlert(t *testing.T) {
	hook := &webhookReceiver{}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	s := needStack(t, stackOptions{webhook: srv.URL, groupWait: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	client := &http.Client{}
	espoo := startSite(t, s, client, "espoo", 1, 4)
	vantaa := startSite(t, s, client, "vantaa", 101, 2)
	hostIDs := map[string]bool{}
	for _, e := range append(append([]*fleet.Exporter(nil), espoo.computers...), vantaa.computers...) {
		hostIDs[e.HostID()] = true
	}
	if len(hostIDs) != 6 {
		t.Fatalf("six computers have %d host IDs: %v", len(hostIDs), hostIDs)
	}
	report(ctx, t, espoo.computers, diagnostics.WatchDiagnosis, diagnostics.CauseHealthy)
	report(ctx, t, vantaa.computers, diagnostics.WatchDiagnosis, diagnostics.CauseHealthy)

	// The contract's series, with the resource attributes as labels.
	var diag []sample
	poll.Until(t, "six computers' diagnosis events in Prometheus", func() bool {
		var err error
		diag, err = s.query(ctx, `apuri_connectivity_events_total{apuri_event="diagnosis"}`)
		return err == nil && len(diag) == 6
	})
	for _, d := range diag {
		for _, label := range []string{"apuri_event", "apuri_cause", "apuri_site", "host_id", "service_name", "service_version", "os_type"} {
			if d.Metric[label] == "" {
				t.Errorf("series %v has no label %s", d.Metric, label)
			}
		}
		if d.Metric["service_name"] != "apuri" || d.Metric["apuri_cause"] != "healthy" || d.Value != 1 || !hostIDs[d.Metric["host_id"]] {
			t.Errorf("series %v = %v, want service_name apuri, cause healthy, value 1, a computer's host.id", d.Metric, d.Value)
		}
	}

	report(ctx, t, espoo.computers[:3], diagnostics.WatchLost, diagnostics.CauseVPNBroken)
	report(ctx, t, vantaa.computers, diagnostics.WatchLost, diagnostics.CauseVPNBroken)

	// Both sites' losses are in before the alert is judged: Vantaa's two are below N.
	poll.Until(t, "losses counted per site: espoo 3, vantaa 2", func() bool {
		got, err := s.query(ctx, `apuri:site_cause:hosts_lost{apuri_cause="vpn_broken"}`)
		if err != nil || len(got) != 2 {
			return false
		}
		want := map[string]float64{"espoo": 3, "vantaa": 2}
		for _, g := range got {
			if want[g.Metric["apuri_site"]] != g.Value {
				return false
			}
		}
		return true
	})
	var firing []firingAlert
	poll.Until(t, "ApuriSiteDisruption for espoo in Alertmanager", func() bool {
		var err error
		firing, err = s.alerts(ctx, "ApuriSiteDisruption")
		return err == nil && len(firing) > 0
	})
	if len(firing) != 1 {
		t.Fatalf("alerts %+v, want exactly one (espoo)", firing)
	}
	a := firing[0]
	if a.Labels["apuri_site"] != "espoo" || a.Labels["apuri_cause"] != "vpn_broken" || a.Annotations["affected"] != "3" {
		t.Errorf("alert labels %v annotations %v, want apuri_site espoo, apuri_cause vpn_broken, affected 3", a.Labels, a.Annotations)
	}

	poll.Until(t, "the receiver's notice for espoo / vpn_broken", func() bool {
		for _, n := range hook.received() {
			if n.Status == "firing" && n.GroupLabels["apuri_site"] == "espoo" && n.GroupLabels["apuri_cause"] == "vpn_broken" &&
				len(n.GroupLabels) == 2 && len(n.Alerts) == 1 && n.Alerts[0].Annotations["affected"] == "3" {
				return true
			}
		}
		return false
	})

	// Apuri reads the alert back: at Espoo it shows the disruption, at Vantaa nothing.
	atEspoo, espooProfile := startApuri(ctx, t, s, "espoo", diagnostics.CauseVPNBroken)
	atVantaa, _ := startApuri(ctx, t, s, "vantaa", diagnostics.CauseVPNBroken)
	var shown agent.State
	var detected *diagnostics.Disruption
	poll.Until(t, "Apuri at espoo showing the disruption", func() bool {
		shown, detected = shownDetected(atEspoo)
		return detected != nil && shown.Report.Verdict.Disruption != nil
	})
	checkApuriShows(t, shown, detected, espooProfile, "espoo", diagnostics.CauseVPNBroken, 3)
	var quiet agent.State
	poll.Until(t, "Apuri at vantaa reading the Alertmanager", func() bool {
		var ok bool
		quiet, ok = readAlerts(atVantaa)
		return ok
	})
	if len(quiet.Disruptions.Disruptions) != 0 || quiet.Report.Verdict.Disruption != nil {
		t.Errorf("Apuri at vantaa, below N, shows %+v", quiet.Disruptions.Disruptions)
	}

	// The fourth computer loses its connection too: the same alert, four computers.
	report(ctx, t, espoo.computers[3:], diagnostics.WatchLost, diagnostics.CauseVPNBroken)
	poll.Until(t, "affected = 4 for espoo in Alertmanager", func() bool {
		got, err := s.alerts(ctx, "ApuriSiteDisruption")
		return err == nil && len(got) == 1 && got[0].Annotations["affected"] == "4"
	})

	// The dashboard's panels find the data the computers sent.
	checkDashboard(ctx, t, s)

	// The twelve events' log records reached the collector, which only counted them: its
	// output holds no site, cause, computer or VPN client.
	collector := s.procs[len(s.procs)-1]
	poll.Until(t, "the collector's count of 12 log records", func() bool {
		return countedLogRecords(collector.out.String()) == 12
	})
	for _, secret := range []string{"espoo", "vpn_broken", espoo.computers[0].HostID(), "openvpn"} {
		if strings.Contains(collector.out.String(), secret) {
			t.Errorf("the collector's output holds %q: the logs pipeline keeps content", secret)
		}
	}
}

// loggedRecords matches the debug exporter's line for one batch of logs at verbosity basic.
var loggedRecords = regexp.MustCompile(`"log records": (\d+)`)

// countedLogRecords adds up the log records the collector's debug exporter counted.
func countedLogRecords(output string) int {
	n := 0
	for _, m := range loggedRecords.FindAllStringSubmatch(output, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}
