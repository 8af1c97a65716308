package fleet

import (
	"bytes"
	"context"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

const testMachineID = "4c4c4544-0042-3510-8052-b4c04f4d3732"

func newTestExporter(t *testing.T, endpoint string, mutate func(*Config)) *Exporter {
	t.Helper()
	secrets := &support.MemorySecrets{}
	if err := secrets.Set(SecretAccount(endpoint), "s3cret-token"); err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Fleet: profile.Fleet{OTLPEndpoint: endpoint, Site: "turku-office",
			Interval: profile.Duration{Duration: time.Hour}},
		Version: "1.2.3", StatePath: filepath.Join(t.TempDir(), "fleet.json"), Secrets: secrets,
		MachineID: testMachineID, SearchDomains: func() []string { return nil },
	}
	if mutate != nil {
		mutate(&cfg)
	}
	e, err := New(cfg)
	if err != nil || e == nil {
		t.Fatalf("New = %v, %v", e, err)
	}
	t.Cleanup(func() { _ = e.Close(context.Background()) })
	return e
}

func lostEvent(cause diagnostics.Cause, evidence ...string) diagnostics.WatchEvent {
	return diagnostics.WatchEvent{Time: time.Now(), Event: diagnostics.WatchLost, Cause: cause,
		Status: diagnostics.StatusFail, Verdict: &diagnostics.Verdict{Cause: cause, Evidence: evidence}}
}

func TestExportSendsTheContractAndNothingPersonal(t *testing.T) {
	rcv := newReceiver(t)
	e := newTestExporter(t, rcv.URL, nil)
	e.NoteReport(&diagnostics.Report{Checks: []diagnostics.Result{{ID: diagnostics.IDVPNTunnel,
		Details: map[string]any{diagnostics.DetailInterfaces: []string{"wg0"}}}}})
	e.Event(diagnostics.WatchEvent{Event: diagnostics.WatchStarted, Time: time.Now()})
	e.Event(lostEvent(diagnostics.CauseVPNBroken, "vpn.internal", "service.intra"))
	e.Sample(diagnostics.WatchSample{Gateway: &diagnostics.Quality{LatencyMS: 3.5, LossPercent: 10},
		Internet: &diagnostics.Quality{LatencyMS: 21}})
	e.Event(diagnostics.WatchEvent{Time: time.Now(), Event: diagnostics.WatchRestored,
		Cause: diagnostics.CauseVPNBroken, Status: diagnostics.StatusOK, Ended: diagnostics.WatchLost, DurationS: 93.4})
	if err := e.Flush(context.Background()); err != nil {
		t.Fatalf("Flush: %v", err)
	}

	rcv.mu.Lock()
	bad, auth, paths := rcv.bad, rcv.auth, rcv.paths
	rcv.mu.Unlock()
	if len(bad) > 0 {
		t.Fatalf("the receiver could not read: %v", bad)
	}
	if !slices.Contains(paths, "/v1/logs") || !slices.Contains(paths, "/v1/metrics") {
		t.Fatalf("paths = %v, want /v1/logs and /v1/metrics", paths)
	}
	for _, a := range auth {
		if a != "Bearer s3cret-token" {
			t.Errorf("Authorization = %q, want the keyring's token", a)
		}
	}

	recs := rcv.records()
	if len(recs) != 2 {
		t.Fatalf("got %d records, want lost and restored (started is no change): %+v", len(recs), recs)
	}
	wantRes := map[string]string{"service.name": "apuri", "service.version": "1.2.3", "os.type": runtime.GOOS,
		"host.id": HostID(e.state.salt(), testMachineID), "apuri.site": "turku-office"}
	for k, v := range wantRes {
		if recs[0].resource[k] != v {
			t.Errorf("resource %s = %q, want %q", k, recs[0].resource[k], v)
		}
	}
	if len(recs[0].resource) != len(wantRes) {
		t.Errorf("resource has %v, want only %v", recs[0].resource, wantRes)
	}
	lost, restored := recs[0], recs[1]
	if lost.body != "lost" || lost.attrs["apuri.event"].GetStringValue() != "lost" ||
		lost.attrs["apuri.cause"].GetStringValue() != string(diagnostics.CauseVPNBroken) ||
		lost.attrs["apuri.status"].GetStringValue() != "fail" || lost.attrs["apuri.site"].GetStringValue() != "turku-office" ||
		lost.attrs["apuri.vpn_client"].GetStringValue() != "wireguard" {
		t.Errorf("lost record = %q %v", lost.body, lost.attrs)
	}
	var failing []string
	for _, v := range lost.attrs["apuri.failing_checks"].GetArrayValue().GetValues() {
		failing = append(failing, v.GetStringValue())
	}
	if !slices.Equal(failing, []string{"vpn.internal", "service.intra"}) {
		t.Errorf("apuri.failing_checks = %v", failing)
	}
	if _, ok := lost.attrs["apuri.lost_s"]; ok {
		t.Error("a lost record has apuri.lost_s; only restored ones do")
	}
	if restored.body != "restored" || restored.attrs["apuri.lost_s"].GetIntValue() != 93 {
		t.Errorf("restored record = %q %v, want apuri.lost_s 93", restored.body, restored.attrs)
	}

	checkMetrics(t, rcv)

	// Nothing that names the computer, its user or its network: not in any string of the
	// protocol, and the longer ones not anywhere in the raw bytes either. A short one (this
	// machine may be called "vm") must not be any string whole: inside a longer one, or in a
	// timestamp's bytes, it could be there by chance.
	forbidden := []string{"127.0.0.1", "wg0", testMachineID, e.state.salt(), rcv.Listener.Addr().String()}
	if hostName, _ := os.Hostname(); hostName != "" {
		forbidden = append(forbidden, hostName)
	}
	if u, err := user.Current(); err == nil {
		forbidden = append(forbidden, u.Username, u.Name, u.HomeDir)
	}
	texts := rcv.texts()
	if len(texts) < 20 {
		t.Fatalf("only %d strings found in what was received", len(texts))
	}
	for _, key := range []string{"host.name", "host.ip", "user.name", "process.owner", "net.host.name"} {
		if slices.Contains(texts, key) {
			t.Errorf("the attribute %s was sent", key)
		}
	}
	for _, f := range forbidden {
		if f == "" {
			continue
		}
		for _, s := range texts {
			if s == f || (len(f) >= 6 && strings.Contains(s, f)) {
				t.Errorf("a request holds %q in %q, which must never be sent", f, s)
			}
		}
		if len(f) < 6 {
			continue
		}
		rcv.mu.Lock()
		for _, raw := range rcv.raw {
			if bytes.Contains(raw, []byte(f)) {
				t.Errorf("a request's bytes hold %q, which must never be sent", f)
			}
		}
		rcv.mu.Unlock()
	}
	if e.Status().Since.IsZero() {
		t.Error("Status().Since is zero after a delivery")
	}
}

// checkMetrics finds the contract's metrics in what was received.
func checkMetrics(t *testing.T, rcv *receiver) {
	t.Helper()
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	got := map[string]*metricspb.Metric{}
	for _, req := range rcv.metrics {
		for _, rm := range req.ResourceMetrics {
			if site := stringAttrs(rm.GetResource().GetAttributes())["apuri.site"]; site != "turku-office" {
				t.Errorf("metrics' resource apuri.site = %q", site)
			}
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					got[m.Name] = m
				}
			}
		}
	}
	ev := got[MetricEvents]
	if ev == nil || ev.GetSum() == nil {
		t.Fatalf("no %s sum among %v", MetricEvents, keys(got))
	}
	sum := ev.GetSum()
	if !sum.IsMonotonic || sum.AggregationTemporality != metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE {
		t.Errorf("%s is not a monotonic cumulative sum: %v", MetricEvents, sum)
	}
	counts := map[string]int64{}
	for _, dp := range sum.DataPoints {
		a := stringAttrs(dp.Attributes)
		if a["apuri.site"] != "turku-office" || a["apuri.cause"] != string(diagnostics.CauseVPNBroken) {
			t.Errorf("data point attributes %v", a)
		}
		counts[a["apuri.event"]] = dp.GetAsInt()
	}
	if counts["lost"] != 1 || counts["restored"] != 1 || len(counts) != 2 {
		t.Errorf("event counts = %v, want lost 1, restored 1", counts)
	}
	wantGauge := map[string]struct {
		unit  string
		value float64
	}{MetricGatewayLatency: {"ms", 3.5}, MetricInternetLatency: {"ms", 21}, MetricGatewayLoss: {"%", 10}}
	for name, w := range wantGauge {
		m := got[name]
		if m == nil || m.GetGauge() == nil || len(m.GetGauge().DataPoints) != 1 {
			t.Errorf("%s: no gauge with one point: %v", name, m)
			continue
		}
		if m.Unit != w.unit || m.GetGauge().DataPoints[0].GetAsDouble() != w.value {
			t.Errorf("%s = %v %s, want %v %s", name, m.GetGauge().DataPoints[0].GetAsDouble(), m.Unit, w.value, w.unit)
		}
	}
	if up := got[MetricUptime]; up == nil || up.Unit != "s" || up.GetGauge() == nil {
		t.Errorf("%s: no gauge in s: %v", MetricUptime, up)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
