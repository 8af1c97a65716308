package diagnostics

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/profile"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// An https probe whose certificate this computer trusts (here: the test server's own CA, put
// in the client's roots as an organisation would install its proxy's) but no public CA issued
// is reported as inspected, with its issuer, and is still a working internet.
func TestInternetReportsTLSInspection(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "success")
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.Proxy = nil
	c := testInternetCheck(profile.Network{InternetURL: srv.URL + "/", InternetExpect: "success"}, tr)
	r := c.Run(context.Background())
	assertContract(t, r)
	if r.Status != StatusOK {
		t.Fatalf("status %s (%s), want ok: inspection is not a failure", r.Status, r.Message.Key)
	}
	if v, ok := r.Details[DetailTLSInspection].(bool); !ok || !v {
		t.Errorf("tls_inspection = %v, want true", r.Details[DetailTLSInspection])
	}
	issuer, _ := r.Details[DetailTLSIssuer].(string)
	if !strings.Contains(issuer, "Acme Co") {
		t.Errorf("tls_issuer = %q, want the test CA's organisation", issuer)
	}
}

// A plain-http probe has no certificate to judge, so it says nothing about inspection.
func TestInternetOverHTTPSaysNothingOfInspection(t *testing.T) {
	u := inetServer(t, inetAnswer(http.StatusOK, "success"))
	r := testInternetCheck(profile.Network{InternetURL: u, InternetExpect: "success"}, nil).Run(context.Background())
	if _, ok := r.Details[DetailTLSInspection]; ok {
		t.Errorf("tls_inspection = %v over plain http", r.Details[DetailTLSInspection])
	}
}

// A certificate that a public CA vouches for is not inspection. No public CA signs for a test,
// so a public root itself stands for the site: it verifies against the public roots as it is.
func TestTLSInspectionTrustsPublicRoots(t *testing.T) {
	var root *x509.Certificate
	for r := range bundle.Roots() {
		c, err := x509.ParseCertificate(r.Certificate)
		if err == nil && r.Constraint == nil && time.Now().Before(c.NotAfter) {
			root = c
			break
		}
	}
	if root == nil {
		t.Fatal("the public roots bundle holds no usable root")
	}
	state := &tls.ConnectionState{PeerCertificates: []*x509.Certificate{root}, VerifiedChains: [][]*x509.Certificate{{root}}}
	inspected, issuer, ok := tlsInspection(state, time.Now())
	if !ok || inspected {
		t.Errorf("public root %q: inspected %v, judged %v; want a judged public chain", root.Subject, inspected, ok)
	}
	if issuer == "" {
		t.Error("no issuer named")
	}
	if _, _, ok := tlsInspection(&tls.ConnectionState{PeerCertificates: []*x509.Certificate{root}}, time.Now()); ok {
		t.Error("a chain this computer did not verify was judged")
	}
}

func TestIssuerWithOrganisation(t *testing.T) {
	tests := []struct {
		cn   string
		org  []string
		want string
	}{
		{"Proxy CA", []string{"Example Oy"}, "Proxy CA (Example Oy)"},
		{"Example Oy", []string{"Example Oy"}, "Example Oy"},
		{"", []string{"Example Oy"}, "Example Oy"},
		{"Proxy CA", nil, "Proxy CA"},
		{"Proxy\x1b[31m CA\u202e", nil, "Proxy CA"},
	}
	for _, tt := range tests {
		c := &x509.Certificate{}
		c.Issuer.CommonName, c.Issuer.Organization = tt.cn, tt.org
		if got := issuerWithOrganisation(c); got != tt.want {
			t.Errorf("issuer %q %v: %q, want %q", tt.cn, tt.org, got, tt.want)
		}
	}
}
