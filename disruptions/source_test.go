package disruptions

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// feedServer serves what the test sets, counting requests and the conditional ones it could
// answer with 304.
type feedServer struct {
	*httptest.Server
	body        atomic.Value // []byte
	status      atomic.Int32
	requests    atomic.Int32
	notModified atomic.Int32
}

func newFeedServer(t *testing.T, body []byte) *feedServer {
	s := &feedServer{}
	s.body.Store(body)
	s.status.Store(http.StatusOK)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		body := s.body.Load().([]byte)
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
		if code := int(s.status.Load()); code != http.StatusOK {
			http.Error(w, "broken", code)
			return
		}
		if r.Header.Get("If-None-Match") == etag {
			s.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func newSource(t *testing.T, url string) *Source {
	return &Source{
		URL: url, Timeout: 5 * time.Second, MaxAge: 24 * time.Hour,
		CachePath: filepath.Join(t.TempDir(), "apuri", "disruptions.json"), Now: func() time.Time { return now },
	}
}

func problemKey(st State) string {
	if st.Problem == nil {
		return ""
	}
	return st.Problem.Key
}

func TestFetchCachesAndAsksConditionally(t *testing.T) {
	srv := newFeedServer(t, readFixture(t, "statuspage_summary.json"))
	src := newSource(t, srv.URL)

	first := src.Fetch(context.Background())
	if first.Problem != nil || len(first.Disruptions) != 3 || !first.CheckedAt.Equal(now) {
		t.Fatalf("first reading = %+v", first)
	}
	second := src.Fetch(context.Background())
	if second.Problem != nil || len(second.Disruptions) != 3 {
		t.Fatalf("second reading = %+v", second)
	}
	if srv.notModified.Load() != 1 {
		t.Errorf("%d of %d requests were answered 304, want the second", srv.notModified.Load(), srv.requests.Load())
	}

	// Another process (the CLI beside the agent) reads the same cache without the network.
	srv.Close()
	again := &Source{URL: src.URL, CachePath: src.CachePath, Now: src.Now}
	if got := again.Cached(); len(got.Disruptions) != 3 {
		t.Errorf("cache read by a new source = %+v", got)
	}
}

func TestFetchFailuresKeepTheLastGoodList(t *testing.T) {
	good := readFixture(t, "rss.xml")
	tests := []struct {
		name    string
		breakIt func(s *feedServer, src *Source)
		key     string
	}{
		{"server error", func(s *feedServer, _ *Source) { s.status.Store(http.StatusInternalServerError) }, "feed.problem.status"},
		{"not found", func(s *feedServer, _ *Source) { s.status.Store(http.StatusNotFound) }, "feed.problem.status"},
		{"malformed feed", func(s *feedServer, _ *Source) { s.body.Store(readFixture(t, "truncated.xml")) }, "feed.problem.malformed"},
		{"HTML instead of a feed", func(s *feedServer, _ *Source) { s.body.Store(readFixture(t, "html_page.html")) }, "feed.problem.malformed"},
		{"huge feed", func(s *feedServer, src *Source) {
			src.MaxBytes = 64 << 10
			s.body.Store([]byte(strings.Repeat(" ", 65<<10) + string(good)))
		}, "feed.problem.too_large"},
		{"server gone", func(s *feedServer, _ *Source) { s.Close() }, "feed.problem.unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFeedServer(t, good)
			src := newSource(t, srv.URL)
			if st := src.Fetch(context.Background()); st.Problem != nil || len(st.Disruptions) != 2 {
				t.Fatalf("good reading = %+v", st)
			}
			tt.breakIt(srv, src)
			st := src.Fetch(context.Background())
			if problemKey(st) != tt.key {
				t.Errorf("problem = %v, want %s", st.Problem, tt.key)
			}
			if len(st.Disruptions) != 2 {
				t.Errorf("the last good list was lost: %+v", st.Disruptions)
			}
			if again := src.Cached(); len(again.Disruptions) != 2 {
				t.Errorf("the cache was spoilt: %+v", again)
			}
		})
	}
}

// An endless feed is cut off at the limit instead of filling the memory.
func TestFetchEndlessFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := []byte(strings.Repeat("<item><title>x</title></item>", 100))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	src := newSource(t, srv.URL)
	src.MaxBytes = 1 << 20
	if st := src.Fetch(context.Background()); problemKey(st) != "feed.problem.too_large" {
		t.Errorf("problem = %v", st.Problem)
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	src := newSource(t, srv.URL)
	src.Timeout = 50 * time.Millisecond
	st := src.Fetch(context.Background())
	if problemKey(st) != "feed.problem.timeout" {
		t.Errorf("problem = %v", st.Problem)
	}
}

func TestCachedIgnoresForeignOrBrokenFiles(t *testing.T) {
	srv := newFeedServer(t, readFixture(t, "atom.xml"))
	src := newSource(t, srv.URL)
	if got := src.Cached(); len(got.Disruptions) != 0 || got.Problem != nil {
		t.Fatalf("no cache yet, got %+v", got)
	}
	src.Fetch(context.Background())
	other := &Source{URL: "http://127.0.0.1:1/other", CachePath: src.CachePath, Now: src.Now}
	if got := other.Cached(); len(got.Disruptions) != 0 {
		t.Errorf("another feed's cache was used: %+v", got)
	}
	if err := os.WriteFile(src.CachePath, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := src.Cached(); len(got.Disruptions) != 0 {
		t.Errorf("a corrupt cache gave %+v", got)
	}
	// And a fetch repairs it.
	if st := src.Fetch(context.Background()); st.Problem != nil || len(src.Cached().Disruptions) != 2 {
		t.Errorf("fetch after a corrupt cache = %+v", st)
	}
}

func TestFetchRefusedConnection(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	src := newSource(t, "http://"+addr+"/feed")
	if st := src.Fetch(context.Background()); problemKey(st) != "feed.problem.unreachable" {
		t.Errorf("problem = %v", st.Problem)
	}
}
