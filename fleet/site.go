package fleet

import (
	"strings"

	"github.com/apuri-project/apuri/profile"
)

// SiteOther is the site of a computer that site = "auto" finds on no network of the
// organisation's own: a home, a café, a mobile connection. Their names are never sent.
const SiteOther = "other"

// Site is the site a profile's [fleet] names: its name as written, or for "auto" the first of
// the network's DNS search domains that is one of the organisation's site_domains or under
// one. A search domain is the same for every computer on a network and names the
// organisation's own office network, not a person; one outside site_domains could name a
// home's internet provider, so it becomes SiteOther.
func Site(f profile.Fleet, searchDomains []string) string {
	if f.Site != profile.SiteAuto {
		return f.Site
	}
	for _, d := range searchDomains {
		d = strings.ToLower(strings.Trim(strings.TrimSpace(d), "."))
		for _, own := range f.SiteDomains {
			own = strings.ToLower(strings.Trim(own, "."))
			if own != "" && (d == own || strings.HasSuffix(d, "."+own)) {
				return d
			}
		}
	}
	return SiteOther
}

// searchDomainsIn reads resolv.conf's search and domain lines.
func searchDomainsIn(resolvConf string) []string {
	var out []string
	for _, line := range strings.Split(resolvConf, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && (f[0] == "search" || f[0] == "domain") {
			out = append(out, f[1:]...)
		}
	}
	return out
}
