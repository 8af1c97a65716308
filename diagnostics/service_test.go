package diagnostics

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"maps"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/closedport"
	"github.com/apuri-project/apuri/profile"
)

// testCA signs certificates for loopback TLS servers.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// leaf issues a server certificate valid from notBefore to notAfter for the given names.
func (ca *testCA) leaf(t *testing.T, notBefore, notAfter time.Time, dnsNames []string, ips ...net.IP) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "service"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     dnsNames,
		IPAddresses:  ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// trusting is a transport that trusts only the given pool.
func trusting(pool *x509.CertPool) *http.Transport {
	t := newTransport()
	t.Proxy = nil
	t.TLSClientConfig = &tls.Config{RootCAs: pool}
	return t
}

// quietServer starts a loopback server that does not log failed handshakes to the test output.
func quietServer(t *testing.T, h http.Handler, cert *tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

func status(code int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) })
}

func TestService(t *testing.T) {
	ca := newTestCA(t, "Test Issuing CA")
	now := time.Now()
	loopback := net.ParseIP("127.0.0.1")
	valid := ca.leaf(t, now.Add(-time.Hour), now.Add(200*24*time.Hour), nil, loopback)
	expiring := ca.leaf(t, now.Add(-time.Hour), now.Add(3*24*time.Hour), nil, loopback)
	expired := ca.leaf(t, now.Add(-60*24*time.Hour), now.Add(-24*time.Hour), nil, loopback)
	wrongName := ca.leaf(t, now.Add(-time.Hour), now.Add(200*24*time.Hour), []string{"intra.example"})

	// A redirect that carries a token in its query, to a page behind a login wall.
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login?token=s3cret&next=%2F", http.StatusFound)
	})
	mux.Handle("/login", status(http.StatusUnauthorized))
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	redirecting := quietServer(t, mux, nil)

	release := make(chan struct{})
	slow := quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}), nil)
	t.Cleanup(func() { close(release) })

	tests := []struct {
		name      string
		url       string
		viaVPN    bool
		transport http.RoundTripper // nil: trust the test CA
		now       func() time.Time
		timeout   time.Duration
		status    Status
		reason    string
		key       string
		code      int    // expected "status" detail, if any
		finalURL  string // expected "final_url" detail, if any
		problem   string // expected "tls_problem" detail, if any
		hasTLS    bool
	}{
		{
			name:   "200 answers",
			url:    quietServer(t, status(200), nil).URL,
			status: StatusOK, key: "check.service.ok", code: 200,
		},
		{
			name:   "401 login wall answers",
			url:    quietServer(t, status(401), nil).URL,
			viaVPN: true,
			status: StatusOK, key: "check.service.ok", code: 401,
		},
		{
			name:   "403 answers",
			url:    quietServer(t, status(403), nil).URL,
			status: StatusOK, key: "check.service.ok", code: 403,
		},
		{
			name:   "redirect followed, token and credentials kept out of final_url",
			url:    strings.Replace(redirecting.URL, "http://", "http://matti:pw@", 1) + "/",
			status: StatusOK, key: "check.service.ok", code: 401,
			finalURL: redirecting.URL + "/login",
		},
		{
			name:   "redirect loop stops after five and judges the last answer",
			url:    redirecting.URL + "/loop",
			status: StatusOK, key: "check.service.ok", code: 302,
			finalURL: redirecting.URL + "/loop",
		},
		{
			name:   "500 is a fault",
			url:    quietServer(t, status(500), nil).URL,
			viaVPN: true,
			status: StatusFail, reason: "http_status", key: "check.service.http_status", code: 500,
		},
		{
			name:   "503 is a fault",
			url:    quietServer(t, status(503), nil).URL,
			status: StatusFail, reason: "http_status", key: "check.service.http_status", code: 503,
		},
		{
			name:   "closed port",
			url:    "http://" + closedport.Addr(t) + "/",
			viaVPN: true,
			status: StatusFail, reason: "unreachable", key: "check.service.unreachable",
		},
		{
			name:    "slow server past a short deadline",
			url:     slow.URL,
			timeout: 50 * time.Millisecond,
			status:  StatusFail, reason: "unreachable", key: "check.service.timeout",
		},
		{
			name:   "answers, but slower than the latency threshold",
			url:    quietServer(t, status(200), nil).URL,
			now:    stepNow(2 * time.Second),
			status: StatusWarn, reason: "slow", key: "check.service.slow", code: 200,
		},
		{
			name:   "valid certificate",
			url:    quietServer(t, status(200), &valid).URL,
			status: StatusOK, key: "check.service.ok", code: 200, hasTLS: true,
		},
		{
			name:   "certificate expiring soon",
			url:    quietServer(t, status(200), &expiring).URL,
			status: StatusWarn, reason: "cert_expiring", key: "check.service.cert_expiring", code: 200, hasTLS: true,
		},
		{
			name:   "expired certificate",
			url:    quietServer(t, status(200), &expired).URL,
			status: StatusFail, reason: "tls", key: "check.service.tls_expired", problem: "expired",
		},
		{
			name:      "self-signed: unknown authority",
			url:       quietServer(t, status(200), &valid).URL,
			transport: trusting(x509.NewCertPool()),
			status:    StatusFail, reason: "tls", key: "check.service.tls_unknown_authority", problem: "unknown_authority",
		},
		{
			name:   "certificate for another name",
			url:    quietServer(t, status(200), &wrongName).URL,
			status: StatusFail, reason: "tls", key: "check.service.tls_wrong_name", problem: "wrong_name",
		},
		{
			name:   "unusable address in the profile",
			url:    "intra.example/no-scheme",
			status: StatusFail, reason: "bad_url", key: "check.service.bad_url",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := profile.Service{Name: "Intra", Title: profile.Title{FI: "Intranetti", EN: "Intranet"}, URL: tt.url, ViaVPN: tt.viaVPN}
			p := &profile.Profile{Thresholds: profile.Thresholds{CertExpiryDays: 14}}
			c := newServiceCheck(p, svc).(*serviceCheck)
			c.transport = trusting(ca.pool)
			if tt.transport != nil {
				c.transport = tt.transport
			}
			if tt.now != nil {
				c.now = tt.now
			}
			if c.ID() != "service.Intra" || c.Group() != GroupService {
				t.Fatalf("identity = %s/%s", c.ID(), c.Group())
			}
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			r := c.Run(ctx)
			assertContract(t, r)
			if r.Status != tt.status || r.Reason != tt.reason || r.Message.Key != tt.key {
				t.Fatalf("got %s/%q/%s, want %s/%q/%s (%v)", r.Status, r.Reason, r.Message.Key, tt.status, tt.reason, tt.key, r.Details)
			}
			if v, ok := r.Details[DetailViaVPN].(bool); !ok || v != tt.viaVPN {
				t.Errorf("%s = %v, want %v", DetailViaVPN, r.Details[DetailViaVPN], tt.viaVPN)
			}
			// The sentence names the service by its title, which each language reads in its own.
			title := map[string]string{"fi": "Intranetti", "sv": "Intranet", "en": "Intranet"}
			if got, _ := r.Message.Args["service"].(map[string]string); !maps.Equal(got, title) {
				t.Errorf("message args = %v", r.Message.Args)
			}
			if !maps.Equal(c.Title(), title) {
				t.Errorf("check title = %v", c.Title())
			}
			if tt.code != 0 && r.Details["status"] != tt.code {
				t.Errorf("status detail = %v, want %d", r.Details["status"], tt.code)
			}
			if tt.finalURL != "" && r.Details["final_url"] != tt.finalURL {
				t.Errorf("final_url = %v, want %s", r.Details["final_url"], tt.finalURL)
			}
			if tt.problem != "" && r.Details["tls_problem"] != tt.problem {
				t.Errorf("tls_problem = %v, want %s", r.Details["tls_problem"], tt.problem)
			}
			if tt.hasTLS {
				exp, _ := r.Details["tls_expires"].(string)
				if _, err := time.Parse(time.RFC3339, exp); err != nil {
					t.Errorf("tls_expires = %q: %v", exp, err)
				}
				if r.Details["tls_issuer"] != "Test Issuing CA" {
					t.Errorf("tls_issuer = %v", r.Details["tls_issuer"])
				}
			}
			for k, v := range r.Details {
				if s, ok := v.(string); ok && (strings.Contains(s, "s3cret") || strings.Contains(s, "matti:pw")) {
					t.Errorf("detail %s leaks a secret: %s", k, s)
				}
			}
		})
	}
}

func TestServiceCertExpiryDays(t *testing.T) {
	ca := newTestCA(t, "Test Issuing CA")
	now := time.Now()
	cert := ca.leaf(t, now.Add(-time.Hour), now.Add(20*24*time.Hour+time.Hour), nil, net.ParseIP("127.0.0.1"))
	srv := quietServer(t, status(200), &cert)

	for _, tt := range []struct {
		name   string
		days   int
		status Status
	}{
		{"20 days left, warn within 30", 30, StatusWarn},
		{"20 days left, warn within 14", 14, StatusOK},
		{"expiry warnings turned off", 0, StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &profile.Profile{Thresholds: profile.Thresholds{CertExpiryDays: tt.days}}
			c := newServiceCheck(p, profile.Service{Name: "Intra", URL: srv.URL}).(*serviceCheck)
			c.transport = trusting(ca.pool)
			r := c.Run(context.Background())
			assertContract(t, r)
			if r.Status != tt.status {
				t.Fatalf("status = %s, want %s (%v)", r.Status, tt.status, r.Details)
			}
			if tt.status == StatusWarn && r.Message.Args["days"] != 20 {
				t.Errorf("days = %v, want 20", r.Message.Args["days"])
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://intra.example/app", "https://intra.example/app"},
		{"https://user:pass@intra.example/app?session=abc#frag", "https://intra.example/app"},
		{"https://sso.example/saml?SAMLRequest=xyz", "https://sso.example/saml"},
		{"http://[::1", "<unparsable URL, 11 characters>"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := safeURLString(tt.in); got != tt.want {
				t.Errorf("safeURLString(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// BenchmarkServiceCheck measures one whole service check against a loopback server: the cost
// Apuri adds on top of the service's own answer time.
func BenchmarkServiceCheck(b *testing.B) {
	srv := httptest.NewServer(status(http.StatusOK))
	defer srv.Close()
	c := newServiceCheck(&profile.Profile{}, profile.Service{Name: "bench", URL: srv.URL}).(*serviceCheck)
	for b.Loop() {
		if r := c.Run(context.Background()); r.Status != StatusOK {
			b.Fatalf("status = %s (%v)", r.Status, r.Details)
		}
	}
}
