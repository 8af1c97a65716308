package netproxy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// testEnv answers lookups from a table and says it is 10.1.2.3, on a fixed Wednesday noon UTC.
func testEnv() pacEnv {
	names := map[string]string{"intra.example.fi": "10.20.0.5", "www.example.com": "203.0.113.7"}
	return pacEnv{
		lookup: func(_ context.Context, host string) ([]net.IP, error) {
			if a, ok := names[host]; ok {
				return []net.IP{net.ParseIP(a)}, nil
			}
			return nil, errors.New("no such host")
		},
		myIP: func() net.IP { return net.ParseIP("10.1.2.3") },
		now:  func() time.Time { return time.Date(2026, time.March, 11, 12, 30, 0, 0, time.UTC) },
	}
}

const officePAC = `
function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".intra.example.fi") || localHostOrDomainIs(host, "intra.example.fi"))
    return "DIRECT";
  if (isInNet(dnsResolve(host), "10.0.0.0", "255.0.0.0")) return "DIRECT";
  if (shExpMatch(url, "http://*/downloads/*")) return "PROXY big.example.fi:8080";
  if (isInNet(myIpAddress(), "10.1.0.0", "255.255.0.0") && dnsDomainLevels(host) > 1)
    return "PROXY proxy1.example.fi:3128; PROXY proxy2.example.fi:3128; DIRECT";
  if (!isResolvable(host)) return "SOCKS socks.example.fi:1080";
  return "PROXY proxy1.example.fi:3128";
}`

func TestPACHelpers(t *testing.T) {
	s, err := loadPAC([]byte(officePAC), testEnv(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ url, host, want string }{
		{"http://intranet/", "intranet", "DIRECT"},
		{"https://wiki.intra.example.fi/", "wiki.intra.example.fi", "DIRECT"},
		{"https://intra.example.fi/", "intra.example.fi", "DIRECT"},
		{"http://files.example.com/downloads/a.iso", "files.example.com", "PROXY big.example.fi:8080"},
		{"https://www.example.com/", "www.example.com", "PROXY proxy1.example.fi:3128; PROXY proxy2.example.fi:3128; DIRECT"},
		{"https://example/", "example", "DIRECT"},
	}
	for _, tt := range tests {
		got, err := s.FindProxyForURL(context.Background(), tt.url, tt.host)
		if err != nil || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
}

func TestPACTimeHelpers(t *testing.T) {
	// The clock says Wednesday 11 March 2026, 12:30 UTC.
	tests := []struct {
		expr string
		want bool
	}{
		{`weekdayRange("MON", "FRI", "GMT")`, true},
		{`weekdayRange("SAT", "SUN", "GMT")`, false},
		{`weekdayRange("FRI", "WED", "GMT")`, true},
		{`timeRange(12, "GMT")`, true},
		{`timeRange(8, 12, "GMT")`, false},
		{`timeRange(12, 0, 13, 0, "GMT")`, true},
		{`dateRange("MAR", "GMT")`, true},
		{`dateRange(1, 10, "GMT")`, false},
		{`dateRange("NOV", "FEB", "GMT")`, false},
		{`dateRange(2025, 2027, "GMT")`, true},
		{`dateRange(1, "MAR", 15, "MAR", "GMT")`, true},
		{`dateRange(1, "JAN", 2026, 1, "MAR", 2026, "GMT")`, false},
	}
	for _, tt := range tests {
		src := "function FindProxyForURL(u, h) { return (" + tt.expr + ") ? 'DIRECT' : 'PROXY no:1'; }"
		s, err := loadPAC([]byte(src), testEnv(), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindProxyForURL(context.Background(), "http://x/", "x")
		if err != nil || (got == "DIRECT") != tt.want {
			t.Errorf("%s: got %q, %v; want %v", tt.expr, got, err, tt.want)
		}
	}
}

// TestHostilePAC: a script that never returns is stopped at the deadline, at load or per call,
// and one too large is refused before it is compiled.
func TestHostilePAC(t *testing.T) {
	if _, err := loadPAC([]byte("while (true) {}"), testEnv(), 100*time.Millisecond); !errors.Is(err, errPACDeadline) {
		t.Errorf("a loop at the top level: %v", err)
	}
	s, err := loadPAC([]byte("function FindProxyForURL(u, h) { for (;;) {} }"), testEnv(), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindProxyForURL(context.Background(), "http://x/", "x"); !errors.Is(err, errPACDeadline) {
		t.Errorf("a loop in FindProxyForURL: %v", err)
	}
	// The runtime is usable again after an interrupt.
	if _, err := s.FindProxyForURL(context.Background(), "http://x/", "x"); !errors.Is(err, errPACDeadline) {
		t.Errorf("second call: %v", err)
	}
	huge := []byte("// " + strings.Repeat("x", MaxPACBytes) + "\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }")
	if _, err := loadPAC(huge, testEnv(), time.Second); !errors.Is(err, errPACTooLarge) {
		t.Errorf("a huge script: %v", err)
	}
	if _, err := loadPAC([]byte("var x = 1;"), testEnv(), time.Second); err == nil {
		t.Error("a script without FindProxyForURL was accepted")
	}
	if _, err := loadPAC([]byte("function ("), testEnv(), time.Second); err == nil {
		t.Error("a script that does not compile was accepted")
	}
}

func TestParsePACResult(t *testing.T) {
	got, err := parsePACResult("PROXY a.fi:3128; DIRECT;SOCKS5 s.fi:1080 ; HTTPS h.fi:443; QUIC q:1")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range got {
		if u == nil {
			names = append(names, "DIRECT")
		} else {
			names = append(names, u.String())
		}
	}
	want := []string{"http://a.fi:3128", "DIRECT", "socks5://s.fi:1080", "https://h.fi:443"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("got %q, want %q", names, want)
	}
	for _, bad := range []string{"", "PROXY", "nonsense here"} {
		if _, err := parsePACResult(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }

// TestProxiesFromPAC serves a script on loopback, as GNOME's "auto" with an autoconfig-url
// would name it, and asks for addresses through it.
func TestProxiesFromPAC(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		_, _ = w.Write([]byte(officePAC))
	}))
	t.Cleanup(srv.Close)
	p := Fixed(Config{From: SourceGNOME, PACURL: srv.URL + "/proxy.pac"})
	p.pacEnv = testEnv()
	lookups := 0
	lookup := p.pacEnv.lookup
	p.pacEnv.lookup = func(ctx context.Context, host string) ([]net.IP, error) { lookups++; return lookup(ctx, host) }
	c := p.For(context.Background(), mustURL("https://www.example.com/"))
	if c.Source != SourcePAC || c.String() != "http://proxy1.example.fi:3128" || c.Problem != nil {
		t.Errorf("got %+v (%s)", c, c)
	}
	before := lookups
	if again := p.For(context.Background(), mustURL("https://www.example.com/")); again != c || lookups != before || before == 0 {
		t.Errorf("asked again: %+v, the script ran %d more times", again, lookups-before)
	}
	if c := p.For(context.Background(), mustURL("https://intra.example.fi/")); c.Proxy != nil || c.Source != SourcePAC {
		t.Errorf("intranet: %+v", c)
	}
	// A script that cannot be fetched decides nothing: direct, with the reason.
	gone := Fixed(Config{From: SourceKDE, PACURL: srv.URL + "/missing.pac"})
	gone.fetch = func(context.Context, string) ([]byte, error) { return nil, errors.New("HTTP 404") }
	if c := gone.For(context.Background(), mustURL("https://www.example.com/")); c.Proxy != nil || c.Problem == nil || c.Source != SourcePAC {
		t.Errorf("missing script: %+v", c)
	}
}

func TestProxiesWPAD(t *testing.T) {
	var asked []string
	p := Fixed(Config{From: SourceGNOME, AutoDetect: true})
	p.resolvConf = func() []byte { return []byte("search corp.example.fi\n") }
	p.fetch = func(_ context.Context, u string) ([]byte, error) {
		asked = append(asked, u)
		return []byte(`function FindProxyForURL(u, h) { return "PROXY wpad-proxy.corp.example.fi:8080"; }`), nil
	}
	c := p.For(context.Background(), mustURL("http://www.example.com/"))
	if c.Source != SourceWPAD || c.String() != "http://wpad-proxy.corp.example.fi:8080" {
		t.Errorf("got %+v", c)
	}
	if !reflect.DeepEqual(asked, []string{"http://wpad.corp.example.fi/wpad.dat"}) {
		t.Errorf("asked %q", asked)
	}
}

func TestProxiesManual(t *testing.T) {
	p := Fixed(Config{From: SourceWindows, HTTP: "proxy.example.fi:8080", HTTPS: "proxy.example.fi:8080",
		Bypass: []string{".intra.example.fi"}, BypassPlain: true})
	tests := []struct{ url, want string }{
		{"https://www.example.com/", "http://proxy.example.fi:8080"},
		{"https://wiki.intra.example.fi/", "none"},
		{"http://intranet/", "none"},
		{"http://127.0.0.1:8080/", "none"},
	}
	for _, tt := range tests {
		c := p.For(context.Background(), mustURL(tt.url))
		if c.String() != tt.want || c.Source != SourceWindows {
			t.Errorf("%s: got %s from %s, want %s", tt.url, c, c.Source, tt.want)
		}
	}
	if c := Direct().For(context.Background(), mustURL("https://www.example.com/")); c.Proxy != nil || c.Source != SourceNone {
		t.Errorf("direct: %+v", c)
	}
}

func TestProxiesRereadAfterAWhile(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	cfg := Config{From: SourceGNOME, HTTP: "a:1"}
	p := Fixed(cfg)
	p.desktop = func(ctx context.Context, _ func(string) string) Config { return cfg }
	p.now = func() time.Time { return now }
	u := mustURL("http://www.example.com/")
	if got := p.For(context.Background(), u).String(); got != "http://a:1" {
		t.Fatalf("got %s", got)
	}
	cfg.HTTP = "b:2"
	if got := p.For(context.Background(), u).String(); got != "http://a:1" {
		t.Errorf("read again within one diagnosis: %s", got)
	}
	now = now.Add(refreshAfter)
	if got := p.For(context.Background(), u).String(); got != "http://b:2" {
		t.Errorf("a changed setting was not read: %s", got)
	}
}

func TestChoiceStringHidesCredentials(t *testing.T) {
	c := Choice{Proxy: mustURL("http://matti:secret@proxy.example.fi:3128")}
	if c.String() != "http://proxy.example.fi:3128" {
		t.Errorf("got %s", c)
	}
	if d := (Config{From: SourceEnv, HTTP: "http://matti:secret@p:1"}).Describe(); strings.Contains(d, "secret") {
		t.Errorf("Describe shows the password: %s", d)
	}
}
