package diagnostics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/profile"
)

// runService runs a service check at url, trusting ca, within timeout.
func runService(t *testing.T, url string, ca *testCA, timeout time.Duration) (Result, *serviceCheck) {
	t.Helper()
	svc := profile.Service{Name: "Intra", Title: profile.Title{FI: "Intranetti", EN: "Intranet"}, URL: url}
	c := newServiceCheck(&profile.Profile{Thresholds: profile.Thresholds{CertExpiryDays: 14}}, svc).(*serviceCheck)
	if ca != nil {
		c.transport = trusting(ca.pool)
	} else {
		c.transport = trusting(nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	r := c.Run(ctx)
	assertContract(t, r)
	return r, c
}

func TestServiceLoadsThePage(t *testing.T) {
	page := strings.Repeat("x", 10<<10)
	normal := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(page))
	}), nil)
	r, _ := runService(t, normal.URL, nil, 5*time.Second)
	if r.Status != StatusOK || r.Details[DetailBodyBytes] != int64(len(page)) {
		t.Fatalf("normal page: %s/%q, body_bytes %v", r.Status, r.Reason, r.Details[DetailBodyBytes])
	}
	if _, ok := r.Details[DetailBodyMS].(int64); !ok {
		t.Errorf("body_ms = %#v", r.Details[DetailBodyMS])
	}
}

func TestServiceStopsReadingAtTheBound(t *testing.T) {
	large := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("y", maxServiceBody+100<<10)))
	}), nil)
	r, _ := runService(t, large.URL, nil, 5*time.Second)
	if r.Status != StatusOK || r.Details[DetailBodyBytes] != int64(maxServiceBody) {
		t.Fatalf("large page: %s/%q, body_bytes %v", r.Status, r.Reason, r.Details[DetailBodyBytes])
	}
}

// A server whose headers and first bytes arrive but whose page never ends, as over a path
// that drops full-size packets.
func TestServiceStalledPageIsAFailure(t *testing.T) {
	release := make(chan struct{})
	stalled := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte(strings.Repeat("z", 1000)))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}), nil)
	t.Cleanup(func() { close(release) })

	// The check gives up on its own before the deadline, so the runner never abandons it.
	r, _ := runService(t, stalled.URL, nil, 800*time.Millisecond)
	if r.Status != StatusFail || r.Reason != ReasonBodyStalled || r.Message.Key != "check.service.body_stalled" {
		t.Fatalf("got %s/%q/%s (%v)", r.Status, r.Reason, r.Message.Key, r.Details)
	}
	if r.Details[DetailBodyBytes] != int64(1000) || r.Details[DetailStatus] != 200 {
		t.Errorf("details = %v", r.Details)
	}
	if _, ok := r.Details[DetailLatencyMS].(int64); !ok {
		t.Errorf("latency_ms (time to first byte) = %#v", r.Details[DetailLatencyMS])
	}
}

func TestServiceCertificateNotYetValid(t *testing.T) {
	ca := newTestCA(t, "Test Issuing CA")
	now := time.Now()
	future := ca.leaf(t, now.Add(48*time.Hour), now.Add(200*24*time.Hour), nil, net.ParseIP("127.0.0.1"))
	srv := quietServer(t, status(200), &future)
	r, _ := runService(t, srv.URL, ca, 5*time.Second)
	if r.Status != StatusFail || r.Reason != ReasonTLS || r.Details[DetailTLSProblem] != TLSNotYetValid ||
		r.Message.Key != "check.service.tls_not_yet_valid" {
		t.Fatalf("got %s/%q/%s (%v)", r.Status, r.Reason, r.Message.Key, r.Details)
	}
}

func TestWithMarginEndsBeforeTheDeadline(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	ctx, stop := withMargin(parent)
	defer stop()
	d, _ := ctx.Deadline()
	pd, _ := parent.Deadline()
	if got := pd.Sub(d); got != stopMargin {
		t.Errorf("margin = %v, want %v", got, stopMargin)
	}
	short, cancel2 := context.WithTimeout(context.Background(), stopMargin)
	defer cancel2()
	ctx2, stop2 := withMargin(short)
	defer stop2()
	d2, _ := ctx2.Deadline()
	sd, _ := short.Deadline()
	if !d2.Equal(sd) {
		t.Errorf("a short deadline was shortened further")
	}
	if errors.Is(ctx2.Err(), context.Canceled) {
		t.Errorf("cancelled early")
	}
}

// The verdict on a stalled page says the service answered and the page was lost, in every
// language, and names the service.
func TestStalledPageVerdict(t *testing.T) {
	svc := res(ServicePrefix+"payroll", GroupService, StatusFail, ReasonBodyStalled)
	svc.Title = map[string]string{"fi": "Palkkajärjestelmä", "sv": "Lönesystemet", "en": "Payroll"}
	v := Decide(append(with(), svc))
	if v.Cause != CauseServiceDown || v.Message.Key != "verdict.service_down.body_stalled" {
		t.Fatalf("verdict %s/%s", v.Cause, v.Message.Key)
	}
	words := map[string][]string{
		"en": {"Payroll", "answers", "never finishes loading"},
		"fi": {"Palkkajärjestelmä", "vastaa", "ei lataudu loppuun"},
		"sv": {"Lönesystemet", "svarar", "aldrig färdigladdad"},
	}
	for lang, ws := range words {
		sentence := i18n.New(lang).Message(v.Message)
		for _, w := range ws {
			if !strings.Contains(sentence, w) {
				t.Errorf("%s sentence %q lacks %q", lang, sentence, w)
			}
		}
	}
}
