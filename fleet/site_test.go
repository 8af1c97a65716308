package fleet

import (
	"testing"

	"github.com/apuri-project/apuri/profile"
)

func TestSiteAutoSendsOnlyTheOrganisationsDomains(t *testing.T) {
	auto := profile.Fleet{Site: profile.SiteAuto, SiteDomains: []string{"example.fi"}}
	cases := []struct {
		name    string
		f       profile.Fleet
		domains []string
		want    string
	}{
		{"a named site is as written", profile.Fleet{Site: "turku-office"}, []string{"koti.example.net"}, "turku-office"},
		{"the office's search domain", auto, []string{"turku.example.fi."}, "turku.example.fi"},
		{"the domain itself", auto, []string{"Example.FI"}, "example.fi"},
		{"the first of the organisation's", auto, []string{"dhcp.elisa.fi", "oulu.example.fi"}, "oulu.example.fi"},
		{"a home network is other", auto, []string{"dhcp.elisa.fi"}, SiteOther},
		{"a look-alike is no subdomain", auto, []string{"notexample.fi"}, SiteOther},
		{"no search domain", auto, nil, SiteOther},
	}
	for _, c := range cases {
		if got := Site(c.f, c.domains); got != c.want {
			t.Errorf("%s: Site = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSearchDomainsInResolvConf(t *testing.T) {
	got := searchDomainsIn("# comment\nnameserver 10.0.0.1\nsearch turku.example.fi example.fi\ndomain lan\n")
	if len(got) != 3 || got[0] != "turku.example.fi" || got[2] != "lan" {
		t.Errorf("searchDomainsIn = %v", got)
	}
}
