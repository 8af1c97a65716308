package fleet

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/apuri-project/apuri/diagnostics"
	"github.com/apuri-project/apuri/profile"
)

// A laptop that moves from one office to another, and then home, sends each event under the
// site it was at: in the record's attributes and in its resource alike.
func TestSiteAutoFollowsTheLaptop(t *testing.T) {
	rcv := newReceiver(t)
	var domains atomic.Value
	domains.Store([]string{"turku.example.fi"})
	e := newTestExporter(t, rcv.URL, func(c *Config) {
		c.Fleet.Site, c.Fleet.SiteDomains = profile.SiteAuto, []string{"example.fi"}
		c.SearchDomains = func() []string { return domains.Load().([]string) }
	})
	e.Event(lostEvent(diagnostics.CauseVPNBroken))
	domains.Store([]string{"oulu.example.fi"})
	e.Event(lostEvent(diagnostics.CauseVPNBroken))
	domains.Store([]string{"home.example.net"})
	e.Event(lostEvent(diagnostics.CauseVPNBroken))
	if got := e.Status().Site; got != SiteOther {
		t.Errorf("Status().Site at home = %q", got)
	}
	if err := e.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	var sites []string
	for _, r := range rcv.records() {
		attr := r.attrs["apuri.site"].GetStringValue()
		if attr != r.resource["apuri.site"] {
			t.Errorf("record site %q under a resource of %q", attr, r.resource["apuri.site"])
		}
		sites = append(sites, attr)
	}
	// The old site's providers send what they hold as they stop, beside the new ones: the
	// records' times, not their order, say which came first.
	slices.Sort(sites)
	if !slices.Equal(sites, []string{SiteOther, "oulu.example.fi", "turku.example.fi"}) {
		t.Errorf("sites sent = %v", sites)
	}
}
