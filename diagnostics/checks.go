package diagnostics

import "github.com/apuri-project/apuri/profile"

// Checks builds every check the profile asks for, each with its real side effects.
// The order is the order of the layers; the runner still runs them all at once.
func Checks(p *profile.Profile) []Check {
	net := SystemNetInfo()
	checks := []Check{
		newInterfacesCheck(p, net),
		newWifiCheck(p, net),
		newGatewayCheck(p, net),
		newDNSCheck(p, net),
		// Before the internet: broken IPv6 is why the internet answers slowly, when it does.
		newIPv6Check(p),
		newInternetCheck(p),
		newVPNTunnelCheck(p, net),
		newVPNInternalCheck(p, net),
	}
	for _, s := range p.Services {
		checks = append(checks, newServiceCheck(p, s))
	}
	checks = append(checks, CustomChecks(p)...)
	return append(checks,
		newCPUCheck(p),
		newMemoryCheck(p),
		newDiskCheck(p),
		newRebootCheck(p),
		newUpdatesCheck(p),
		newUptimeCheck(p),
		newClockCheck(p),
		newPasswordCheck(p),
		newCertificatesCheck(p),
	)
}
