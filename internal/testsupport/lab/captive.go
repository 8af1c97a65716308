//go:build linux

package lab

import (
	"context"
	"net"
	"time"
)

// PortalAddr is where CaptiveDNS's login page lives, beside the probe.
const PortalAddr = "198.51.100.90"

// CaptiveDNS turns both resolvers into a captive network's: every name is answered with the
// portal's address (dnsmasq address=/#/), and the portal there redirects every request to its
// login page, whatever site was asked for. It returns the portal.
func (l *Lab) CaptiveDNS() (*Site, error) {
	if err := ip("-n", l.Net, "addr", "add", PortalAddr+"/24", "dev", "eth0"); err != nil {
		return nil, err
	}
	portal, err := StartSite(l.Net, net.JoinHostPort(PortalAddr, "80"), "portal", CaptivePage)
	if err != nil {
		return nil, err
	}
	l.onClose(portal.Close)
	portal.Set(CaptiveRedirect)
	if err := l.ReplaceDNS([]string{"--address=/#/" + PortalAddr}); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, srv := range []string{DNS1Addr, DNS2Addr} {
		if err := l.waitResolve(ctx, srv, ProbeName, PortalAddr); err != nil {
			return nil, err
		}
	}
	return portal, nil
}

// ReplaceDNS restarts both resolvers on their addresses with other answers (dnsmasq options).
func (l *Lab) ReplaceDNS(answers []string) error {
	for i, old := range l.DNS {
		if err := old.Kill(); err != nil {
			return err
		}
		d, err := startDnsmasq(l.Net, old.Addr, answers, l.logf)
		if err != nil {
			return err
		}
		l.DNS[i] = d
		l.onClose(d.Stop)
	}
	return nil
}
