package agent

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
	"github.com/apuri-project/apuri/internal/testsupport/poll"
	"github.com/apuri-project/apuri/profile"
	"github.com/apuri-project/apuri/support"
)

const mailIncident = `{"page":{"url":"https://status.example.org"},"incidents":[{"id":"1","name":"Mail is down",
"status":"investigating","shortlink":"https://status.example.org/i/1","components":[{"name":"mail"}]}]}`

const noIncidents = `{"page":{"url":"https://status.example.org"},"incidents":[]}`

// mailDown is a diagnosis in which the mail service fails.
func mailDown(_ context.Context, _ *profile.Profile, _ func(diagnostics.Event)) *diagnostics.Report {
	r := diagnostics.Fail(i18n.Msg("check.service.http_error"))
	r.ID, r.Group = diagnostics.ServicePrefix+"mail", diagnostics.GroupService
	results := []diagnostics.Result{r}
	return &diagnostics.Report{Schema: diagnostics.ReportSchema, Checks: results, Verdict: diagnostics.Decide(results)}
}

// feedProfile names a feed at url, read again every refresh.
func feedProfile(url string, refresh time.Duration) profile.Loaded {
	p := profile.Default()
	p.Services = []profile.Service{{Name: "mail", URL: "https://mail.example.org"}}
	p.Disruptions.FeedURL = url
	p.Disruptions.Refresh.Duration = refresh
	p.Disruptions.Timeout.Duration = 5 * time.Second
	return profile.Loaded{Profile: p}
}

// untilFeed skips updates until the state's feed satisfies ok.
func untilFeed(t *testing.T, updates <-chan Update, ok func(State) bool) State {
	t.Helper()
	for {
		if s := untilState(t, updates); ok(s) {
			return s
		}
	}
}

func TestDisruptionsExplainTheVerdict(t *testing.T) {
	var body atomic.Value
	body.Store(noIncidents)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	t.Cleanup(srv.Close)
	id := testIdentity
	a := newTestAgent(t, Config{Profile: feedProfile(srv.URL, 20*time.Millisecond), Diagnose: mailDown,
		Requests: RequestsConfig{Dir: t.TempDir(), Secrets: &support.MemorySecrets{}, Identity: &id, SaveDir: t.TempDir()}})
	updates, cancel := a.Subscribe()
	defer cancel()
	if s := a.State(); s.Disruptions != nil {
		t.Fatalf("before StartDisruptions the state has a feed: %+v", s.Disruptions)
	}
	if err := a.StartDisruptions(); err != nil {
		t.Fatal(err)
	}
	untilFeed(t, updates, func(s State) bool { return s.Disruptions != nil && !s.Disruptions.CheckedAt.IsZero() })

	report, err := a.RunDiagnosis(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if report.Verdict.Disruption != nil {
		t.Fatalf("no disruption is known yet, the verdict names %+v", report.Verdict.Disruption)
	}

	// The bulletin appears: the last report learns of it without another diagnosis.
	body.Store(mailIncident)
	s := untilFeed(t, updates, func(s State) bool { return len(s.Disruptions.Disruptions) == 1 })
	if s.Report == nil || s.Report.Verdict.Disruption == nil || s.Report.Verdict.Disruption.URL != "https://status.example.org/i/1" {
		t.Fatalf("the last report does not name the disruption: %+v", s.Report)
	}
	if s.Report.Verdict.AdviceKeys[0] != "advice.follow_disruption" {
		t.Errorf("advice = %v", s.Report.Verdict.AdviceKeys)
	}
	// The request window learns that support knows already.
	if info, err := a.RequestDraft(); err != nil || info.Known == nil || info.Known.Title != "Mail is down" {
		t.Errorf("draft info: %v %+v", err, info.Known)
	}
	// And the next diagnosis notes it as it finishes.
	report, err = a.RunDiagnosis(context.Background())
	if err != nil || report.Verdict.Disruption == nil || len(report.Disruptions) != 1 {
		t.Fatalf("next diagnosis: %v %+v", err, report)
	}

	// The bulletin ends.
	body.Store(noIncidents)
	s = untilFeed(t, updates, func(s State) bool { return len(s.Disruptions.Disruptions) == 0 })
	if s.Report.Verdict.Disruption != nil {
		t.Errorf("the ended disruption still explains the verdict: %+v", s.Report.Verdict)
	}
}

// A feed that does not answer never holds a diagnosis up, and its failure keeps what was known.
func TestDisruptionsSlowOrBrokenFeed(t *testing.T) {
	var mode atomic.Int32 // 0 good, 1 hang, 2 error
	release := make(chan struct{})
	var hanging atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case 1:
			hanging.Add(1)
			defer hanging.Add(-1)
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case 2:
			http.Error(w, "down", http.StatusBadGateway)
		default:
			_, _ = w.Write([]byte(mailIncident))
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	a := newTestAgent(t, Config{Profile: feedProfile(srv.URL, time.Hour), Diagnose: mailDown})
	updates, cancel := a.Subscribe()
	defer cancel()
	if err := a.StartDisruptions(); err != nil {
		t.Fatal(err)
	}
	untilFeed(t, updates, func(s State) bool { return s.Disruptions != nil && len(s.Disruptions.Disruptions) == 1 })

	// Hang the feed, and make the agent read it again by a new profile with the same feed.
	mode.Store(1)
	a.SetProfile(feedProfile(srv.URL, time.Hour))
	poll.Until(t, "the feed's reading to hang", func() bool { return hanging.Load() != 0 })
	report, err := a.RunDiagnosis(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if hanging.Load() == 0 {
		t.Fatal("the feed answered before the diagnosis finished; the test proves nothing")
	}
	if report.Verdict.Disruption == nil {
		t.Errorf("the cached bulletin was not used while the feed hung: %+v", report.Verdict)
	}

	mode.Store(2)
	a.SetProfile(feedProfile(srv.URL, time.Hour))
	s := untilFeed(t, updates, func(s State) bool { return s.Disruptions.Problem != nil })
	if s.Disruptions.Problem.Key != "feed.problem.status" || len(s.Disruptions.Disruptions) != 1 {
		t.Errorf("after a 502: %+v", s.Disruptions)
	}

	// A profile without a feed clears it.
	a.SetProfile(profile.Loaded{})
	if s := a.State(); s.Disruptions != nil {
		t.Errorf("a profile without a feed still shows %+v", s.Disruptions)
	}
}
