package disruptions

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/i18n"
)

// alertsJSON is what GET /api/v2/alerts answers, in the shape of Alertmanager's v2 API
// (gettableAlerts): the site's firing alert, a silenced one, another site's, and another
// alert altogether.
const alertsJSON = `[
  {
    "annotations": {"affected": "15", "summary": "", "description": "15 computers lost the VPN"},
    "endsAt": "2026-03-02T09:20:00.000Z",
    "fingerprint": "3a1b2c3d4e5f6a7b",
    "receivers": [{"name": "apuri"}],
    "startsAt": "2026-03-02T07:03:00.000Z",
    "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"},
    "updatedAt": "2026-03-02T07:08:30.000Z",
    "generatorURL": "http://prometheus.internal:9090/graph?g0.expr=apuri",
    "labels": {"alertname": "ApuriSiteDisruption", "apuri_site": "turku-office", "apuri_cause": "vpn_broken", "severity": "warning"}
  },
  {
    "annotations": {"affected": "4.0"},
    "endsAt": "2026-03-02T09:20:00.000Z", "fingerprint": "0000000000000001", "receivers": [{"name": "apuri"}],
    "startsAt": "2026-03-02T06:00:00.000Z",
    "status": {"inhibitedBy": [], "silencedBy": ["5d1e"], "state": "suppressed"},
    "updatedAt": "2026-03-02T06:00:00.000Z",
    "labels": {"alertname": "ApuriSiteDisruption", "apuri_site": "turku-office", "apuri_cause": "dns_failure"}
  },
  {
    "annotations": {"affected": "9"},
    "endsAt": "2026-03-02T09:20:00.000Z", "fingerprint": "0000000000000002", "receivers": [{"name": "apuri"}],
    "startsAt": "2026-03-02T06:00:00.000Z",
    "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"},
    "updatedAt": "2026-03-02T06:00:00.000Z",
    "labels": {"alertname": "ApuriSiteDisruption", "apuri_site": "oulu-office", "apuri_cause": "no_link"}
  },
  {
    "annotations": {}, "endsAt": "2026-03-02T09:20:00.000Z", "fingerprint": "0000000000000003", "receivers": [{"name": "ops"}],
    "startsAt": "2026-03-02T06:00:00.000Z",
    "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"},
    "updatedAt": "2026-03-02T06:00:00.000Z",
    "labels": {"alertname": "DiskFull", "instance": "db1"}
  }
]`

// alertServer answers like Alertmanager, keeping the queries it was asked.
type alertServer struct {
	*httptest.Server
	mu      sync.Mutex
	status  int
	body    string
	queries []url.Values
}

func newAlertServer(t *testing.T) *alertServer {
	s := &alertServer{status: http.StatusOK, body: alertsJSON}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.URL.Path != "/api/v2/alerts" {
			http.NotFound(w, r)
			return
		}
		s.queries = append(s.queries, r.URL.Query())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(s.status)
		_, _ = w.Write([]byte(s.body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *alertServer) set(status int, body string) {
	s.mu.Lock()
	s.status, s.body = status, body
	s.mu.Unlock()
}

func newAlertSource(t *testing.T, base string, site *string) *Source {
	return &Source{URL: base + "/", Timeout: 5 * time.Second,
		CachePath: filepath.Join(t.TempDir(), "alerts.json"), Now: func() time.Time { return now },
		Site: func() string { return *site }}
}

func TestAlertmanagerGivesTheSitesDetectedDisruption(t *testing.T) {
	srv := newAlertServer(t)
	site := "turku-office"
	src := newAlertSource(t, srv.URL, &site)
	st := src.Fetch(t.Context())
	if st.Problem != nil {
		t.Fatalf("Problem = %v", *st.Problem)
	}
	if len(st.Disruptions) != 1 {
		t.Fatalf("got %d disruptions, want the site's one firing alert: %+v", len(st.Disruptions), st.Disruptions)
	}
	d := st.Disruptions[0]
	want := diagnostics.Detection{Site: "turku-office", Cause: diagnostics.CauseVPNBroken, Affected: 15}
	if d.Detected == nil || *d.Detected != want {
		t.Errorf("Detected = %+v, want %+v", d.Detected, want)
	}
	if !d.Started.Equal(time.Date(2026, 3, 2, 7, 3, 0, 0, time.UTC)) || d.Body != "15 computers lost the VPN" {
		t.Errorf("Started %v, Body %q", d.Started, d.Body)
	}
	srv.mu.Lock()
	q := srv.queries[0]
	srv.mu.Unlock()
	if q.Get("active") != "true" || q.Get("silenced") != "false" ||
		len(q["filter"]) != 2 || q["filter"][1] != `apuri_site="turku-office"` {
		t.Errorf("query = %v", q)
	}
	for lang, want := range map[string]string{
		"en": "Internal services can't be reached through the VPN: detected automatically from 15 computers at your site",
		"fi": "Sisäisiin palveluihin ei päästä VPN-yhteyden kautta: havaittu automaattisesti 15 tietokoneelta toimipisteessäsi",
	} {
		if got := d.Heading(i18n.New(lang)); got != want {
			t.Errorf("Heading in %s = %q, want %q", lang, got, want)
		}
	}
}

func TestAlertmanagerFailuresAreTranslatedProblems(t *testing.T) {
	srv := newAlertServer(t)
	site := "turku-office"
	src := newAlertSource(t, srv.URL, &site)
	if st := src.Fetch(t.Context()); len(st.Disruptions) != 1 {
		t.Fatalf("first reading: %+v", st)
	}
	cases := []struct {
		status int
		body   string
		want   string
	}{
		{http.StatusOK, `[{"labels": {"alertname": "ApuriSiteDisruption"`, "feed.problem.malformed"},
		{http.StatusOK, `{"not": "a list"}`, "feed.problem.malformed"},
		{http.StatusInternalServerError, "internal error", "feed.problem.status"},
	}
	for _, c := range cases {
		srv.set(c.status, c.body)
		st := src.Fetch(t.Context())
		if problemKey(st) != c.want {
			t.Errorf("%d %q: problem %q, want %q", c.status, c.body, problemKey(st), c.want)
		}
		if len(st.Disruptions) != 1 {
			t.Errorf("%d %q: the last good reading was not kept: %+v", c.status, c.body, st.Disruptions)
		}
		if msg := i18n.New("fi").Message(*st.Problem); msg == st.Problem.Key {
			t.Errorf("problem %q is not translated", st.Problem.Key)
		}
	}
}

// A computer at no site of the organisation's asks nothing, and shows no other site's alerts.
func TestAlertmanagerAsksNothingForNoSite(t *testing.T) {
	srv := newAlertServer(t)
	site := "turku-office"
	src := newAlertSource(t, srv.URL, &site)
	src.Fetch(t.Context())
	site = "other"
	if st := src.Fetch(t.Context()); len(st.Disruptions) != 0 || st.Problem != nil {
		t.Errorf("at no site: %+v", st)
	}
	if st := src.Cached(); len(st.Disruptions) != 0 {
		t.Errorf("the cache of another site shows: %+v", st.Disruptions)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.queries) != 1 {
		t.Errorf("%d queries, want only the first one's", len(srv.queries))
	}
}

// Prometheus writes "affected" as a float; whatever it writes, the count is a sane number.
func TestAlertmanagerAffectedAsPrometheusWritesIt(t *testing.T) {
	for value, want := range map[string]int{"14": 14, "1.4e+01": 14, "3.0": 3, "NaN": 0, "-2": 0, "": 0, "many": 0, "1e+300": 1000000} {
		body := `[{"labels": {"alertname": "ApuriSiteDisruption", "apuri_site": "s", "apuri_cause": "no_link"},
			"annotations": {"affected": "` + value + `"}, "status": {"state": "active"}}]`
		list, err := parseAlertmanager([]byte(body), "s")
		if err != nil || len(list) != 1 || list[0].Detected.Affected != want {
			t.Errorf("affected %q: %v %+v, want %d", value, err, list, want)
		}
	}
}
