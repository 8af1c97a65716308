package diagnostics

// A service whose page loads only in small packets is not down: the network between here and
// it drops large packets (mtu.go). Blaming the service sends people to sign in again or try
// another browser, which cannot help. The two causes sit just above the VPN's own, below
// service_down: vpn_mtu when the packets travel in the VPN (the usual case: the tunnel's
// headers make every packet larger), path_mtu otherwise. A broken or missing VPN still wins,
// since it explains more.

// largePacketsLost says whether r is a service whose path was found to drop large packets.
func largePacketsLost(r Result) bool { return isService(r) && reasonIs(r, ReasonPathMTU) }

// throughTunnel says whether a service's traffic goes through the VPN: the profile says so, or
// the probe's connections left through a VPN interface.
func throughTunnel(r Result) bool {
	tunnel, _ := r.Details[DetailMTUTunnel].(bool)
	return viaVPN(r) || tunnel
}
