//go:build linux

package winlab_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/apuri-project/apuri/internal/testsupport/lab"
)

// TestWindowsNetInfo runs the diagnostics package's Windows tests of the IP Helper calls under
// Wine in a healthy lab's client namespace, where the adapters, routes, servers and neighbours
// are known: what GetAdaptersAddresses, GetIfEntry2Ex, GetIpForwardTable2, GetIpNetTable2,
// GetTcpStatisticsEx and GetTcpTable2 return, the route Winsock picks, and the routers that echoes
// with a short TTL name (IcmpSendEcho2), read by the code apuri.exe runs.
func TestWindowsNetInfo(t *testing.T) {
	l := newLab(t)
	env := []string{
		"APURI_WINLAB=1",
		"APURI_WINLAB_LINK=" + lab.ClientLink,
		"APURI_WINLAB_ADDR=" + lab.ClientAddr + "/24",
		"APURI_WINLAB_GATEWAY=" + lab.GatewayAddr,
		"APURI_WINLAB_DNS1=" + lab.DNS1Addr,
		"APURI_WINLAB_DNS2=" + lab.DNS2Addr,
		"APURI_WINLAB_SERVICE=" + lab.ServiceAddr,
		// Nobody holds these: one on the client's own link (ARP is never answered), one
		// beyond the router (the router's ARP for it is never answered, so a SYN gets no reply).
		"APURI_WINLAB_ABSENT=192.0.2.99",
		"APURI_WINLAB_SILENT=198.51.100.99",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := wine.Run(ctx, l.Client, env, diagnosticsTest,
		"-test.run", "^(TestSystemNetInfo|TestStallTriggerSource|TestRouteSource|TestFindHop)", "-test.v", "-test.count=1")
	if err != nil {
		t.Fatal(err)
	}
	out := string(r.Stdout)
	t.Logf("%s", out)
	if r.ExitCode != 0 {
		t.Fatalf("the Windows tests failed (exit %d):\n%s\n%s", r.ExitCode, r.Stderr, l.Describe())
	}
	// The lab tests must have run, not skipped.
	for _, name := range []string{"TestSystemNetInfoReadsTheTables", "TestSystemNetInfoInTheLab", "TestStallTriggerSourceInTheLab", "TestRouteSourceInTheLab", "TestFindHopInTheLab"} {
		if !strings.Contains(out, "--- PASS: "+name) {
			t.Errorf("%s did not pass:\n%s", name, out)
		}
	}
}
